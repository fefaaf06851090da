// The iputils `ping` program, as root, through the system calls iputils
// makes (strace of iputils 20221126): a raw ICMP socket (socket,
// setsockopt ICMP_FILTER and IP_RECVERR), a UDP "probe" socket connect()ed
// to the destination to learn the source address the kernel would use
// (getsockname, then close), then echo requests by sendto() on a timer and
// replies and errors read by recvmsg() as poll() reports them. Output
// matches iputils 2024.
import type { World } from '../kernel/world.ts';
import { newUid, randomU32 } from '../kernel/world.ts';
import {
  AF_INET,
  EPOLLERR,
  EPOLLIN,
  ICMP_FILTER,
  IP_MTU_DISCOVER,
  IP_PMTUDISC_DO,
  IP_PMTUDISC_DONT,
  IP_PMTUDISC_WANT,
  IP_RECVERR,
  IP_TTL,
  SO_EE_ORIGIN_LOCAL,
  IPPROTO_ICMP,
  IPPROTO_IP,
  MSG_DONTWAIT,
  MSG_ERRQUEUE,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SOCK_DGRAM,
  SOCK_RAW,
  SOL_IP,
  SOL_RAW,
  SOL_SOCKET,
} from '../include/sock.ts';
import { EACCES, EMSGSIZE, ENOBUFS, strerror } from '../include/errno.ts';
import { register_program, schedule_task_at } from '../kernel/sched.ts';
import type { Task } from '../include/sched.ts';
import { ipStr, parseIp } from '../net/ipv4/addr.ts';
import {
  __sys_bind,
  __sys_connect,
  __sys_recvmsg,
  __sys_sendto,
  __sys_setsockopt,
  __sys_socket,
  exit_files,
  sock_poll,
  sys_close,
  sys_getsockname,
} from '../net/socket.ts';
import type { Msghdr } from '../net/core/sock.ts';
import type { SockExtendedErr } from '../include/sock.ts';
import { get16, get32, ipChecksum, put16 } from '../net/core/skbuff.ts';
import { countedSince } from '../kernel/call.ts';
import { functionIds } from '../trace/functions.ts';
import type { ToolContext } from './tool.ts';
import { writeOut, writePingLog } from '../run/terminal.ts';

export interface PingOpts {
  count: number; // 0: forever
  interval: number; // ns
  intervalGiven: boolean;
  linger: number; // ns (-W)
  deadline: number; // ns (-w), 0 none
  size: number;
  /** -t: IP_TTL on the socket (0: the namespace's default). */
  ttl: number;
  /** -M: IP_MTU_DISCOVER on the socket (-1: left as the kernel sets it). */
  pmtudisc: number;
  flood: boolean;
  quiet: boolean;
  iface: string | null;
  preload: number;
  broadcast: boolean;
  verbose: boolean;
  /** -O: report an echo request still unanswered when the next one is due. */
  outstanding: boolean;
  /** -p: the bytes that fill the payload, repeated (null: 0, 1, 2, ...). */
  pattern: number[] | null;
}

