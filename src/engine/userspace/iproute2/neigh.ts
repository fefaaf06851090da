// `ip neigh`: the ARP table: listing and flushing it, and adding, changing,
// replacing, deleting and getting single entries through the kernel's
// RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH handlers.
import type { Neighbour } from '../../include/neighbour.ts';
import {
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_NONE,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
} from '../../include/neighbour.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { inPrefix, ipStr, macStr } from '../../net/ipv4/addr.ts';
import { devGetByName } from '../../net/core/register.ts';
import { neigh_add, neigh_delete, neigh_get, type NeighRequest } from '../../net/core/neighbour.ts';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, type RtnlAnswer } from '../../include/netlink.ts';
import { strerror } from '../../include/errno.ts';
import type { IpCtx } from './utils.ts';
import {
  cannotFindDevice,
  duparg,
  duparg2,
  EXIT_MINUS_1,
  exit,
  invarg,
  llAddrA2n,
  matches,
  nextArg,
  padRight,
  parseInetAddr,
  parsePrefix,
  parseUnsigned,
  requireDev,
} from './utils.ts';
import { usageNotModelled } from './link.ts';

const STATE_NAMES: [number, string][] = [
  [NUD_INCOMPLETE, 'INCOMPLETE'],
  [NUD_REACHABLE, 'REACHABLE'],
  [NUD_STALE, 'STALE'],
  [NUD_DELAY, 'DELAY'],
  [NUD_PROBE, 'PROBE'],
  [NUD_FAILED, 'FAILED'],
  [NUD_NOARP, 'NOARP'],
  [NUD_PERMANENT, 'PERMANENT'],
];

/**
 * nud_state_a2n: a NUD state by name (permanent, reachable and failed by any
 * prefix, the others whole) or as a number with at most one bit set below
 * 0x100; null when it is none of these.
 */
function nudStateA2n(arg: string): number | null {
  if (matches(arg, 'permanent')) return NUD_PERMANENT;
  if (matches(arg, 'reachable')) return NUD_REACHABLE;
  const whole: Record<string, number> = {
    noarp: NUD_NOARP,
    none: NUD_NONE,
    stale: NUD_STALE,
    incomplete: NUD_INCOMPLETE,
    delay: NUD_DELAY,
    probe: NUD_PROBE,
  };
  if (Object.hasOwn(whole, arg)) return whole[arg];
  if (matches(arg, 'failed')) return NUD_FAILED;
  const n = parseUnsigned(arg);
  if (n === null || n >= 0x100 || n & (n - 1)) return null;
  return n;
}

function nudStateOrExit(c: IpCtx, arg: string): number {
  const state = nudStateA2n(arg);
  if (state === null) invarg(c, 'nud state is bad', arg);
  return state;
}

function stateText(state: number): string {
  const names: string[] = [];
  let rest = state;
  for (const [bit, name] of STATE_NAMES) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join(',');
}

/** Does the entry carry a link-layer address userspace gets to see? */
function hasLladdr(n: Neighbour): boolean {
  return (n.nudState & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE)) !== 0;
}

interface NeighFilter {
  dev: NetDevice | null;
  to: { addr: number; len: number } | null;
  /** Bitmask of NUD states shown; 0x100 stands for NONE. */
  state: number;
}

function parseNeighFilter(c: IpCtx, argv: string[], flush: boolean): NeighFilter {
  // Shown by default: every state but NOARP; flushed: neither NOARP nor PERMANENT, but NONE (0x100) too.
  const f: NeighFilter = { dev: null, to: null, state: flush ? 0x1ff & ~(NUD_PERMANENT | NUD_NOARP) : 0xff & ~NUD_NOARP };
  let devName: string | null = null;
  let nudGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'dev') {
      const v = nextArg(c, argv, i++);
      if (devName !== null) duparg2(c, 'dev', v);
      devName = v;
    } else if (a === 'nud') {
      const v = nextArg(c, argv, i++);
      let s = nudStateA2n(v);
      if (s === null) {
        if (v !== 'all') invarg(c, 'nud state is bad', v);
        s = flush ? 0x1ff & ~NUD_NOARP : 0x1ff;
      }
      if (!nudGiven) f.state = 0;
      nudGiven = true;
      // State 0 (NONE) is asked for as 0x100.
      f.state |= s === NUD_NONE ? 0x100 : s;
    } else if (a === 'unused' || a === 'proxy' || a === 'vrf' || a === 'master' || a === 'nomaster' || a === 'protocol') {
      c.ctx.stderr(`skbwalk: "ip neigh ${flush ? 'flush' : 'show'} ${a}" is not supported by skbwalk`);
      exit(1);
    } else {
      let v = a;
      if (a === 'to') v = nextArg(c, argv, i++);
      if (f.to) duparg2(c, 'to', v);
      const p = parsePrefix(v, true);
      if (!p) {
        c.ctx.stderr(`Error: ${c.opts.family === 'inet' ? 'inet' : 'any valid'} prefix is expected rather than "${v}".`);
        exit(1);
      }
      f.to = { addr: p.addr, len: p.len };
    }
  }
  if (devName !== null) {
    const d = devGetByName(c.net, devName);
    if (!d) cannotFindDevice(c, devName);
    f.dev = d;
  }
  return f;
}

