// netcat-openbsd (Debian 1.219) as `nc`: a client that connects (TCP or UDP)
// and copies its standard input to the socket and the socket to its
// standard output, or a listener (-l) that waits for one peer and does the
// same. Like the real program it uses non-blocking sockets and waits in
// poll(): each time the kernel wakes it (data queued, an error reported,
// its poll timeout), it runs until it would wait again. It reaches the
// kernel only through the socket system calls (net/socket.ts), so TCP
// works here as soon as the kernel has inet_stream_ops.
import type { World } from '../kernel/world.ts';
import type { Task } from '../include/sched.ts';
import {
  AF_INET,
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  MSG_PEEK,
  SHUT_RD,
  SHUT_WR,
  SO_REUSEADDR,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
} from '../include/sock.ts';
import { EAGAIN, EINPROGRESS, strerror } from '../include/errno.ts';
import { newUid } from '../kernel/world.ts';
import { cut_turn, register_program, schedule_task_at, STEPS_PER_TURN } from '../kernel/sched.ts';
import { netByUid } from '../net/core/net_namespace.ts';
import { parseIp } from '../net/ipv4/addr.ts';
import {
  __sys_accept4,
  __sys_bind,
  __sys_connect,
  __sys_listen,
  __sys_recvfrom,
  __sys_sendto,
  __sys_setsockopt,
  __sys_shutdown,
  __sys_socket,
  exit_files,
  sock_poll,
  sys_close,
  sys_getsockname,
  sys_getsockopt_so_error,
} from '../net/socket.ts';
import { getservbyport } from './etc/services.ts';
import { EAI_AGAIN_TEXT, getnameinfo } from './etc/resolver.ts';
import { writeOut } from '../run/terminal.ts';
import type { ToolContext } from './tool.ts';
import { provide_program } from './programs.ts';

const USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]`;

/** getopt's string of netcat-openbsd 1.219: letters followed by ':' take an argument. */
const OPTSTRING = '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz';

/** BUFSIZE: how much netcat reads at once. */
const BUFSIZE = 16384;

interface NcOpts {
  listen: boolean;
  udp: boolean;
  /** -N: shutdown(SHUT_WR) after EOF on standard input. */
  shutdownOnEof: boolean;
  /** -q: seconds to wait after EOF on standard input before quitting; -1: forever. */
  quitAfterEof: number;
  /** -w: the poll timeout, ms; -1: none. */
  timeoutMs: number;
  zero: boolean;
  verbose: boolean;
  numeric: boolean;
  keep: boolean;
  detach: boolean;
  source: string | null;
  sourcePort: string | null;
}

/** One of readwrite()'s four pollfds: the descriptor (-1: gone) and the events it waits for. */
interface PollFd {
  fd: number;
  events: number;
}

type Phase = 'next-port' | 'connecting' | 'accepting' | 'udp-peer' | 'readwrite' | 'quit';

export interface NcProc extends Task {
  comm: 'nc';
  opts: NcOpts;
  host: string;
  ports: number[];
  portIdx: number;
  phase: Phase;
  /** The listening socket (-l), or -1. */
  lfd: number;
  /** The connected socket, or -1. */
  fd: number;
  /** Exit status so far: 1 until a port connects (a UDP one also passing udptest). */
  ret: number;
  /** Standard input: the text a pipe gives (`echo ... |`), or null for /dev/null. */
  stdinText: Uint8Array | null;
  stdinPos: number;
  pfd: PollFd[];
  stdinbuf: number[];
  netinbuf: number[];
  /** When the current poll() times out (Infinity: no timeout), or -1 when no poll is pending. */
  pollDeadline: number;
  /** -q: when the program quits after standard input ended (Infinity: not set). */
  quitAt: number;
  /** Output kept until exit instead of reaching the terminal (the recorder's wrapper captures a client's). */
  buffered: boolean;
  stdoutNull: boolean;
  outBuf: string;
}

const POLL_STDIN = 0;
const POLL_NETOUT = 1;
const POLL_NETIN = 2;
const POLL_STDOUT = 3;
const POLLNVAL = 0x20;

function parsePort(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  return Number(text);
}

/** Standard output (what nc read from the network). */
function print(w: World, p: NcProc, text: string): void {
  if (p.buffered) p.outBuf += text;
  else if (!p.stdoutNull) writeOut(w, text);
}

/** Standard error: the recorder's wrapper keeps it with the output; a listener's reaches the terminal as it is written. */
function printErr(w: World, p: NcProc, text: string): void {
  if (p.buffered) p.outBuf += text;
  else writeOut(w, text);
}

function warn(w: World, p: NcProc, msg: string): void {
  printErr(w, p, `nc: ${msg}\n`);
}

/** err(1, ...) / errx(1, ...): a message, then exit 1. */
function fatal(w: World, p: NcProc, msg: string): void {
  warn(w, p, msg);
  exitNc(w, p, 1);
}

function exitNc(w: World, p: NcProc, code: number): void {
  exit_files(w, p);
  p.exitCode = code;
  p.phase = 'quit';
  p.done = true;
}

export interface NcJob {
  /** The text a pipe gives as standard input, or null for /dev/null. */
  stdin: string | null;
  /** Keep the output until exit (the recorder's wrapper around a traced client). */
  buffered: boolean;
  /** `> /dev/null`: what nc writes to its standard output goes nowhere. */
  stdoutNull: boolean;
}

/** Is this nc command line a client (traced by the recorder) rather than a listener? */
export function ncIsListener(argv: string[]): boolean {
  return argv.slice(1).some((a) => a === '-l' || /^-[^-]*l/.test(a));
}

/** Starts nc: returns its process (possibly already done, with its exit status). */
export function ncStart(ctx: ToolContext, argv: string[], job: NcJob): NcProc {
  const w = ctx.w;
  const p: NcProc = {
    pid: newUid(w),
    comm: 'nc',
    netUid: ctx.net.uid,
    gen: 0,
    nextWakeAt: Infinity,
    done: false,
    exitCode: 0,
    files: [],
    opts: {
      listen: false,
      udp: false,
      shutdownOnEof: false,
      quitAfterEof: -1,
      timeoutMs: -1,
      zero: false,
      verbose: false,
      numeric: false,
      keep: false,
      detach: false,
      source: null,
      sourcePort: null,
    },
    host: '',
    ports: [],
    portIdx: 0,
    phase: 'next-port',
    lfd: -1,
    fd: -1,
    ret: 1,
    stdinText: job.stdin === null ? null : new TextEncoder().encode(job.stdin),
    stdinPos: 0,
    pfd: [],
    stdinbuf: [],
    netinbuf: [],
    pollDeadline: -1,
    quitAt: Infinity,
    buffered: job.buffered,
    stdoutNull: job.stdoutNull,
    outBuf: '',
  };
  w.procs.push(p);
  if (!parseArgs(w, p, argv)) return p;
  ncRun(w, p);
  return p;
}

/** getopt (with glibc's permutation) and netcat's checks of its arguments. */
function parseArgs(w: World, p: NcProc, argv: string[]): boolean {
  const o = p.opts;
  const operands: string[] = [];
  let ended = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' && !ended) {
      ended = true;
      continue;
    }
    if (ended || !a.startsWith('-') || a.length === 1) {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      const at = OPTSTRING.indexOf(f);
      if (at < 0 || f === ':') {
        printErr(w, p, `nc: invalid option -- '${f}'\n${USAGE}\n`);
        exitNc(w, p, 1);
        return false;
      }
      let v: string | null = null;
      if (OPTSTRING[at + 1] === ':') {
        v = a.slice(j + 1) || (argv[++i] ?? null);
        if (v === null) {
          printErr(w, p, `nc: option requires an argument -- '${f}'\n${USAGE}\n`);
          exitNc(w, p, 1);
          return false;
        }
      }
      switch (f) {
        case 'l':
          o.listen = true;
          break;
        case 'u':
          o.udp = true;
          break;
        case 'N':
          o.shutdownOnEof = true;
          break;
        case 'z':
          o.zero = true;
          break;
        case 'v':
          o.verbose = true;
          break;
        case 'n':
          o.numeric = true;
          break;
        case 'k':
          o.keep = true;
          break;
        case 'd':
          o.detach = true;
          break;
        case 'q': {
          const n = Number(v);
          if (!/^-?\d+$/.test(v!)) return usageFail(w, p, `quit timer ${v!}`);
          o.quitAfterEof = n;
          break;
        }
        case 'w': {
          const n = Number(v);
          if (!/^\d+$/.test(v!) || n > 2147483) return usageFail(w, p, `timeout ${v!}`);
          o.timeoutMs = n * 1000;
          break;
        }
        case 's':
          o.source = v;
          break;
        case 'p':
          o.sourcePort = v;
          break;
        case '4':
          break;
        default: {
          printErr(w, p, `skbwalk: nc: option -${f} is not supported by skbwalk\n`);
          exitNc(w, p, 1);
          return false;
        }
      }
      if (v !== null) break;
    }
  }
  // Debian's -q: a quit timer of zero or more seconds implies -N.
  if (o.quitAfterEof >= 0) o.shutdownOnEof = true;
  let host: string | null = null;
  let portArgs: string[] = [];
  if (o.listen && o.sourcePort !== null && operands.length <= 1) {
    // `nc -l -p PORT [ADDR]`; without ADDR, -s names the address to listen on.
    portArgs = [o.sourcePort];
    host = operands[0] ?? o.source;
  } else if (operands.length === 1 && o.listen) {
    portArgs = [operands[0]];
    host = o.source;
  } else if (operands.length >= 2) {
    // Debian's nc takes several ports after the host, each a port or a range.
    host = operands[0];
    portArgs = operands.slice(1);
    if (o.listen && operands.length > 2) return usageFail(w, p, null);
  } else if (operands.length === 1) host = operands[0];
  if (!portArgs.length) {
    if (!host && !o.listen) {
      printErr(w, p, `${USAGE}\n`);
      exitNc(w, p, 1);
      return false;
    }
    fatal(w, p, 'missing port number');
    return false;
  }
  if (o.listen && o.zero) return failx(w, p, 'cannot use -z and -l');
  const ports: number[] = [];
  for (const arg of portArgs) {
    const some = parsePortRange(w, p, arg);
    if (!some) return false;
    ports.push(...some);
  }
  p.ports = ports;
  p.host = host ?? '';
  if (host !== null && parseIp(host) === null) {
    // No name service here: a name that is not an address cannot be resolved.
    fatal(w, p, `getaddrinfo for host "${host}" port ${portArgs[0]}: Name or service not known`);
    return false;
  }
  p.phase = o.listen ? 'accepting' : 'next-port';
  return true;
}

function usageFail(w: World, p: NcProc, what: string | null): false {
  if (what) warn(w, p, `invalid ${what}`);
  printErr(w, p, `${USAGE}\n`);
  exitNc(w, p, 1);
  return false;
}

function failx(w: World, p: NcProc, msg: string): false {
  fatal(w, p, msg);
  return false;
}

/** build_ports: one port or a range "LO-HI". */
function parsePortRange(w: World, p: NcProc, text: string): number[] | null {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const check = (s: string): number | null => {
    const n = parsePort(s);
    if (n === null) {
      fatal(w, p, `port number invalid: ${s}`);
      return null;
    }
    if (n > 65535) {
      fatal(w, p, `port number too large: ${s}`);
      return null;
    }
    if (n < 1) {
      fatal(w, p, `port number too small: ${s}`);
      return null;
    }
    return n;
  };
  if (m) {
    const lo = check(m[1]);
    if (lo === null) return null;
    const hi = check(m[2]);
    if (hi === null) return null;
    const out: number[] = [];
    for (let n = Math.min(lo, hi); n <= Math.max(lo, hi); n++) out.push(n);
    return out;
  }
  const n = check(text);
  return n === null ? null : [n];
}

register_program('nc', { run: (w, task) => ncRun(w, task as NcProc) });
provide_program('nc', { ncStart, ncIsListener });

/** Everything nc does when it runs: go on from where it waited, until it must wait again or exits. */
export function ncRun(w: World, p: NcProc): void {
  if (p.done) return;
  p.nextWakeAt = Infinity;
  const savedCtx = w.ctx;
  w.ctx = 'task';
  try {
    const start = w.rec.count;
    for (let guard = 0; guard < 1_000_000 && !p.done; guard++) {
      if (w.now >= p.quitAt) return exitNc(w, p, 0);
      const more = step(w, p);
      if (!more) break;
      if (w.rec.count - start >= STEPS_PER_TURN) return cut_turn(w, p);
    }
  } finally {
    w.ctx = savedCtx;
  }
}

/** One move of the program; false when it waits (its wake-up is arranged). */
function step(w: World, p: NcProc): boolean {
  switch (p.phase) {
    case 'next-port':
      return clientNextPort(w, p);
    case 'connecting':
      return clientConnecting(w, p);
    case 'accepting':
      return listenAccept(w, p);
    case 'udp-peer':
      return listenUdpPeer(w, p);
    case 'readwrite':
      return readwrite(w, p);
    case 'quit':
      return false;
  }
}

function net(w: World, p: NcProc) {
  return netByUid(w, p.netUid);
}

/** Waits in poll(): on the sockets' wait queues, and until `deadline` (Infinity: no timeout). */
function sleepUntil(w: World, p: NcProc, deadline: number): false {
  if (deadline < Infinity) schedule_task_at(w, p, Math.max(deadline, w.now));
  return false;
}

function pollDeadline(w: World, p: NcProc): number {
  if (p.pollDeadline < 0) p.pollDeadline = p.opts.timeoutMs < 0 ? Infinity : w.now + p.opts.timeoutMs * 1e6;
  return p.pollDeadline;
}

function openSocket(w: World, p: NcProc): number {
  const type = p.opts.udp ? SOCK_DGRAM : SOCK_STREAM;
  return __sys_socket(w, p, net(w, p), AF_INET, type, 0, true);
}

function sourceAddr(p: NcProc): number | null {
  if (p.opts.source === null) return 0;
  return parseIp(p.opts.source);
}

/** remote_connect for the next port: socket, bind (-s, -p), connect. */
function clientNextPort(w: World, p: NcProc): boolean {
  if (p.portIdx >= p.ports.length) {
    exitNc(w, p, p.ret);
    return false;
  }
  const fd = openSocket(w, p);
  if (fd < 0) {
    fatal(w, p, strerror(fd));
    return false;
  }
  p.fd = fd;
  if (p.opts.source !== null || p.opts.sourcePort !== null) {
    const saddr = sourceAddr(p);
    if (saddr === null) {
      fatal(w, p, `getaddrinfo: Name or service not known`);
      return false;
    }
    const sport = p.opts.sourcePort === null ? 0 : (parsePort(p.opts.sourcePort) ?? 0);
    const r = __sys_bind(w, p, fd, { family: AF_INET, addr: saddr, port: sport });
    if (r < 0) {
      fatal(w, p, `bind failed: ${strerror(r)}`);
      return false;
    }
  }
  const dst = parseIp(p.host)!;
  const r = __sys_connect(w, p, fd, { family: AF_INET, addr: dst, port: p.ports[p.portIdx] });
  if (r === 0) return connected(w, p);
  if (r === -EINPROGRESS) {
    p.phase = 'connecting';
    p.pollDeadline = -1;
    return true;
  }
  return connectFailed(w, p, r);
}

/** timeout_connect: poll for POLLOUT, then SO_ERROR says how the connect ended. */
function clientConnecting(w: World, p: NcProc): boolean {
  const deadline = pollDeadline(w, p);
  const mask = sock_poll(w, p, p.fd);
  if (mask & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
    p.pollDeadline = -1;
    const soError = sys_getsockopt_so_error(p, p.fd);
    if (soError === 0) return connected(w, p);
    return connectFailed(w, p, -soError);
  }
  if (w.now >= deadline) {
    // connect_with_timeout's CONNECTION_TIMEOUT: errno still holds the
    // non-blocking connect()'s EINPROGRESS when the warning is printed.
    p.pollDeadline = -1;
    return connectFailed(w, p, -EINPROGRESS, 'timed out');
  }
  return sleepUntil(w, p, deadline);
}

function protoName(p: NcProc): 'tcp' | 'udp' {
  return p.opts.udp ? 'udp' : 'tcp';
}

function connectFailed(w: World, p: NcProc, err: number, how: 'failed' | 'timed out' = 'failed'): boolean {
  const port = p.ports[p.portIdx];
  if (p.opts.verbose) warn(w, p, `connect to ${p.host} port ${port} (${protoName(p)}) ${how}: ${strerror(err)}`);
  sys_close(w, p, p.fd);
  p.fd = -1;
  p.portIdx++;
  p.phase = 'next-port';
  return true;
}

/**
 * udptest: up to five one-byte writes (as strace shows Debian's nc making);
 * the first that fails (the port unreachable an earlier one drew) marks the
 * port closed.
 */
function udptest(w: World, p: NcProc): boolean {
  for (let i = 0; i < 5; i++) if (__sys_sendto(w, p, p.fd, new Uint8Array([0x58])) !== 1) return false;
  return true;
}

function connected(w: World, p: NcProc): boolean {
  const port = p.ports[p.portIdx];
  p.ret = 0;
  if (p.opts.verbose || p.opts.zero) {
    if (p.opts.udp && !udptest(w, p)) {
      // No word about a failed UDP "connection".
      sys_close(w, p, p.fd);
      p.fd = -1;
      p.ret = 1;
      p.portIdx++;
      p.phase = 'next-port';
      return true;
    }
    if (p.opts.verbose) {
      const sv = getservbyport(port, protoName(p)) ?? '*';
      printErr(w, p, `Connection to ${p.host} ${port} port [${protoName(p)}/${sv}] succeeded!\n`);
    }
  }
  if (p.opts.zero) {
    sys_close(w, p, p.fd);
    p.fd = -1;
    p.portIdx++;
    p.phase = 'next-port';
    return true;
  }
  startReadwrite(p);
  return true;
}

/** local_listen, then accept (TCP) or the first datagram's sender (UDP). */
function listenAccept(w: World, p: NcProc): boolean {
  if (p.lfd < 0) {
    const fd = openSocket(w, p);
    if (fd < 0) {
      fatal(w, p, strerror(fd));
      return false;
    }
    p.lfd = fd;
    __sys_setsockopt(w, p, fd, SOL_SOCKET, SO_REUSEADDR, 1);
    const addr = p.host ? parseIp(p.host)! : 0;
    const r = __sys_bind(w, p, fd, { family: AF_INET, addr, port: p.ports[0] });
    if (r < 0) {
      fatal(w, p, `bind failed: ${strerror(r)}`);
      return false;
    }
    if (!p.opts.udp) {
      const l = __sys_listen(w, p, fd, 1);
      if (l < 0) {
        fatal(w, p, `listen failed: ${strerror(l)}`);
        return false;
      }
    }
    if (p.opts.verbose) {
      const local = sys_getsockname(w, p, fd);
      if (typeof local !== 'number') report_sock(w, p, p.opts.udp ? 'Bound' : 'Listening', local.addr, local.port);
    }
    p.pollDeadline = -1;
  }
  if (p.opts.udp) {
    p.phase = 'udp-peer';
    return true;
  }
  // accept() blocks: netcat waits with no timeout.
  const mask = sock_poll(w, p, p.lfd);
  if (!(mask & (EPOLLIN | EPOLLERR))) return sleepUntil(w, p, Infinity);
  const cfd = __sys_accept4(w, p, p.lfd, true);
  if (cfd === -EAGAIN) return sleepUntil(w, p, Infinity);
  if (cfd < 0) {
    fatal(w, p, `accept: ${strerror(cfd)}`);
    return false;
  }
  p.fd = cfd;
  if (p.opts.verbose) reportPeer(w, p, cfd);
  // Only one connection, but the listening socket stays open (ss still lists it,
  // and a second SYN is answered) until netcat exits after this connection.
  startReadwrite(p);
  return true;
}

/** UDP without -k: recvfrom(MSG_PEEK) waits for a first datagram, then the socket connects to its sender. */
function listenUdpPeer(w: World, p: NcProc): boolean {
  const mask = sock_poll(w, p, p.lfd);
  if (!(mask & (EPOLLIN | EPOLLERR))) return sleepUntil(w, p, Infinity);
  const r = __sys_recvfrom(w, p, p.lfd, 2048, MSG_PEEK);
  if (r.ret === -EAGAIN) return sleepUntil(w, p, Infinity);
  if (r.ret < 0 || !r.from) {
    fatal(w, p, `recvfrom: ${strerror(r.ret)}`);
    return false;
  }
  const c = __sys_connect(w, p, p.lfd, { family: AF_INET, addr: r.from.addr, port: r.from.port });
  if (c < 0) {
    fatal(w, p, `connect: ${strerror(c)}`);
    return false;
  }
  p.fd = p.lfd;
  p.lfd = -1;
  if (p.opts.verbose) report_sock(w, p, 'Connection received', r.from.addr, r.from.port);
  startReadwrite(p);
  return true;
}

function reportPeer(w: World, p: NcProc, fd: number): void {
  const peer = sys_getsockname(w, p, fd, true);
  if (typeof peer !== 'number') report_sock(w, p, 'Connection received', peer.addr, peer.port);
}

/**
 * report_sock (Debian's netcat): "MSG on HOST PORT" on standard error, the
 * host by getnameinfo (numeric under -n); a failed lookup is only warned
 * about, and the line left out.
 */
function report_sock(w: World, p: NcProc, msg: string, addr: number, port: number): void {
  const host = getnameinfo(w, p, net(w, p), addr, p.opts.numeric);
  if (host === null) warn(w, p, `getnameinfo: ${EAI_AGAIN_TEXT}`);
  else printErr(w, p, `${msg} on ${host} ${port}\n`);
}

function startReadwrite(p: NcProc): void {
  p.phase = 'readwrite';
  p.pfd = [
    { fd: p.opts.detach ? -1 : 0, events: EPOLLIN },
    { fd: p.fd, events: 0 },
    { fd: p.fd, events: EPOLLIN },
    { fd: 1, events: 0 },
  ];
  p.stdinbuf = [];
  p.netinbuf = [];
  p.pollDeadline = -1;
}

/** poll() on standard input: a pipe with text left is readable (and hung up, its writer gone); /dev/null is always readable. */
function stdinRevents(p: NcProc): number {
  if (!p.stdinText) return EPOLLIN;
  return p.stdinPos < p.stdinText.length ? EPOLLIN | EPOLLHUP : EPOLLHUP;
}

/** The revents of readwrite's four pollfds (errors and hang-ups are reported whatever was asked). */
function pollOnce(w: World, p: NcProc): number[] {
  return p.pfd.map((pf, i) => {
    if (pf.fd < 0) return 0;
    let mask: number;
    if (i === POLL_STDIN) mask = stdinRevents(p);
    else if (i === POLL_STDOUT) mask = EPOLLOUT;
    else mask = sock_poll(w, p, pf.fd);
    return mask & (pf.events | EPOLLERR | EPOLLHUP | POLLNVAL);
  });
}

/** One turn of netcat's readwrite() loop; false when it waits in poll(). */
function readwrite(w: World, p: NcProc): boolean {
  const pfd = p.pfd;
  const quit = (): false => {
    finishConnection(w, p);
    return false;
  };
  // Both inputs gone and the buffers empty, both outputs gone, or (listening) the peer gone: done.
  if (pfd[POLL_STDIN].fd === -1 && pfd[POLL_NETIN].fd === -1 && !p.stdinbuf.length && !p.netinbuf.length) return quit();
  if (pfd[POLL_NETOUT].fd === -1 && pfd[POLL_STDOUT].fd === -1) return quit();
  if (p.opts.listen && pfd[POLL_NETIN].fd === -1 && !p.stdinbuf.length && !p.netinbuf.length) return quit();

  const deadline = pollDeadline(w, p);
  const revents = pollOnce(w, p);
  if (revents.every((r) => r === 0)) {
    if (w.now >= deadline) {
      // The poll timed out (-w): netcat returns from readwrite.
      p.pollDeadline = -1;
      return quit();
    }
    return sleepUntil(w, p, Math.min(deadline, p.quitAt));
  }
  p.pollDeadline = -1;

  for (let n = 0; n < 4; n++) if (revents[n] & (EPOLLERR | POLLNVAL)) pfd[n].fd = -1;
  // Reading is possible after a hang-up.
  if (pfd[POLL_STDIN].events & EPOLLIN && revents[POLL_STDIN] & EPOLLHUP && !(revents[POLL_STDIN] & EPOLLIN))
    pfd[POLL_STDIN].fd = -1;
  if (pfd[POLL_NETIN].events & EPOLLIN && revents[POLL_NETIN] & EPOLLHUP && !(revents[POLL_NETIN] & EPOLLIN))
    pfd[POLL_NETIN].fd = -1;
  if (revents[POLL_NETOUT] & EPOLLHUP) {
    if (p.opts.shutdownOnEof) __sys_shutdown(w, p, pfd[POLL_NETOUT].fd, SHUT_WR);
    pfd[POLL_NETOUT].fd = -1;
  }
  if (revents[POLL_STDOUT] & EPOLLHUP) pfd[POLL_STDOUT].fd = -1;
  if (pfd[POLL_NETOUT].fd === -1) pfd[POLL_STDIN].fd = -1;
  if (pfd[POLL_STDOUT].fd === -1) {
    if (pfd[POLL_NETIN].fd !== -1) __sys_shutdown(w, p, pfd[POLL_NETIN].fd, SHUT_RD);
    pfd[POLL_NETIN].fd = -1;
  }

  // Standard input -> stdinbuf.
  if (revents[POLL_STDIN] & EPOLLIN && p.stdinbuf.length < BUFSIZE) {
    const text = p.stdinText;
    const n = text ? Math.min(BUFSIZE - p.stdinbuf.length, text.length - p.stdinPos) : 0;
    for (let i = 0; i < n; i++) p.stdinbuf.push(text![p.stdinPos + i]);
    p.stdinPos += n;
    if (n === 0) pfd[POLL_STDIN].fd = -1;
    if (p.stdinbuf.length) pfd[POLL_NETOUT].events = EPOLLOUT;
    if (p.stdinbuf.length === BUFSIZE) pfd[POLL_STDIN].events = 0;
  }
  // stdinbuf -> the network.
  if (revents[POLL_NETOUT] & EPOLLOUT && p.stdinbuf.length) {
    const r = __sys_sendto(w, p, pfd[POLL_NETOUT].fd, Uint8Array.from(p.stdinbuf));
    if (r < 0 && r !== -EAGAIN) pfd[POLL_NETOUT].fd = -1;
    else if (r > 0) p.stdinbuf.splice(0, r);
    if (!p.stdinbuf.length) pfd[POLL_NETOUT].events = 0;
    if (p.stdinbuf.length < BUFSIZE) pfd[POLL_STDIN].events = EPOLLIN;
  }
  // The network -> netinbuf.
  if (revents[POLL_NETIN] & EPOLLIN && p.netinbuf.length < BUFSIZE) {
    const r = __sys_recvfrom(w, p, pfd[POLL_NETIN].fd, BUFSIZE - p.netinbuf.length);
    if (r.ret === -1 || (r.ret < 0 && r.ret !== -EAGAIN)) pfd[POLL_NETIN].fd = -1;
    else if (r.ret === 0) {
      __sys_shutdown(w, p, pfd[POLL_NETIN].fd, SHUT_RD);
      pfd[POLL_NETIN].fd = -1;
    } else if (r.ret > 0) for (const b of r.data) p.netinbuf.push(b);
    if (p.netinbuf.length) pfd[POLL_STDOUT].events = EPOLLOUT;
    if (p.netinbuf.length === BUFSIZE) pfd[POLL_NETIN].events = 0;
  }
  // netinbuf -> standard output.
  if (revents[POLL_STDOUT] & EPOLLOUT && p.netinbuf.length) {
    print(w, p, new TextDecoder().decode(Uint8Array.from(p.netinbuf)));
    p.netinbuf = [];
    pfd[POLL_STDOUT].events = 0;
    pfd[POLL_NETIN].events = EPOLLIN;
  }
  // Standard input gone and its buffer sent: -N shuts the sending side; -q starts the quit timer.
  if (pfd[POLL_STDIN].fd === -1 && !p.stdinbuf.length) {
    if (pfd[POLL_NETOUT].fd !== -1 && p.opts.shutdownOnEof) __sys_shutdown(w, p, pfd[POLL_NETOUT].fd, SHUT_WR);
    pfd[POLL_NETOUT].fd = -1;
    if (p.opts.quitAfterEof >= 0 && p.quitAt === Infinity) p.quitAt = w.now + p.opts.quitAfterEof * 1e9;
  }
  if (pfd[POLL_NETIN].fd === -1 && !p.netinbuf.length) pfd[POLL_STDOUT].fd = -1;
  return true;
}

/** readwrite returned: the connection's socket is closed, then the next port (client) or exit. */
function finishConnection(w: World, p: NcProc): void {
  if (p.fd >= 0) sys_close(w, p, p.fd);
  p.fd = -1;
  if (p.opts.listen) {
    exitNc(w, p, 0);
    return;
  }
  p.portIdx++;
  p.phase = 'next-port';
  clientNextPort(w, p);
}
