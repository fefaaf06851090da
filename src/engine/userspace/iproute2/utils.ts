// Shared pieces of the `ip` program: argument matching, the error messages
// iproute2 prints, namespace names, and the "exit" control flow (iproute2
// calls exit() from deep inside its parsers; here an IpExit is thrown).
import type { ToolContext } from '../tool.ts';
import type { Net } from '../../include/net.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import { strerror } from '../../include/errno.ts';
import { devGetByName } from '../../net/core/register.ts';
import { netByName, peernet2id } from '../../net/core/net_namespace.ts';
import { parseIp } from '../../net/ipv4/addr.ts';

/** Thrown to end the program with a status (iproute2's exit()). */
export class IpExit extends Error {
  constructor(public readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Global options (ip -s, -d, -br, -4, ...). */
export interface IpOpts {
  brief: boolean;
  stats: number;
  details: number;
  oneline: boolean;
  family: 'any' | 'inet' | 'inet6' | 'link' | 'other';
}

export interface IpCtx {
  ctx: ToolContext;
  net: Net;
  opts: IpOpts;
}

/** iproute2's matches(): `arg` is a (non-empty) prefix of `word`. */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && arg.length <= word.length && word.startsWith(arg);
}

export function exit(status: number): never {
  throw new IpExit(status);
}

/** exit(-1) as the shell sees it. */
export const EXIT_MINUS_1 = 255;

export function invarg(c: IpCtx, msg: string, arg: string): never {
  // Some of iproute2's messages end in "\n" of their own: that is an empty line.
  for (const l of `Error: argument "${arg}" is wrong: ${msg}`.split('\n')) c.ctx.stderr(l);
  exit(EXIT_MINUS_1);
}

export function duparg(c: IpCtx, key: string, arg: string): never {
  c.ctx.stderr(`Error: duplicate "${key}": "${arg}" is the second value.`);
  exit(EXIT_MINUS_1);
}

export function duparg2(c: IpCtx, key: string, arg: string): never {
  c.ctx.stderr(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
  exit(EXIT_MINUS_1);
}

export function incomplete(c: IpCtx): never {
  c.ctx.stderr('Command line is not complete. Try option "help"');
  exit(EXIT_MINUS_1);
}

/** NEXT_ARG(): the argument after argv[i], or "Command line is not complete". */
export function nextArg(c: IpCtx, argv: string[], i: number): string {
  if (i + 1 >= argv.length) incomplete(c);
  return argv[i + 1];
}

/** A kernel error with no extended ack: "RTNETLINK answers: ...", exit 2. */
export function rtnlError(c: IpCtx, errno: number): never {
  c.ctx.stderr(`RTNETLINK answers: ${strerror(errno)}`);
  exit(2);
}

/** A kernel error with an extended ack message: "Error: ...", exit 2. */
export function extackError(c: IpCtx, msg: string): never {
  c.ctx.stderr(`Error: ${msg}`);
  exit(2);
}

export function cannotFindDevice(c: IpCtx, name: string): never {
  c.ctx.stderr(`Cannot find device "${name}"`);
  exit(1);
}

/** ll_name_to_index + "Cannot find device". */
export function requireDev(c: IpCtx, name: string): NetDevice {
  const dev = devGetByName(c.net, name);
  if (!dev) cannotFindDevice(c, name);
  return dev;
}

/** get_prefix(): ADDR[/LEN] for IPv4; null when it does not parse. */
export function parsePrefix(s: string, allowDefault: boolean): { addr: number; len: number; hasLen: boolean } | null {
  if (allowDefault && (s === 'default' || s === 'all' || s === 'any')) return { addr: 0, len: 0, hasLen: true };
  const slash = s.indexOf('/');
  const a = slash < 0 ? s : s.slice(0, slash);
  const addr = parseInetAddr(a);
  if (addr === null) return null;
  if (slash < 0) return { addr, len: 32, hasLen: false };
  const l = s.slice(slash + 1);
  if (!/^\d+$/.test(l)) {
    // A dotted netmask is accepted too.
    const m = parseIp(l);
    if (m === null) return null;
    const len = maskToLen(m);
    if (len < 0) return null;
    return { addr, len, hasLen: true };
  }
  const len = Number(l);
  if (len > 32) return null;
  return { addr, len, hasLen: true };
}

/**
 * get_addr_ipv4: up to four dot-separated numbers (decimal, 0octal or 0xhex),
 * each at most 255; missing trailing bytes are zero ("10.1" is 10.1.0.0).
 */
export function parseInetAddr(s: string): number | null {
  const parts = s.split('.');
  if (parts.length > 4 || parts.length === 0) return null;
  const bytes = [0, 0, 0, 0];
  for (let i = 0; i < parts.length; i++) {
    const v = strtoulBase0(parts[i]);
    if (v === null || v > 255) return null;
    bytes[i] = v;
  }
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

/** strtoul(s, &end, 0) that must consume the whole string. */
function strtoulBase0(p: string): number | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(p)) return parseInt(p.slice(2), 16);
  if (/^0[0-7]*$/.test(p)) return parseInt(p, 8);
  if (/^[1-9][0-9]*$/.test(p)) return p.length > 12 ? Infinity : parseInt(p, 10);
  return null;
}

export function maskToLen(m: number): number {
  let len = 0;
  while (len < 32 && m & (0x80000000 >>> len)) len++;
  const rebuilt = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return rebuilt === m >>> 0 ? len : -1;
}

/** Named namespaces in the order `ip netns list` shows them (newest first). */
export function namedNamespaces(c: IpCtx): Net[] {
  return c.ctx.w.nets
    .filter((n) => n.name !== '')
    .slice()
    .reverse();
}

/** netns_get_fd by name: the namespace or null. */
export function lookupNetns(c: IpCtx, name: string): Net | null {
  if (name === '') return null;
  return netByName(c.ctx.w, name) ?? null;
}

/** The name to show for the namespace that `net` calls `id` (link-netns), if any. */
export function nameForNsid(c: IpCtx, from: Net, id: number): string | null {
  for (const n of c.ctx.w.nets) {
    if (n.name !== '' && peernet2id(from, n) === id) return n.name;
  }
  return null;
}

/** Parses an unsigned decimal (or 0x hex) like get_unsigned(); null on error. */
export function parseUnsigned(s: string): number | null {
  if (/^[0-9]+$/.test(s)) {
    const v = Number(s);
    return v <= 0xffffffff ? v : null;
  }
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) {
    const v = parseInt(s.slice(2), 16);
    return v <= 0xffffffff ? v : null;
  }
  return null;
}