function neighShown(f: NeighFilter, n: Neighbour): boolean {
  if (n.dead) return false;
  if (f.dev && n.dev !== f.dev) return false;
  if (f.to && !inPrefix(n.primaryKey, f.to.addr, f.to.len)) return false;
  if (n.nudState === 0) return (f.state & 0x100) !== 0;
  return (f.state & n.nudState) !== 0;
}

/** The neighbour table in dump order (newest first: the kernel's hash buckets have no stable order to copy). */
function dumpOrder(c: IpCtx): Neighbour[] {
  return c.net.neighbours.slice().reverse();
}

/** print_neigh: one entry as `ip neigh` prints it; the device unless the listing is for one device. */
function printNeigh(c: IpCtx, n: Neighbour, showDev: boolean): void {
  const addr = ipStr(n.primaryKey);
  if (c.opts.brief) {
    let l = `${padRight(addr, 39)} `;
    if (showDev) l += `${padRight(n.dev.name, 16)} `;
    if (hasLladdr(n)) l += macStr(n.ha);
    c.ctx.stdout(l);
    return;
  }
  const parts = [addr];
  if (showDev) parts.push('dev', n.dev.name);
  if (hasLladdr(n)) parts.push('lladdr', macStr(n.ha));
  // An entry in NUD_NONE has no state word.
  if (n.nudState) parts.push(stateText(n.nudState));
  c.ctx.stdout(parts.join(' ') + ' ');
}

function ipNeighShow(c: IpCtx, argv: string[]): number {
  if (c.opts.family !== 'any' && c.opts.family !== 'inet') return 0;
  const f = parseNeighFilter(c, argv, false);
  for (const n of dumpOrder(c)) if (neighShown(f, n)) printNeigh(c, n, !f.dev);
  return 0;
}

/** The kernel's answer to a request, as rtnl_talk prints an error: its extack message, else the errno's text. */
function kernelError(c: IpCtx, a: RtnlAnswer): string {
  if (a.msg) return `Error: ${a.msg}${a.msg.endsWith('.') ? '' : '.'}`;
  return `RTNETLINK answers: ${strerror(-a.err)}`;
}

function ipNeighFlush(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) {
    c.ctx.stderr('Flush requires arguments.');
    return 1;
  }
  const f = parseNeighFilter(c, argv, true);
  // Each entry the dump lists is sent back as an RTM_DELNEIGH request.
  for (const n of dumpOrder(c).filter((x) => neighShown(f, x))) {
    neigh_delete(c.ctx.w, c.net, { ifindex: n.dev.ifindex, state: 0, dst: addrBytes(n.primaryKey), lladdr: null });
  }
  return 0;
}

/**
 * get_addr for a neighbour's address, as the NDA_DST bytes it sends: four
 * for an IPv4 address; `default` is four zero bytes and `all`/`any` none at
 * all under -4, and without a family they leave the address's family unset
 * (null), which iproute2 then reports as a missing address.
 */
function neighDstOrExit(c: IpCtx, v: string, cmd: string): Uint8Array | null {
  if (c.opts.family !== 'any' && c.opts.family !== 'inet') {
    c.ctx.stderr(
      `skbwalk: "ip -${c.opts.family === 'inet6' ? '6' : 'f'} neigh ${cmd}" is not supported by skbwalk (it models IPv4 and ARP)`,
    );
    exit(1);
  }
  if (v === 'default' || v === 'all' || v === 'any') {
    if (c.opts.family === 'any') return null;
    return new Uint8Array(v === 'default' ? 4 : 0);
  }
  const a = parseInetAddr(v);
  if (a !== null) return addrBytes(a);
  if (v.includes(':')) {
    c.ctx.stderr(`skbwalk: "ip neigh ${cmd}" of an IPv6 address is not supported by skbwalk (it models IPv4 and ARP)`);
    exit(1);
  }
  c.ctx.stderr(`Error: ${c.opts.family === 'inet' ? 'inet' : 'any valid'} address is expected rather than "${v}".`);
  exit(1);
}

function addrBytes(a: number): Uint8Array {
  return Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
}

/** Keywords `ip neigh add|change|replace|del|get` accepts that ask for what skbwalk does not model. */
function neighNotModelled(c: IpCtx, cmd: string, word: string): never {
  c.ctx.stderr(`skbwalk: "ip neigh ${cmd} ... ${word}" is not supported by skbwalk`);
  exit(1);
}

