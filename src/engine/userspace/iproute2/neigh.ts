// `ip neigh`: the ARP table (listing and flushing).
import type { Neighbour } from '../../include/neighbour.ts';
import {
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
} from '../../include/neighbour.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { inPrefix, ipStr, macStr } from '../../net/ipv4/addr.ts';
import { devGetByName } from '../../net/core/register.ts';
import { neigh_delete } from '../../net/core/neighbour.ts';
import type { IpCtx } from './utils.ts';
import { cannotFindDevice, duparg2, EXIT_MINUS_1, exit, matches, nextArg, padRight, parsePrefix } from './utils.ts';
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

/** iproute2's nud_state_a2n names (and `all`). */
const NUD_WORDS: Record<string, number> = {
  permanent: NUD_PERMANENT,
  reachable: NUD_REACHABLE,
  noarp: NUD_NOARP,
  none: 0x100,
  stale: NUD_STALE,
  incomplete: NUD_INCOMPLETE,
  delay: NUD_DELAY,
  probe: NUD_PROBE,
  failed: NUD_FAILED,
  all: 0x1ff,
};

function stateText(state: number): string {
  if (state === 0) return 'NONE';
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
  const f: NeighFilter = { dev: null, to: null, state: 0xff & ~NUD_NOARP };
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
      const s = Object.hasOwn(NUD_WORDS, v.toLowerCase()) ? NUD_WORDS[v.toLowerCase()] : undefined;
      if (s === undefined) {
        c.ctx.stderr(`Error: argument "${v}" is wrong: nud state is bad`);
        exit(EXIT_MINUS_1);
      }
      if (!nudGiven) f.state = 0;
      nudGiven = true;
      f.state |= s;
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
  if (flush && !nudGiven) f.state &= ~NUD_PERMANENT;
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

function ipNeighShow(c: IpCtx, argv: string[]): number {
  if (c.opts.family !== 'any' && c.opts.family !== 'inet') return 0;
  const f = parseNeighFilter(c, argv, false);
  for (const n of dumpOrder(c)) {
    if (!neighShown(f, n)) continue;
    const addr = ipStr(n.primaryKey);
    if (c.opts.brief) {
      let l = `${padRight(addr, 39)} `;
      if (!f.dev) l += `${padRight(n.dev.name, 16)} `;
      if (hasLladdr(n)) l += macStr(n.ha);
      c.ctx.stdout(l);
      continue;
    }
    const parts = [addr];
    if (!f.dev) parts.push('dev', n.dev.name);
    if (hasLladdr(n)) parts.push('lladdr', macStr(n.ha));
    parts.push(stateText(n.nudState));
    c.ctx.stdout(parts.join(' ') + ' ');
  }
  return 0;
}

function ipNeighFlush(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) {
    c.ctx.stderr('Flush requires arguments.');
    return 1;
  }
  const f = parseNeighFilter(c, argv, true);
  // neigh_flush: matching entries are removed (NOARP ones are never listed, so never flushed).
  for (const n of c.net.neighbours.filter((x) => neighShown(f, x))) neigh_delete(c.ctx.w, n, 'neigh_flush_table');
  return 0;
}

export function ipNeigh(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) return ipNeighShow(c, []);
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (
    matches(cmd, 'add') ||
    matches(cmd, 'change') ||
    cmd === 'chg' ||
    matches(cmd, 'replace') ||
    matches(cmd, 'delete') ||
    matches(cmd, 'get')
  ) {
    c.ctx.stderr(`skbwalk: "ip neigh ${cmd}" is not supported by skbwalk (neighbours are learned by ARP)`);
    return 1;
  }
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return ipNeighShow(c, rest);
  if (matches(cmd, 'flush')) return ipNeighFlush(c, rest);
  if (matches(cmd, 'help')) usageNotModelled(c, 'ip neigh help');
  c.ctx.stderr(`Command "${cmd}" is unknown, try "ip neigh help".`);
  return EXIT_MINUS_1;
}
