// The sysctl tables' building blocks (kernel/sysctl.c): a ctl_table entry is
// a file with a proc handler or a directory of entries, and the common
// handlers parse what a write gives them (proc_dointvec and its variants).
// /proc/sys (fs/proc/proc_sysctl.ts) walks the tables the subsystems register.
import { EINVAL } from '../include/errno.ts';

/** A sysctl file: its value as text, and its proc handler's write (0 or an errno). */
export interface CtlFile {
  kind: 'file';
  read(): string;
  write(text: string): number;
  /** Mode 0200: only written (a read is EACCES, even for root). */
  writeOnly?: boolean;
}

/** A sysctl directory: its entries' names, and each entry by name. */
export interface CtlDir {
  kind: 'dir';
  children(): string[];
  child(name: string): CtlNode | null;
}

export type CtlNode = CtlFile | CtlDir;

/** A directory whose entries are made when asked for (devices come and go). */
export function ctlDir(entries: () => [string, () => CtlNode][]): CtlDir {
  return {
    kind: 'dir',
    children: () => entries().map(([n]) => n),
    child: (name) => {
      const e = entries().find(([n]) => n === name);
      return e ? e[1]() : null;
    },
  };
}

/** A file holding one integer, read in decimal. */
export function ctlIntFile(get: () => number, set: (text: string) => number): CtlFile {
  return { kind: 'file', read: () => String(get()), write: set };
}

/**
 * proc_dointvec's parser for one value: leading blanks, an optional '-', a
 * number in base 0 (0x hex, 0 octal), then a blank or the end. Returns null
 * for EINVAL. Later values in the buffer are ignored for a one-int entry.
 */
export function parseProcInt(text: string, unsigned = false): number | null {
  const m = /^[ \t\n\r\f\v]*(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([ \t\n\r\f\v]|$)/.exec(text);
  if (!m) return null;
  const neg = m[1] === '-';
  if (neg && unsigned) return null;
  const body = m[2];
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
  else v = body.length > 15 ? Infinity : parseInt(body, 10);
  if (unsigned) return v > 0xffffffff ? null : v;
  if (neg) return v > 2147483648 ? null : -v;
  return v > 2147483647 ? null : v;
}

function minmax(v: number | null, lo: number, hi: number): number | null {
  return v === null || v < lo || v > hi ? null : v;
}

/** proc_dointvec: any int is stored. Returns 0 or EINVAL. */
export function proc_dointvec(text: string, put: (v: number) => void): number {
  const v = parseProcInt(text);
  if (v === null) return EINVAL;
  put(v);
  return 0;
}

/** proc_dointvec_minmax: an integer within [lo, hi] is stored, anything else is EINVAL. */
export function proc_dointvec_minmax(text: string, lo: number, hi: number, put: (v: number) => void): number {
  const v = minmax(parseProcInt(text), lo, hi);
  if (v === null) return EINVAL;
  put(v);
  return 0;
}

/** proc_dou8vec_minmax: a u8 between extra1 and extra2 (0..1, the boolean knobs' range, unless given). */
export function proc_dou8vec_minmax(text: string, put: (v: number) => void, lo = 0, hi = 1): number {
  const v = minmax(parseProcInt(text, true), lo, hi);
  if (v === null) return EINVAL;
  put(v);
  return 0;
}
