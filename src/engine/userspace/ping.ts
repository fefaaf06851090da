// The iputils `ping` program, as root: a raw ICMP socket, a UDP "probe"
// connect to pick the source address, then echo requests on a timer and
// replies and errors read as they arrive. Output matches iputils 2024.
import type { World } from '../kernel/world.ts';
import { newUid, randomU32 } from '../kernel/world.ts';
import type { RawSock } from '../include/sock.ts';
import type { SkBuff } from '../include/skbuff.ts';
import { EACCES, strerror } from '../include/errno.ts';
import { register_program, schedule_task_at } from '../kernel/sched.ts';
import type { Task } from '../include/sched.ts';
import { ipStr, parseIp } from '../net/ipv4/addr.ts';
import { devGetByName } from '../net/core/register.ts';
import { inet_addr_type_dev_table } from '../net/ipv4/fib_frontend.ts';
import { RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST } from '../include/route.ts';
import { ip_route_connect } from '../net/ipv4/route.ts';
import { inet_release, raw_recvmsg, raw_sendmsg } from '../net/ipv4/raw.ts';
import { consume_skb, get16, get32, ipChecksum, put16 } from '../net/core/skbuff.ts';
import { netByUid } from '../net/core/net_namespace.ts';
import type { ToolContext } from './tool.ts';
import { writeOut, writePingLog } from '../run/terminal.ts';

export interface PingOpts {
  count: number; // 0: forever
  interval: number; // ns
  intervalGiven: boolean;
  linger: number; // ns (-W)
  deadline: number; // ns (-w), 0 none
  size: number;
  ttl: number;
  flood: boolean;
  quiet: boolean;
  iface: string | null;
  preload: number;
  broadcast: boolean;
  verbose: boolean;
}

export interface PingProc extends Task {
  comm: 'ping';
  sock: RawSock;
  opts: PingOpts;
  dst: number;
  dstText: string;
  ident: number;
  ntransmitted: number;
  nreceived: number;
  nerrors: number;
  ndup: number;
  /** Most echo requests outstanding when a reply came (iputils' pipesize). */
  pipesize: number;
  /** iputils' acked: the newest sequence number answered. */
  newestAcked: number;
  /** iputils' rcvd_tbl: one bit per 16-bit sequence number, for duplicates. */
  acked: Uint8Array;
  tmin: number;
  tmax: number;
  tsum: number;
  tsum2: number;
  start: number;
  lastSend: number;
  nextSendAt: number;
  exitAt: number;
  exitCode: number;
  /** `> /dev/null`: what ping prints reaches only its log (ping.txt). */
  stdoutNull: boolean;
}

/** Base of the wall clock printed in timestamps and pcaps (2026-01-01). */
export const EPOCH_SEC = 1767225600;

/** Time ping's flood loop takes between reading a reply and sending the next request. */
const FLOOD_LOOP_NS = 5_000;

const ICMP_FILTER_ALLOW = (1 << 0) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 11) | (1 << 12);

function parseSeconds(s: string): number | null {
  if (!/^\d*\.?\d+$/.test(s)) return null;
  return Math.round(parseFloat(s) * 1e9);
}

/**
 * iputils prefixes its errors with argv[0]. The kernel reference records ran
 * ping by its full path, so that is what they (and we) print.
 */
export const PING_ARGV0 = '/usr/bin/ping';

function usageError(ctx: ToolContext, msg: string): number {
  ctx.stderr(`${PING_ARGV0}: ${msg}`);
  return 2;
}