/**
 * ipneigh_modify: `ip neigh add|change|replace|del ADDR [lladdr LLADDR] [nud
 * STATE] dev DEV`, sent as RTM_NEWNEIGH (add: CREATE|EXCL, change: REPLACE,
 * replace: CREATE|REPLACE) or RTM_DELNEIGH. Keywords are matched in
 * iproute2's order and manner: `lladdr`, `proxy`, `extern_learn` and
 * `protocol` by any prefix, the rest whole; anything else is the address.
 */
function ipNeighModify(c: IpCtx, cmd: string, argv: string[], del: boolean, nlflags: number): number {
  const req: NeighRequest = { ifindex: 0, state: NUD_PERMANENT, dst: null, lladdr: null };
  let devName: string | null = null;
  let dstOk = false;
  let lla: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (matches(a, 'lladdr')) {
      const v = nextArg(c, argv, i++);
      if (lla !== null) duparg(c, 'lladdr', v);
      lla = v;
    } else if (a === 'nud') {
      req.state = nudStateOrExit(c, nextArg(c, argv, i++));
    } else if (matches(a, 'proxy')) {
      nextArg(c, argv, i);
      neighNotModelled(c, cmd, 'proxy');
    } else if (a === 'router' || a === 'use' || a === 'managed' || matches(a, 'extern_learn')) {
      neighNotModelled(c, cmd, a);
    } else if (a === 'dev') {
      // A second `dev` replaces the first, as in iproute2.
      devName = nextArg(c, argv, i++);
    } else if (matches(a, 'protocol')) {
      nextArg(c, argv, i);
      neighNotModelled(c, cmd, 'protocol');
    } else {
      if (a === 'to') a = nextArg(c, argv, i++);
      if (matches(a, 'help')) a = nextArg(c, argv, i++);
      if (dstOk) duparg2(c, 'to', a);
      req.dst = neighDstOrExit(c, a, cmd);
      dstOk = true;
    }
  }
  if (devName === null || req.dst === null) {
    c.ctx.stderr('Device and destination are required arguments.');
    exit(EXIT_MINUS_1);
  }
  // "null" sends no address at all.
  if (lla !== null && lla !== 'null') {
    // ipneigh_modify reads the address into a 20-byte buffer.
    const l = llAddrA2n(lla, 20);
    if ('error' in l) {
      c.ctx.stderr(l.error);
      exit(1);
    }
    req.lladdr = l.bytes;
  }
  req.ifindex = requireDev(c, devName).ifindex;
  const w = c.ctx.w;
  const a = del ? neigh_delete(w, c.net, req) : neigh_add(w, c.net, req, nlflags);
  if (a.err) {
    c.ctx.stderr(kernelError(c, a));
    exit(2);
  }
  return 0;
}

/** ipneigh_get: `ip neigh get ADDR dev DEV`, answered by RTM_GETNEIGH with the entry printed as `show` does. */
function ipNeighGet(c: IpCtx, argv: string[]): number {
  const req: NeighRequest = { ifindex: 0, state: 0, dst: null, lladdr: null };
  let devName: string | null = null;
  let dstOk = false;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === 'dev') {
      devName = nextArg(c, argv, i++);
    } else if (matches(a, 'proxy')) {
      nextArg(c, argv, i);
      neighNotModelled(c, 'get', 'proxy');
    } else {
      if (a === 'to') a = nextArg(c, argv, i++);
      if (matches(a, 'help')) a = nextArg(c, argv, i++);
      if (dstOk) duparg2(c, 'to', a);
      req.dst = neighDstOrExit(c, a, 'get');
      dstOk = true;
    }
  }
  if (devName === null || req.dst === null) {
    c.ctx.stderr('Device and address are required arguments.');
    return 1;
  }
  req.ifindex = requireDev(c, devName).ifindex;
  const a = neigh_get(c.net, req);
  if (!a.neigh) {
    c.ctx.stderr(kernelError(c, a));
    return 2;
  }
  printNeigh(c, a.neigh, true);
  return 0;
}

export function ipNeigh(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) return ipNeighShow(c, []);
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return ipNeighModify(c, 'add', rest, false, NLM_F_CREATE | NLM_F_EXCL);
  if (matches(cmd, 'change') || cmd === 'chg') return ipNeighModify(c, 'change', rest, false, NLM_F_REPLACE);
  if (matches(cmd, 'replace')) return ipNeighModify(c, 'replace', rest, false, NLM_F_CREATE | NLM_F_REPLACE);
  if (matches(cmd, 'delete')) return ipNeighModify(c, 'delete', rest, true, 0);
  if (matches(cmd, 'get')) return ipNeighGet(c, rest);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return ipNeighShow(c, rest);
  if (matches(cmd, 'flush')) return ipNeighFlush(c, rest);
  if (matches(cmd, 'help')) usageNotModelled(c, 'ip neigh help');
  c.ctx.stderr(`Command "${cmd}" is unknown, try "ip neigh help".`);
  return EXIT_MINUS_1;
}
