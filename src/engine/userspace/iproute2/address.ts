// `ip address`: listing devices with their IPv4 addresses, adding, deleting
// and flushing addresses.
import type { InIfaddr, NetDevice } from '../../include/netdevice.ts';
import { operState } from '../../include/netdevice.ts';
import { EADDRNOTAVAIL, EEXIST, EOPNOTSUPP } from '../../include/errno.ts';
import { inet_rtm_deladdr, inet_rtm_newaddr } from '../../net/ipv4/devinet.ts';
import { inPrefix, ipStr, isLoopbackAddr, prefixMask } from '../../net/ipv4/addr.ts';
import type { IpCtx } from './utils.ts';
import {
  duparg,
  duparg2,
  exit,
  EXIT_MINUS_1,
  extackError,
  invarg,
  matches,
  nextArg,
  padRight,
  parseInetAddr,
  parsePrefix,
  requireDev,
  rtnlError,
} from './utils.ts';
import {
  devicesInOrder,
  emitRecord,
  linkFilterMatches,
  linkHeaderLines,
  nameWithLink,
  parseLinkFilter,
  statsLines,
  usageNotModelled,
} from './link.ts';

interface AddrFilter {
  scope: InIfaddr['scope'] | null;
  label: string | null;
  to: { addr: number; len: number } | null;
  primary: boolean | null;
}

/** rtnl_rtscope_a2n for the scopes an InIfaddr can carry. */
function parseScope(s: string): InIfaddr['scope'] | 'other' | null {
  if (s === 'global' || s === 'universe' || s === '0') return 'global';
  if (s === 'link' || s === '253') return 'link';
  if (s === 'host' || s === '254') return 'host';
  if (s === 'site' || s === 'nowhere' || (/^\d+$/.test(s) && Number(s) <= 255)) return 'other';
  return null;
}

function familyWord(c: IpCtx, known: boolean): string {
  return known || c.opts.family === 'inet' ? 'inet' : 'any valid';
}

function addrMatches(f: AddrFilter, a: InIfaddr): boolean {
  if (f.scope !== null && a.scope !== f.scope) return false;
  if (f.label !== null && a.label !== f.label) return false;
  if (f.primary !== null && a.secondary === f.primary) return false;
  if (f.to && !(a.prefixlen >= f.to.len && inPrefix(a.local, f.to.addr, f.to.len))) return false;
  return true;
}

function addrLines(a: InIfaddr): [string, string] {
  let l = `    inet ${ipStr(a.local)}/${a.prefixlen}`;
  if (a.broadcast) l += ` brd ${ipStr(a.broadcast)}`;
  l += ` scope ${a.scope}`;
  if (a.secondary) l += ' secondary';
  l += ` ${a.label}`;
  return [l, '       valid_lft forever preferred_lft forever'];
}

function parseShowArgs(c: IpCtx, argv: string[]) {
  const af: AddrFilter = { scope: null, label: null, to: null, primary: null };
  const lf = parseLinkFilter(c, argv, (args, i) => {
    const a = args[i];
    if (a === 'to') {
      const v = nextArg(c, args, i);
      const p = parsePrefix(v, true);
      if (!p) invarg(c, 'invalid "to"\n', v);
      af.to = { addr: p.addr, len: p.len };
      // A prefix filter implies its family: links without IPv4 addresses drop out.
      if (c.opts.family === 'any') c.opts.family = 'inet';
      return 2;
    }
    if (a === 'scope') {
      const v = nextArg(c, args, i);
      const s = parseScope(v);
      if (s === null) invarg(c, 'invalid "scope"\n', v);
      af.scope = s === 'other' ? null : s;
      return 2;
    }
    if (a === 'label') {
      af.label = nextArg(c, args, i);
      return 2;
    }
    if (a === 'primary') {
      af.primary = true;
      return 1;
    }
    if (a === 'secondary' || a === 'temporary') {
      af.primary = false;
      return 1;
    }
    if (a === 'permanent' || a === 'dynamic' || a === 'deprecated' || a === 'tentative' || a === 'dadfailed') return 1;
    return 0;
  });
  return { lf, af };
}

function ipAddrShow(c: IpCtx, argv: string[]): number {
  const { lf, af } = parseShowArgs(c, argv);
  const family = c.opts.family;
  for (const dev of devicesInOrder(c.net)) {
    if (!linkFilterMatches(lf, dev)) continue;
    // ipaddr_filter: a device stays if an address matches, or if it has none at all and no family was asked for.
    const addrs = family === 'inet' || family === 'any' ? dev.inDev.addrs.filter((a) => addrMatches(af, a)) : [];
    const keep = family === 'link' || addrs.length > 0 || (family === 'any' && dev.inDev.addrs.length === 0);
    if (!keep) continue;
    if (c.opts.brief) {
      const { text } = nameWithLink(dev);
      let l = `${padRight(text, 16)} ${padRight(operState(dev), 14)} `;
      for (const a of addrs) l += `${ipStr(a.local)}/${a.prefixlen} `;
      c.ctx.stdout(l);
      continue;
    }
    if (c.opts.oneline) {
      for (const a of addrs) {
        const [l1, l2] = addrLines(a);
        c.ctx.stdout(`${dev.ifindex}: ${dev.name}${l1}\\${l2}`);
      }
      continue;
    }
    const lines = linkHeaderLines(c, dev, false);
    for (const a of addrs) lines.push(...addrLines(a));
    if (c.opts.stats) lines.push(...statsLines(c, dev));
    emitRecord(c, lines);
  }
  return 0;
}

interface AddrReq {
  local: { addr: number; len: number; hasLen: boolean } | null;
  brd: number | '+' | '-' | null;
  scope: InIfaddr['scope'] | null;
  dev: string | null;
  label: string | null;
}