/** Pads like printf("%-Ns"). */
export function padRight(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function padLeft(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/**
 * ll_addr_a2n: a link-layer address as `ip` reads it, into at most `maxLen`
 * bytes. A dotted quad is four bytes; otherwise each ':'-separated part is
 * read as sscanf("%x") reads it (an optional 0x, then hex digits up to the
 * first other character) and must be 0-255. Parts past `maxLen` are not read,
 * and iproute2 then counts one byte more than it filled (its loop's
 * off-by-one): that byte is 0 here. The error names the part that failed, as
 * iproute2 prints it.
 */
export function llAddrA2n(s: string, maxLen: number): { bytes: Uint8Array } | { error: string } {
  const invalid = (part: string) => ({ error: `"${part}" is invalid lladdr.` });
  if (s.includes('.')) {
    const a = parseInetAddr(s);
    if (a === null) return invalid(s);
    return { bytes: Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff) };
  }
  const parts = s.split(':');
  const out: number[] = [];
  for (const part of parts.slice(0, maxLen)) {
    const v = scanHex(part);
    if (v === null || v < 0 || v > 255) return invalid(part);
    out.push(v);
  }
  if (parts.length > maxLen) out.push(0);
  return { bytes: Uint8Array.from(out) };
}

/** sscanf(s, "%x"): leading blanks, a sign, an optional 0x, hex digits up to the first other character; null when nothing matches. */
function scanHex(s: string): number | null {
  const m = /^\s*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(s);
  if (!m) return null;
  const v = m[2].length > 8 ? Infinity : parseInt(m[2], 16);
  return m[1] === '-' ? -v : v;
}
