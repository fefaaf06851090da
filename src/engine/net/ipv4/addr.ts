// IPv4 address helpers: addresses are host-order unsigned 32-bit numbers.

export function ipStr(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Parses a dotted quad; returns null unless it is exactly four decimal octets. */
export function parseIp(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function inPrefix(addr: number, net: number, len: number): boolean {
  const m = prefixMask(len);
  return (addr & m) >>> 0 === (net & m) >>> 0;
}

export function isLoopbackAddr(a: number): boolean {
  return a >>> 24 === 127;
}

export function isMulticast(a: number): boolean {
  return a >>> 28 === 0xe;
}

export function isLbcast(a: number): boolean {
  return a === 0xffffffff;
}

export function isZeronet(a: number): boolean {
  return a >>> 24 === 0;
}

export function macStr(m: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    if (i) s += ':';
    s += m[i].toString(16).padStart(2, '0');
  }
  return s;
}

export function parseMac(s: string): Uint8Array | null {
  const m = /^([0-9a-fA-F]{1,2})(?::([0-9a-fA-F]{1,2})){5}$/.test(s) ? s.split(':') : null;
  if (!m) return null;
  return Uint8Array.from(m.map((x) => parseInt(x, 16)));
}