function parseModifyArgs(c: IpCtx, argv: string[]): AddrReq {
  const r: AddrReq = { local: null, brd: null, scope: null, dev: null, label: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (
      a === 'peer' ||
      a === 'remote' ||
      a === 'anycast' ||
      a === 'home' ||
      a === 'nodad' ||
      a === 'noprefixroute' ||
      a === 'autojoin' ||
      a === 'mngtmpaddr' ||
      a === 'optimistic' ||
      matches(a, 'metric') ||
      matches(a, 'priority') ||
      matches(a, 'preference')
    ) {
      c.ctx.stderr(`skbwalk: "ip address ... ${a}" is not supported by skbwalk`);
      exit(1);
    } else if (matches(a, 'broadcast') || a === 'brd') {
      const v = nextArg(c, argv, i);
      i++;
      if (r.brd !== null) duparg(c, 'broadcast', v);
      if (v === '+' || v === '-') r.brd = v;
      else {
        const b = parseInetAddr(v);
        if (b === null) {
          c.ctx.stderr(`Error: ${familyWord(c, r.local !== null)} address is expected rather than "${v}".`);
          exit(1);
        }
        r.brd = b;
      }
    } else if (a === 'scope') {
      const v = nextArg(c, argv, i);
      i++;
      const s = parseScope(v);
      if (s === null) invarg(c, 'invalid scope value.', v);
      if (s === 'other') {
        c.ctx.stderr(`skbwalk: address scope "${v}" is not modelled (host, link and global are)`);
        exit(1);
      }
      r.scope = s;
    } else if (a === 'dev') {
      r.dev = nextArg(c, argv, i);
      i++;
    } else if (a === 'label') {
      r.label = nextArg(c, argv, i);
      i++;
    } else if (a === 'valid_lft' || a === 'preferred_lft') {
      const v = nextArg(c, argv, i);
      i++;
      if (v !== 'forever') {
        c.ctx.stderr(`skbwalk: address lifetimes other than "forever" are not supported by skbwalk`);
        exit(1);
      }
    } else {
      let v = a;
      if (a === 'local') {
        v = nextArg(c, argv, i);
        i++;
      }
      if (r.local) duparg2(c, 'local', v);
      const p = parsePrefix(v, false);
      if (!p) {
        c.ctx.stderr(`Error: ${familyWord(c, false)} prefix is expected rather than "${v}".`);
        exit(1);
      }
      r.local = p;
    }
  }
  return r;
}

function ipAddrModify(c: IpCtx, argv: string[], del: boolean): number {
  const r = parseModifyArgs(c, argv);
  if (r.dev === null) {
    c.ctx.stderr('Not enough information: "dev" argument is required.');
    return 1;
  }
  if (del && r.local && !r.local.hasLen) {
    const l = ipStr(r.local.addr);
    c.ctx.stderr('Warning: Executing wildcard deletion to stay compatible with old scripts.');
    c.ctx.stderr(`         Explicitly specify the prefix length (${l}/32) to avoid this warning.`);
    c.ctx.stderr('         This special behaviour is likely to disappear in further releases,');
    c.ctx.stderr('         fix your scripts!');
  }
  const dev = requireDev(c, r.dev);
  if (del) {
    if (!r.local) rtnlError(c, EOPNOTSUPP);
    const err = inet_rtm_deladdr(c.ctx.w, dev, r.local.addr, r.local.hasLen ? r.local.len : null);
    if (err === -EADDRNOTAVAIL) extackError(c, 'ipv4: Address not found.');
    if (err) rtnlError(c, -err);
    return 0;
  }
  if (!r.local) {
    c.ctx.stderr('skbwalk: "ip address add" needs an address');
    return 1;
  }
  const { addr, len } = r.local;
  let brd = 0;
  if (typeof r.brd === 'number') brd = r.brd;
  else if (r.brd !== null && len <= 30) {
    const mask = prefixMask(len);
    brd = r.brd === '+' ? (addr | ~mask) >>> 0 : (addr & mask) >>> 0;
  }
  const scope = r.scope ?? (isLoopbackAddr(addr) ? 'host' : null);
  const err = inet_rtm_newaddr(c.ctx.w, dev, { local: addr, prefixlen: len, broadcast: brd, scope, label: r.label });
  if (err === -EEXIST) extackError(c, 'ipv4: Address already assigned.');
  if (err) rtnlError(c, -err);
  return 0;
}

function ipAddrFlush(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) {
    c.ctx.stderr('Flush requires arguments.');
    return 1;
  }
  const { lf, af } = parseShowArgs(c, argv);
  for (const dev of devicesInOrder(c.net)) {
    if (!linkFilterMatches(lf, dev)) continue;
    // Deleting a primary takes its secondaries along; what is left is deleted in turn.
    for (;;) {
      const a = dev.inDev.addrs.find((x) => addrMatches(af, x));
      if (!a) break;
      inet_rtm_deladdr(c.ctx.w, dev as NetDevice, a.local, a.prefixlen);
    }
  }
  return 0;
}

export function ipAddress(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) return ipAddrShow(c, []);
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return ipAddrModify(c, rest, false);
  if (matches(cmd, 'change') || cmd === 'chg' || matches(cmd, 'replace')) {
    c.ctx.stderr(`skbwalk: "ip address ${cmd}" is not supported by skbwalk`);
    return 1;
  }
  if (matches(cmd, 'delete')) return ipAddrModify(c, rest, true);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return ipAddrShow(c, rest);
  if (matches(cmd, 'flush')) return ipAddrFlush(c, rest);
  if (matches(cmd, 'help')) usageNotModelled(c, 'ip address help');
  c.ctx.stderr(`Command "${cmd}" is unknown, try "ip address help".`);
  return EXIT_MINUS_1;
}