/** iputils' usage(), printed (to stderr) after getopt's own complaint; exit status 2. */
const PING_USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).`;

function getoptError(ctx: ToolContext, msg: string): number {
  ctx.stderr(`${PING_ARGV0}: ${msg}`);
  ctx.stderr(PING_USAGE);
  return 2;
}

/** Starts ping; returns the process, or an exit status when it failed at once. */
export function pingStart(ctx: ToolContext, argv: string[], stdoutNull = false): PingProc | number {
  const w = ctx.w;
  const net = ctx.net;
  const o: PingOpts = {
    count: 0,
    interval: 1e9,
    intervalGiven: false,
    linger: 10e9,
    deadline: 0,
    size: 56,
    ttl: net.ipv4.sysctl.ip_default_ttl,
    flood: false,
    quiet: false,
    iface: null,
    preload: 1,
    broadcast: false,
    verbose: false,
  };
  // glibc getopt permutes: options may follow the destination, until `--`.
  const operands: string[] = [];
  let optionsEnded = false;
  const needsArg = 'cIWwistlQ';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' && !optionsEnded) {
      optionsEnded = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !optionsEnded) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        if (needsArg.includes(f)) {
          let v = a.slice(j + 1);
          if (!v) {
            v = argv[++i];
            if (v === undefined) return getoptError(ctx, `option requires an argument -- '${f}'`);
          }
          const num = Number(v);
          switch (f) {
            case 'c':
              if (!/^\d+$/.test(v) || num < 1)
                return usageError(ctx, `invalid argument: '${v}': out of range: 1 <= value <= 9223372036854775807`);
              o.count = num;
              break;
            case 'I':
              o.iface = v;
              break;
            case 'W': {
              const s = parseSeconds(v);
              if (s === null) return usageError(ctx, `invalid timeout: '${v}'`);
              o.linger = s;
              break;
            }
            case 'w':
              if (!/^\d+$/.test(v)) return usageError(ctx, `invalid argument: '${v}'`);
              o.deadline = num * 1e9;
              break;
            case 'i': {
              const s = parseSeconds(v);
              if (s === null) return usageError(ctx, `bad timing interval: ${v}`);
              o.interval = s;
              o.intervalGiven = true;
              break;
            }
            case 's':
              if (!/^\d+$/.test(v) || num > 65507)
                return usageError(ctx, `invalid argument: '${v}': out of range: 0 <= value <= 65507`);
              o.size = num;
              break;
            case 't':
              if (!/^\d+$/.test(v) || num < 1 || num > 255)
                return usageError(ctx, `invalid argument: '${v}': out of range: 1 <= value <= 255`);
              o.ttl = num;
              break;
            case 'l':
              if (!/^\d+$/.test(v) || num < 1) return usageError(ctx, `invalid argument: '${v}'`);
              o.preload = num;
              break;
            case 'Q':
              break;
          }
          break;
        }
        switch (f) {
          case 'f':
            o.flood = true;
            break;
          case 'q':
            o.quiet = true;
            break;
          case 'b':
            o.broadcast = true;
            break;
          case 'v':
            o.verbose = true;
            break;
          case 'n':
          case 'D':
          case 'U':
          case 'A':
          case 'O':
          case '4':
            break;
          default:
            return getoptError(ctx, `invalid option -- '${f}'`);
        }
      }
    } else operands.push(a);
  }
  if (operands.length > 1) return usageError(ctx, `usage error: Only one destination address allowed`);
  const target = operands.length ? operands[0] : null;
  if (target === null) return usageError(ctx, 'usage error: Destination address required');
  if (o.flood && !o.intervalGiven) o.interval = 0;
  const dst = parseIp(target);
  if (dst === null) {
    ctx.stderr(`${PING_ARGV0}: ${target}: Name or service not known`);
    return 2;
  }
  let boundDev = 0;
  let source = 0;
  let strictSource = false;
  if (o.iface !== null) {
    const asAddr = parseIp(o.iface);
    if (asAddr !== null) {
      // raw_bind: inet_addr_type_table() classifies the address in table local.
      const type = inet_addr_type_dev_table(w, net, null, asAddr);
      if (type !== RTN_LOCAL && type !== RTN_BROADCAST && type !== RTN_MULTICAST) {
        ctx.stderr(`${PING_ARGV0}: bind: ${strerror(99)}`);
        return 2;
      }
      source = asAddr;
      strictSource = true;
    } else {
      const dev = devGetByName(net, o.iface);
      if (!dev) {
        ctx.stderr(`${PING_ARGV0}: SO_BINDTODEVICE ${o.iface}: ${strerror(19)}`);
        return 2;
      }
      boundDev = dev.ifindex;
    }
  }
  let warnBroadcast = false;
  if (!source) {
    // The probe: connect() a UDP socket to learn which source the kernel would use.
    let r = ip_route_connect(w, net, dst, 0, boundDev, 17, false);
    if ('err' in r && r.err === -EACCES) {
      if (!o.broadcast) {
        ctx.stderr(`${PING_ARGV0}: Do you want to ping broadcast? Then -b. If not, check your local firewall rules`);
        return 2;
      }
      // SO_BROADCAST on the probe socket, then connect again.
      warnBroadcast = true;
      r = ip_route_connect(w, net, dst, 0, boundDev, 17, true);
    }
    if ('err' in r) {
      ctx.stderr(`${PING_ARGV0}: connect: ${strerror(r.err)}`);
      return 2;
    }
    source = r.fl.saddr;
  }
  if (warnBroadcast) ctx.stderr('WARNING: pinging broadcast address');
  const sock: RawSock = {
    id: newUid(w),
    netUid: net.uid,
    protocol: 1,
    boundDevIfindex: boundDev,
    rcvSaddr: strictSource ? source : 0,
    icmpFilter: ~ICMP_FILTER_ALLOW >>> 0,
    receiveQueue: [],
    errorQueue: [],
    broadcast: o.broadcast,
    wq: [],
    closed: false,
  };
  const pid = newUid(w);
  // ping sleeps in poll() on its socket: data queued there wakes it.
  sock.wq.push(pid);
  net.rawSockets.push(sock);
  const proc: PingProc = {
    pid,
    comm: 'ping',
    netUid: net.uid,
    sock,
    opts: o,
    dst,
    dstText: target,
    ident: randomU32(w) & 0xffff,
    ntransmitted: 0,
    nreceived: 0,
    nerrors: 0,
    ndup: 0,
    pipesize: 0,
    newestAcked: 0,
    acked: new Uint8Array(8192),
    tmin: Infinity,
    tmax: 0,
    tsum: 0,
    tsum2: 0,
    start: w.now,
    lastSend: 0,
    nextSendAt: w.now,
    exitAt: o.deadline ? w.now + o.deadline : Infinity,
    nextWakeAt: Infinity,
    gen: 0,
    done: false,
    exitCode: 0,
    stdoutNull,
  };
  w.procs.push(proc);
  const from = o.iface !== null ? `from ${ipStr(source)} ${strictSource ? '' : o.iface}: ` : '';
  print(w, proc, `PING ${ipStr(dst)} (${ipStr(dst)}) ${from}${o.size}(${o.size + 28}) bytes of data.\n`);
  pingRun(w, proc);
  return proc;
}

function print(w: World, p: PingProc, text: string): void {
  if (p.stdoutNull) writePingLog(w, text);
  else writeOut(w, text, true);
}

export function schedulePing(w: World, p: PingProc, at: number): void {
  schedule_task_at(w, p, at);
}

register_program('ping', { run: (w, task) => pingRun(w, task as PingProc) });

function buildEcho(w: World, p: PingProc, seq: number): Uint8Array {
  const icmp = new Uint8Array(8 + p.opts.size);
  icmp[0] = 8;
  put16(icmp, 4, p.ident);
  put16(icmp, 6, seq & 0xffff);
  const data = icmp.subarray(8);
  for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
  if (p.opts.size >= 16) {
    const t = w.now;
    const sec = EPOCH_SEC + Math.floor(t / 1e9);
    const usec = Math.floor((t % 1e9) / 1e3);
    data.fill(0, 0, 16);
    for (let i = 0; i < 4; i++) data[i] = (sec >>> (8 * i)) & 0xff;
    for (let i = 0; i < 4; i++) data[8 + i] = (usec >>> (8 * i)) & 0xff;
  }
  put16(icmp, 2, ipChecksum(icmp, 0, icmp.length));
  return icmp;
}

function sendOne(w: World, p: PingProc): void {
  const net = netByUid(w, p.netUid);
  const seq = p.ntransmitted + 1;
  p.ntransmitted++;
  p.lastSend = w.now;
  const err = raw_sendmsg(w, net, p.sock, p.dst, buildEcho(w, p, seq), p.opts.ttl);
  if (err < 0) {
    print(w, p, `${PING_ARGV0}: sendmsg: ${strerror(err)}\n`);
    p.nerrors++;
  } else if (p.opts.flood && !p.opts.quiet) print(w, p, '.');
}

function finished(p: PingProc): boolean {
  // iputils' exit checks: all answered (or errored), or any error under -w.
  return (p.opts.count > 0 && p.nreceived + p.nerrors >= p.opts.count) || (p.opts.deadline > 0 && p.nerrors > 0);
}

/** acknowledge(): the most requests that were in flight when one was answered. */
function acknowledge(p: PingProc, seq: number): void {
  p.pipesize = Math.max(p.pipesize, ((p.ntransmitted - seq) & 0xffff) + 1);
  if (((seq - p.newestAcked) & 0xffff) <= 0x7fff) p.newestAcked = seq;
}

/** in_flight(): requests sent after the newest one answered. */
function inFlight(p: PingProc): number {
  const n = (p.ntransmitted - p.newestAcked) & 0xffff;
  return n < 0x7fff ? n : 0;
}

/** Everything ping does when it runs: read what arrived, send what is due, maybe exit. */
export function pingRun(w: World, p: PingProc): void {
  if (p.done) return;
  p.nextWakeAt = Infinity;
  const savedCtx = w.ctx;
  w.ctx = 'task';
  try {
    readReplies(w, p);
    if (finished(p) || w.now >= p.exitAt) return pingFinish(w, p);
    const allSent = p.opts.count > 0 && p.ntransmitted >= p.opts.count;
    if (!allSent && w.now >= p.nextSendAt) {
      const burst = p.ntransmitted === 0 ? Math.min(p.opts.preload, p.opts.count || Infinity) : 1;
      for (let i = 0; i < burst; i++) sendOne(w, p);
      // Flood mode sends again as soon as a reply comes back, and at least every 10 ms.
      p.nextSendAt = p.lastSend + (p.opts.flood && !p.opts.intervalGiven ? 10_000_000 : p.opts.interval);
      readReplies(w, p);
      if (finished(p)) return pingFinish(w, p);
      if (p.opts.count > 0 && p.ntransmitted >= p.opts.count && !p.opts.deadline) {
        // __schedule_exit: after the last probe, linger for replies.
        const wait = p.nreceived ? Math.max(2 * p.tmax, p.opts.interval) : p.opts.linger;
        p.exitAt = Math.min(p.exitAt, p.lastSend + wait);
      }
    }
    const allSentNow = p.opts.count > 0 && p.ntransmitted >= p.opts.count;
    const next = Math.min(allSentNow ? Infinity : p.nextSendAt, p.exitAt);
    if (next < Infinity) schedulePing(w, p, Math.max(next, w.now));
  } finally {
    w.ctx = savedCtx;
  }
}

function fmtMs(ns: number): string {
  const us = Math.round(ns / 1000);
  if (us >= 100000 - 50) return `${Math.floor(us / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor(us / 1000)}.${Math.floor((us % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor(us / 1000)}.${String(Math.floor((us % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

const UNREACH_TEXT = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'Frag needed and DF set',
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Destination Net Prohibited',
  'Destination Host Prohibited',
  'Destination Net Unreachable for Type of Service',
  'Destination Host Unreachable for Type of Service',
  'Packet filtered',
  'Precedence Violation',
  'Precedence Cutoff',
];

function readReplies(w: World, p: PingProc): void {
  const sk = p.sock;
  while (sk.errorQueue.length) {
    const skb = sk.errorQueue.shift()!;
    handleError(w, p, skb);
    consume_skb(w, skb, 'raw_recvmsg');
  }
  while (sk.receiveQueue.length) {
    // recvmsg(): the kernel copies the packet out and frees its skb; ping reads its copy.
    const copied: SkBuff[] = [];
    raw_recvmsg(w, sk, (skb) => copied.push(skb));
    for (const skb of copied) handleReply(w, p, skb);
    // main_loop leaves its read loop when nothing is in flight and checks
    // whether it is done: the other answers to a last broadcast stay unread.
    if (inFlight(p) === 0 && finished(p)) break;
  }
}

function handleError(w: World, p: PingProc, skb: SkBuff): void {
  const h = skb.head;
  const ih = skb.networkHeader;
  const it = ih + (h[ih] & 0xf) * 4;
  const inner = it + 8;
  const innerIcmp = inner + (h[inner] & 0xf) * 4;
  if (h[innerIcmp] !== 8 || get16(h, innerIcmp + 4) !== p.ident) return;
  const seq = get16(h, innerIcmp + 6);
  const from = ipStr(get32(h, ih + 12));
  const type = h[it];
  const code = h[it + 1];
  acknowledge(p, seq);
  p.nerrors++;
  let text: string;
  if (type === 3 && code === 4) text = `Frag needed and DF set (mtu = ${get16(h, it + 6)})`;
  else if (type === 3) text = UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  else if (type === 11) text = code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  else text = `Bad ICMP type: ${type}`;
  if (p.opts.flood) {
    if (!p.opts.quiet) print(w, p, '\bE');
  } else if (!p.opts.quiet) print(w, p, `From ${from} icmp_seq=${seq} ${text}\n`);
}

function handleReply(w: World, p: PingProc, skb: SkBuff): void {
  const h = skb.head;
  const ih = skb.networkHeader;
  const hl = (h[ih] & 0xf) * 4;
  const it = ih + hl;
  if (h[it] !== 0 || get16(h, it + 4) !== p.ident) return;
  const seq = get16(h, it + 6);
  const from = get32(h, ih + 12);
  const ttl = h[ih + 8];
  const bytes = get16(h, ih + 2) - hl;
  const bit = 1 << (seq & 7);
  const dup = (p.acked[seq >> 3] & bit) !== 0;
  let timing = '';
  if (p.opts.size >= 16) {
    // Like iputils, the send time travels in the echo payload.
    // gather_statistics: a duplicate's round trip counts too.
    const rtt = w.now - sentAt(h, it + 8);
    p.tmin = Math.min(p.tmin, rtt);
    p.tmax = Math.max(p.tmax, rtt);
    p.tsum += rtt;
    p.tsum2 += rtt * rtt;
    timing = ` time=${fmtMs(rtt)} ms`;
  }
  acknowledge(p, seq);
  if (dup) p.ndup++;
  else {
    p.nreceived++;
    p.acked[seq >> 3] |= bit;
  }
  if (p.opts.flood) {
    if (!p.opts.quiet) print(w, p, '\b \b');
  } else if (!p.opts.quiet) {
    // A broadcast ping expects many answers: iputils marks duplicates only under -v.
    const mark = dup && (!p.opts.broadcast || p.opts.verbose) ? ' (DUP!)' : '';
    print(w, p, `${bytes} bytes from ${ipStr(from)}: icmp_seq=${seq} ttl=${ttl}${timing}${mark}\n`);
  }
  if (p.opts.flood && !p.opts.intervalGiven && !finished(p)) p.nextSendAt = w.now + FLOOD_LOOP_NS;
}

/** The struct timeval ping wrote into the payload, back in virtual ns. */
function sentAt(h: Uint8Array, off: number): number {
  const sec = (h[off] | (h[off + 1] << 8) | (h[off + 2] << 16) | (h[off + 3] << 24)) >>> 0;
  const usec = (h[off + 8] | (h[off + 9] << 8) | (h[off + 10] << 16) | (h[off + 11] << 24)) >>> 0;
  return (sec - EPOCH_SEC) * 1e9 + usec * 1e3;
}

function fmt3(ns: number): string {
  const us = Math.round(ns / 1000);
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

function fmtLoss(p: PingProc): string {
  if (!p.ntransmitted) return '0';
  const v = ((p.ntransmitted - p.nreceived) * 100) / p.ntransmitted;
  return String(Number(v.toPrecision(6)));
}

export function pingFinish(w: World, p: PingProc): void {
  p.done = true;
  p.sock.closed = true;
  // Closing the socket purges whatever it had not read.
  inet_release(w, netByUid(w, p.netUid), p.sock);
  const elapsedMs = Math.round((w.now - p.start) / 1e6);
  let s = `\n--- ${p.dstText} ping statistics ---\n`;
  s += `${p.ntransmitted} packets transmitted, ${p.nreceived} received`;
  if (p.ndup) s += `, +${p.ndup} duplicates`;
  if (p.nerrors) s += `, +${p.nerrors} errors`;
  s += `, ${fmtLoss(p)}% packet loss, time ${elapsedMs}ms`;
  s += '\n';
  let comma = '';
  if (p.nreceived && p.opts.size >= 16) {
    // Averages over every reply timed, duplicates included.
    const n = p.nreceived + p.ndup;
    const avg = p.tsum / n;
    const mdev = Math.sqrt(Math.max(0, p.tsum2 / n - avg * avg));
    s += `rtt min/avg/max/mdev = ${fmt3(p.tmin)}/${fmt3(avg)}/${fmt3(p.tmax)}/${fmt3(mdev)} ms`;
    comma = ', ';
  }
  if (p.pipesize > 1) {
    s += `${comma}pipe ${p.pipesize}`;
    comma = ', ';
  }
  if (p.nreceived && (p.opts.flood || p.opts.interval === 0) && p.ntransmitted > 1) {
    const ipg = (p.lastSend - p.start) / (p.ntransmitted - 1);
    s += `${comma}ipg/ewma ${fmt3(ipg)}/${fmt3(p.tsum / p.nreceived)} ms`;
  }
  s += '\n';
  print(w, p, s);
  // 0 when replies came (under -w: as many as were asked for), else 1.
  p.exitCode = p.nreceived && (!p.opts.deadline || p.nreceived >= (p.opts.count || 1)) ? 0 : 1;
}