export interface PingProc extends Task {
  comm: 'ping';
  /** The raw ICMP socket's file descriptor. */
  fd: number;
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

/** inet_pton(AF_INET6): eight hex groups, '::' once for a run of zeros, an IPv4 tail counting as two. */
function isIpv6Literal(text: string): boolean {
  let t = text;
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (v4) {
    if (parseIp(v4[1]) === null) return false;
    t = `${t.slice(0, v4.index)}:0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return false;
  const parts = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (!parts.every((g) => g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)))) return false;
  const n = parts.reduce((k, g) => k + g.length, 0);
  return halves.length === 2 ? n < 8 : n === 8;
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
    ttl: 0,
    pmtudisc: -1,
    flood: false,
    quiet: false,
    iface: null,
    preload: 1,
    broadcast: false,
    verbose: false,
    outstanding: false,
    pattern: null,
  };
  // glibc getopt permutes: options may follow the destination, until `--`.
  const operands: string[] = [];
  let optionsEnded = false;
  const needsArg = 'cIWwistlQMp';
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
              // An argument with a colon is taken for an IPv6 source address
              // (a scope after '%' aside), which an IPv4 ping cannot use.
              if (v.includes(':') && !isIpv6Literal(v.split('%')[0])) return usageError(ctx, `invalid source address: ${v}`);
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
            case 'M':
              if (v === 'do') o.pmtudisc = IP_PMTUDISC_DO;
              else if (v === 'dont') o.pmtudisc = IP_PMTUDISC_DONT;
              else if (v === 'want') o.pmtudisc = IP_PMTUDISC_WANT;
              else return usageError(ctx, `invalid -M argument: ${v}`);
              break;
            case 'Q':
              break;
            case 'p': {
              // fill(): hex digits only, read as up to 16 bytes.
              const bad = v.search(/[^0-9a-fA-F]/);
              if (bad >= 0) return usageError(ctx, `patterns must be specified as hex digits: ${v.slice(bad)}`);
              o.pattern = (v.slice(0, 32).match(/.{1,2}/g) ?? []).map((h) => parseInt(h, 16));
              break;
            }
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
          case 'O':
            o.outstanding = true;
            break;
          case 'n':
          case 'D':
          case 'U':
          case 'A':
          case '4':
            break;
          default:
            return getoptError(ctx, `invalid option -- '${f}'`);
        }
      }
    } else operands.push(a);
  }
  // fill()'s line, unless -q was given (before or after -p, as recorded).
  if (o.pattern && !o.quiet) ctx.stdout(`PATTERN: 0x${o.pattern.map((b) => b.toString(16).padStart(2, '0')).join('')}`);
  if (o.pattern && !o.pattern.length) o.pattern = null;
  if (operands.length > 1) return usageError(ctx, `usage error: Only one destination address allowed`);
  const target = operands.length ? operands[0] : null;
  if (target === null) return usageError(ctx, 'usage error: Destination address required');
  if (o.flood && !o.intervalGiven) o.interval = 0;
  const dst = parseIp(target);
  if (dst === null) {
    ctx.stderr(`${PING_ARGV0}: ${target}: Name or service not known`);
    return 2;
  }
  const proc: PingProc = {
    pid: newUid(w),
    comm: 'ping',
    netUid: net.uid,
    fd: -1,
    opts: o,
    dst,
    dstText: target,
    ident: 0,
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
  const setup = pingSetup(ctx, proc);
  if (typeof setup === 'number') {
    // The process exits: its descriptors are closed.
    syscall(w, [], () => exit_files(w, proc));
    return setup;
  }
  const { source, strictSource, warnBroadcast } = setup;
  if (warnBroadcast) ctx.stderr('WARNING: pinging broadcast address');
  proc.ident = randomU32(w) & 0xffff;
  w.procs.push(proc);
  const from = o.iface !== null ? `from ${ipStr(source)} ${strictSource ? '' : o.iface}: ` : '';
  print(w, proc, `PING ${ipStr(dst)} (${ipStr(dst)}) ${from}${o.size}(${o.size + 28}) bytes of data.\n`);
  pingRun(w, proc);
  return proc;
}

/**
 * A system call ping makes: share links before format 4 counted only the
 * calls in `keep` (ping called them directly), so the steps on the way are
 * marked as counted since format 4.
 */
function syscall<T>(w: World, keep: readonly number[], call: () => T): T {
  return countedSince(w, 4, keep, call);
}

/** What share links before format 4 counted of each system call (see syscall). */
let keptIds: Record<'bind' | 'connect' | 'sendto' | 'recvmsg' | 'recverr' | 'close', number[]> | null = null;
function kept() {
  return (keptIds ??= {
    bind: functionIds('inet_addr_type_dev_table'),
    connect: functionIds('ip_route_output_key_hash_rcu'),
    sendto: functionIds('raw_sendmsg'),
    recvmsg: functionIds('raw_recvmsg'),
    recverr: functionIds('consume_skb'),
    close: functionIds('inet_release'),
  });
}

/** What the setup learnt: the source address, whether it was bound, whether the destination is a broadcast. */
interface Setup {
  source: number;
  strictSource: boolean;
  warnBroadcast: boolean;
}

/**
 * ping4_run's setup: the raw socket, its binding, the probe for a source
 * address, and the socket's options. An exit status when it fails.
 */
function pingSetup(ctx: ToolContext, p: PingProc): Setup | number {
  const w = ctx.w;
  const net = ctx.net;
  const o = p.opts;
  const fd = syscall(w, [], () => __sys_socket(w, p, net, AF_INET, SOCK_RAW, IPPROTO_ICMP));
  if (fd < 0) {
    ctx.stderr(`${PING_ARGV0}: socket: ${strerror(-fd)}`);
    return 2;
  }
  p.fd = fd;
  let source = 0;
  let strictSource = false;
  let device: string | null = null;
  if (o.iface !== null) {
    const asAddr = parseIp(o.iface);
    if (asAddr !== null) {
      const err = syscall(w, kept().bind, () => __sys_bind(w, p, fd, { family: AF_INET, addr: asAddr, port: 0 }));
      if (err < 0) {
        ctx.stderr(`${PING_ARGV0}: bind: ${strerror(-err)}`);
        return 2;
      }
      source = asAddr;
      strictSource = true;
    } else device = o.iface;
  }
  let warnBroadcast = false;
  if (!source) {
    // The probe: connect() a UDP socket to learn which source the kernel would use.
    const probe = syscall(w, [], () => __sys_socket(w, p, net, AF_INET, SOCK_DGRAM, IPPROTO_IP));
    if (probe < 0) {
      ctx.stderr(`${PING_ARGV0}: socket: ${strerror(-probe)}`);
      return 2;
    }
    if (device !== null) {
      const name = device;
      const err = syscall(w, [], () => __sys_setsockopt(w, p, probe, SOL_SOCKET, SO_BINDTODEVICE, name));
      if (err < 0) {
        ctx.stderr(`${PING_ARGV0}: SO_BINDTODEVICE ${name}: ${strerror(-err)}`);
        return 2;
      }
      syscall(w, [], () => __sys_setsockopt(w, p, fd, SOL_SOCKET, SO_BINDTODEVICE, name));
    }
    const to = { family: AF_INET, addr: p.dst, port: 1025 };
    let err = syscall(w, kept().connect, () => __sys_connect(w, p, probe, to));
    if (err === -EACCES) {
      if (!o.broadcast) {
        ctx.stderr(`${PING_ARGV0}: Do you want to ping broadcast? Then -b. If not, check your local firewall rules`);
        return 2;
      }
      warnBroadcast = true;
      syscall(w, [], () => __sys_setsockopt(w, p, probe, SOL_SOCKET, SO_BROADCAST, 1));
      err = syscall(w, kept().connect, () => __sys_connect(w, p, probe, to));
    }
    if (err < 0) {
      ctx.stderr(`${PING_ARGV0}: connect: ${strerror(-err)}`);
      return 2;
    }
    const name = sys_getsockname(w, p, probe);
    if (typeof name === 'number') {
      ctx.stderr(`${PING_ARGV0}: getsockname: ${strerror(-name)}`);
      return 2;
    }
    source = name.addr;
    // getifaddrs: an address of the device's own name (its label) must be the
    // source the kernel picked, else ping warns (and goes on).
    if (device !== null && !net.devices.some((d) => d.inDev.addrs.some((a) => a.label === device && a.local === source)))
      ctx.stderr(`${PING_ARGV0}: Warning: source address might be selected on device other than: ${device}`);
    syscall(w, [], () => sys_close(w, p, probe));
  }
  syscall(w, [], () => __sys_setsockopt(w, p, fd, SOL_RAW, ICMP_FILTER, ~ICMP_FILTER_ALLOW >>> 0));
  syscall(w, [], () => __sys_setsockopt(w, p, fd, SOL_IP, IP_RECVERR, 1));
  if (o.broadcast) syscall(w, [], () => __sys_setsockopt(w, p, fd, SOL_SOCKET, SO_BROADCAST, 1));
  if (o.ttl) syscall(w, [], () => __sys_setsockopt(w, p, fd, SOL_IP, IP_TTL, o.ttl));
  if (o.pmtudisc >= 0) syscall(w, [], () => __sys_setsockopt(w, p, fd, SOL_IP, IP_MTU_DISCOVER, o.pmtudisc));
  // ping sleeps in poll() on its socket: what is queued there wakes it (the wait queue).
  sock_poll(w, p, fd);
  return { source, strictSource, warnBroadcast };
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
  const pattern = p.opts.pattern;
  for (let i = 0; i < data.length; i++) data[i] = pattern ? pattern[i % pattern.length] : i & 0xff;
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
  // pinger, under -O: the request sent last has no answer yet (an ICMP error
  // about it does not count as one). Printed even under -q, as iputils does.
  const last = p.ntransmitted & 0xffff;
  if (p.opts.outstanding && p.ntransmitted > 0 && !rcvd_test(p, last)) print(w, p, `no answer yet for icmp_seq=${last}\n`);
  const seq = p.ntransmitted + 1;
  p.ntransmitted++;
  p.lastSend = w.now;
  const echo = buildEcho(w, p, seq);
  const to = { family: AF_INET, addr: p.dst, port: 0 };
  const err = syscall(w, kept().sendto, () => __sys_sendto(w, p, p.fd, echo, 0, to));
  if (err >= 0) {
    if (p.opts.flood && !p.opts.quiet) print(w, p, '.');
    return;
  }
  if (err === -ENOBUFS) {
    print(w, p, `${PING_ARGV0}: sendmsg: ${strerror(err)}\n`);
    p.nerrors++;
    return;
  }
  // pinger: a failed send looks at the error queue first. A local error
  // there (the packet too big for -M do) is printed as such; a network error
  // makes the send a hard local error, reported by its errno; with nothing
  // queued, the echo counts as sent and nothing is printed.
  if (receive_error_msg(w, p) !== 'icmp' || p.opts.quiet) return;
  print(w, p, p.opts.flood ? 'E' : `${PING_ARGV0}: sendmsg: ${strerror(err)}\n`);
}

/**
 * receive_error_msg: reads one error off the socket's error queue and
 * reports it; what it was ('none' when nothing was queued).
 */
function receive_error_msg(w: World, p: PingProc): 'none' | 'local' | 'icmp' {
  const msg: Msghdr = { name: null, data: new Uint8Array(0), size: packlen(p) };
  const n = syscall(w, kept().recverr, () => __sys_recvmsg(w, p, p.fd, msg, MSG_ERRQUEUE | MSG_DONTWAIT));
  if (n < 0 || !msg.ee) return 'none';
  if (msg.ee.origin === SO_EE_ORIGIN_LOCAL) {
    localError(w, p, msg.ee);
    return 'local';
  }
  handleError(w, p, msg);
  return 'icmp';
}

/** A local error: one this host found (EMSGSIZE under -M do, with the MTU). */
function localError(w: World, p: PingProc, e: SockExtendedErr): void {
  p.nerrors++;
  if (p.opts.quiet) return;
  if (p.opts.flood) print(w, p, 'E');
  else if (e.errno !== EMSGSIZE) print(w, p, `${PING_ARGV0}: local error: ${strerror(e.errno)}\n`);
  else print(w, p, `${PING_ARGV0}: local error: message too long, mtu=${e.info}\n`);
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

/** rcvd_test: whether echo request `seq` (its low 16 bits) has been answered. */
function rcvd_test(p: PingProc, seq: number): boolean {
  return (p.acked[seq >> 3] & (1 << (seq & 7))) !== 0;
}

/** in_flight(): requests sent after the newest one answered. */
function inFlight(p: PingProc): number {
  const n = (p.ntransmitted - p.newestAcked) & 0xffff;
  return n < 0x7fff ? n : 0;
}

/**
 * pinger()'s "sent enough": -c COUNT requests, unless -w is given, under which
 * ping sends until COUNT are answered or the deadline comes.
 */
function allSent(p: PingProc): boolean {
  return p.opts.count > 0 && p.ntransmitted >= p.opts.count && !p.opts.deadline;
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
    if (!allSent(p) && w.now >= p.nextSendAt) {
      const burst = p.ntransmitted === 0 ? Math.min(p.opts.preload, p.opts.count || Infinity) : 1;
      for (let i = 0; i < burst; i++) sendOne(w, p);
      // Flood mode sends again as soon as a reply comes back, and at least every 10 ms.
      p.nextSendAt = p.lastSend + (p.opts.flood && !p.opts.intervalGiven ? 10_000_000 : p.opts.interval);
      readReplies(w, p);
      if (finished(p)) return pingFinish(w, p);
      if (allSent(p)) {
        // __schedule_exit: after the last probe, linger for replies.
        const wait = p.nreceived ? Math.max(2 * p.tmax, p.opts.interval) : p.opts.linger;
        p.exitAt = Math.min(p.exitAt, p.lastSend + wait);
      }
    }
    const next = Math.min(allSent(p) ? Infinity : p.nextSendAt, p.exitAt);
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

/** ping's receive buffer: the largest echo with its IP header (iputils' packlen). */
function packlen(p: PingProc): number {
  return p.opts.size + 8 + 60 + 76;
}

function readReplies(w: World, p: PingProc): void {
  // poll() reported an error: it is read off the error queue (receive_error_msg).
  while (sock_poll(w, p, p.fd) & EPOLLERR) {
    if (receive_error_msg(w, p) === 'none') break;
  }
  while (sock_poll(w, p, p.fd) & EPOLLIN) {
    const msg: Msghdr = { name: null, data: new Uint8Array(0), size: packlen(p) };
    const n = syscall(w, kept().recvmsg, () => __sys_recvmsg(w, p, p.fd, msg, MSG_DONTWAIT));
    if (n < 0) break;
    handleReply(w, p, msg.data);
    // main_loop leaves its read loop when nothing is in flight and checks
    // whether it is done: the other answers to a last broadcast stay unread.
    if (inFlight(p) === 0 && finished(p)) break;
  }
}

/**
 * An ICMP error about one of our echo requests (the
 * quoted ICMP header is ours, sent to our destination) counts as an error
 * and is printed; any other is not ours.
 */
function handleError(w: World, p: PingProc, msg: Msghdr): void {
  const e = msg.ee;
  const q = msg.data;
  if (!e || q.length < 8 || msg.name?.addr !== p.dst || q[0] !== 8 || get16(q, 4) !== p.ident) return;
  const seq = get16(q, 6);
  acknowledge(p, seq);
  p.nerrors++;
  if (p.opts.flood) {
    if (!p.opts.quiet) print(w, p, '\bE');
  } else if (!p.opts.quiet) print(w, p, `From ${ipStr(e.offender)} icmp_seq=${seq} ${pr_icmph(e.type, e.code, e.info)}\n`);
}

/** pr_icmph: what an ICMP message means, as iputils words it (`info`: the header's second word). */
function pr_icmph(type: number, code: number, info: number): string {
  if (type === 3 && code === 4) return `Frag needed and DF set (mtu = ${info})`;
  if (type === 3) return UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  if (type === 4) return 'Source Quench';
  if (type === 5) {
    const what = REDIRECT_TEXT[code] ?? `Redirect, Bad Code: ${code}`;
    return `${what}(New nexthop: ${ipStr(info)})`;
  }
  if (type === 11) return code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  return `Bad ICMP type: ${type}`;
}

const REDIRECT_TEXT = [
  'Redirect Network',
  'Redirect Host',
  'Redirect Type of Service and Network',
  'Redirect Type of Service and Host',
];

/**
 * The raw socket's copy of an ICMP message other than an echo reply (the
 * filter lets through source quench, redirect and the errors). If it quotes
 * one of our echo requests: an error was counted from the error queue
 * already, so it is only acknowledged; a redirect or a source quench is
 * printed, "From GW: icmp_seq=N ..." (with a colon, unlike the errors).
 */
function handleIcmpMessage(w: World, p: PingProc, h: Uint8Array, it: number): void {
  const type = h[it];
  if (type !== 3 && type !== 4 && type !== 5 && type !== 11 && type !== 12) return;
  const iph = it + 8;
  const icp1 = iph + (h[iph] & 0xf) * 4;
  const cc = h.length - it;
  if (cc < 8 + 20 + 8 || icp1 + 8 > h.length) return;
  if (h[icp1] !== 8 || get32(h, iph + 16) !== p.dst || get16(h, icp1 + 4) !== p.ident) return;
  const seq = get16(h, icp1 + 6);
  if (type !== 5 && type !== 4) {
    acknowledge(p, seq);
    return;
  }
  if (p.opts.quiet || p.opts.flood) return;
  print(w, p, `From ${ipStr(get32(h, 12))}: icmp_seq=${seq} ${pr_icmph(type, h[it + 1], get32(h, it + 4))}\n`);
}

/** parse_reply: `h` is the packet as recvmsg copied it, IP header first. */
function handleReply(w: World, p: PingProc, h: Uint8Array): void {
  const hl = (h[0] & 0xf) * 4;
  const it = hl;
  if (h[it] !== 0) return handleIcmpMessage(w, p, h, it);
  if (get16(h, it + 4) !== p.ident) return;
  const seq = get16(h, it + 6);
  const from = get32(h, 12);
  const ttl = h[8];
  const bytes = get16(h, 2) - hl;
  const dup = rcvd_test(p, seq);
  // Like iputils, the send time travels in the echo payload (when it is large enough to hold it).
  const timed = p.opts.size >= 16;
  const rtt = timed ? w.now - sentAt(h, it + 8) : 0;
  if (timed) {
    // gather_statistics: a duplicate's round trip counts too.
    p.tmin = Math.min(p.tmin, rtt);
    p.tmax = Math.max(p.tmax, rtt);
    p.tsum += rtt;
    p.tsum2 += rtt * rtt;
  }
  acknowledge(p, seq);
  if (dup) p.ndup++;
  else {
    p.nreceived++;
    p.acked[seq >> 3] |= 1 << (seq & 7);
  }
  if (p.opts.flood) {
    if (!p.opts.quiet) print(w, p, '\b \b');
  } else if (!p.opts.quiet) {
    // A broadcast ping expects many answers: iputils marks duplicates only under -v.
    const mark = dup && (!p.opts.broadcast || p.opts.verbose) ? ' (DUP!)' : '';
    const timing = timed ? ` time=${fmtMs(rtt)} ms` : '';
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
  // At exit its socket is closed, and whatever it had not read is purged.
  const fd = p.fd;
  syscall(w, kept().close, () => sys_close(w, p, fd));
  // 0 when replies came (under -w: as many as were asked for), else 1.
  p.exitCode = p.nreceived && (!p.opts.deadline || p.nreceived >= (p.opts.count || 1)) ? 0 : 1;
}
