// The URL is the state: a shared link carries the scenario, the step and a
// little view state, compressed into the URL's fragment (hash).
//
// Why the fragment and not the query string:
// - browsers never send the fragment to servers, so a scenario shared by link
//   is not logged by skbwalk's host, proxies or CDNs;
// - `history.replaceState(null, '', '#s=…')` rewrites it on every step without
//   a navigation or reload, and without touching the query string;
// - the query string stays free for the embed options (`?embed=1&autoplay=1`,
//   see embedOptions.ts), which the embedding page sets and the app never
//   rewrites.
//
// Link formats 1 to 4 (see README.md): the same bytes and JSON; they differ
// in what the step counts. Format 1 counted kernel calls (step k = call k
// entered); format 2 counted every call's entry and its return; format 3
// counted those of the kernel's inline queue helpers (__skb_dequeue, …) too;
// format 4 counts the calls of ping's system calls and of raw_err too. An older
// link's step is mapped to the same moment once the run is known
// (stepNumbering.ts).
//
//   #s=4.<base64url, no padding>
//
// where the base64url data is the bytes
//
//   varint(n)      LEB128, 1–3 bytes: the byte count of the deflate data
//   n bytes        deflate-raw (CompressionStream) of the UTF-8 JSON below
//   4 bytes        CRC-32 (big-endian) of that UTF-8 JSON
//
// and the JSON is an object with short keys (the link must stay short):
//
//   c  scenario text (string, required)
//   s  step (integer 0..MAX_STEP, required; in the link's format's numbering)
//   k  selected skb id (integer ≥ 1, optional)
//   p  open panels (array of panel names, optional)
//   t  theme ("light" | "dark", optional)
//
// The byte count makes a truncated link recognisable as truncated, and the
// checksum catches a damaged link that still happens to decompress (deflate-raw
// has no checksum of its own).
//
// Compatibility: decodeState switches on the format number; a new format gets
// a new case and the old cases stay, with their fixtures in urlState.test.ts.

import { MAX_STEP, SHARE_FORMAT } from './linkFormat.ts';

export { MAX_STEP, SHARE_FORMAT };
/** The formats decodeState reads. */
export const READABLE_FORMATS: readonly number[] = [1, 2, 3, 4];

/** Longest link data (the text after `#`, or the bare value) decodeState looks at. */
export const MAX_LINK_CHARS = 64 * 1024;
/** Most bytes a link's contents may decompress to (decompression stops past it). */
export const MAX_UNPACKED_BYTES = 256 * 1024;
/** Longest scenario, as the engine counts it (src/engine/session.ts MAX_SCENARIO_BYTES). */
export const MAX_SCENARIO_CHARS = 256 * 1024;
/** Highest skb id. */
export const MAX_SKB = 2 ** 31 - 1;
/** Most panels a link may list. */
export const MAX_PANELS = 16;
/** The panel names links use (the store's 'stack' is 'callstack' here). */
export const SHARE_PANELS = ['topology', 'callstack', 'skb', 'events', 'captures', 'terminal'] as const;
export type SharePanel = (typeof SHARE_PANELS)[number];
/** The fragment parameter that holds the state. */
export const STATE_PARAM = 's';

/** Gives up on a decode that takes longer than this (it never should). */
const DEFAULT_TIMEOUT_MS = 5000;
/** Bytes fed to the decompressor at a time: bounds the memory one write can expand to (~1 KiB → ~1 MiB worst case). */
const INFLATE_CHUNK = 512;

export interface ShareState {
  /**
   * Link format version (decodeState: the link's; encodeState ignores it and
   * writes SHARE_FORMAT). It says how `step` counts: 1 = calls, 2 = entries and returns, 3 = with the inline queue helpers', 4 = with ping's system calls'.
   */
  v: number;
  scenario: string;
  step: number;
  /** Selected skb id. */
  skb?: number;
  /** Open panels, by SHARE_PANELS name. */
  panels?: string[];
  theme?: 'light' | 'dark';
}

export type DecodeResult =
  | { ok: true; state: ShareState; /** Harmless problems that were skipped (unknown panel names, …). */ warnings: string[] }
  | { ok: false; error: string; raw: string };

export interface DecodeOptions {
  /** Milliseconds before giving up (default 5000). */
  timeoutMs?: number;
}

/** Thrown by encodeState when a state cannot be shared by link. */
export class ShareError extends Error {
  override name = 'ShareError';
}

// ---------------------------------------------------------------------------
// Encoding

/**
 * Encodes a state as a URL fragment, `#s=1.<base64url>`, ready for
 * `history.replaceState(null, '', fragment)` or shareUrl().
 * Throws ShareError if the state is invalid or too large for a link.
 */
export async function encodeState(s: ShareState): Promise<string> {
  const checked = validateState(toJsonV1(s), 'encode', SHARE_FORMAT);
  if (!checked.ok) throw new ShareError(checked.error);
  const json = new TextEncoder().encode(JSON.stringify(toJsonV1(checked.state)));
  if (json.length > MAX_UNPACKED_BYTES) {
    throw new ShareError(
      `this scenario is too large to share by link (${kib(json.length)} KiB; links hold up to ${kib(MAX_UNPACKED_BYTES)} KiB)`,
    );
  }
  if (typeof CompressionStream !== 'function')
    throw new ShareError('this browser cannot make skbwalk links (it has no CompressionStream)');
  const packed = await deflateRaw(json);
  const header = varint(packed.length);
  const bytes = new Uint8Array(header.length + packed.length + 4);
  bytes.set(header, 0);
  bytes.set(packed, header.length);
  new DataView(bytes.buffer).setUint32(header.length + packed.length, crc32(json));
  const value = `${SHARE_FORMAT}.${base64urlEncode(bytes)}`;
  if (value.length > MAX_LINK_CHARS) {
    throw new ShareError(
      `this scenario is too large to share by link (the link would be ${kib(value.length)} KiB; links hold up to ${kib(MAX_LINK_CHARS)} KiB)`,
    );
  }
  return `#${STATE_PARAM}=${value}`;
}

/** `base` (e.g. location.href) with its fragment replaced by `fragment` (from encodeState); the query string is kept. */
export function shareUrl(base: string, fragment: string): string {
  const u = new URL(base);
  u.hash = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  return u.href;
}

function toJsonV1(s: ShareState): Record<string, unknown> {
  // Fixed key order, optional keys only when set: equal states give equal links.
  const o: Record<string, unknown> = { c: s.scenario, s: s.step };
  if (s.skb !== undefined) o.k = s.skb;
  if (s.panels !== undefined) o.p = s.panels;
  if (s.theme !== undefined) o.t = s.theme;
  return o;
}

// ---------------------------------------------------------------------------
// Decoding

/**
 * Decodes a link's state. Accepts a whole URL, a fragment (`#s=1.…`, with or
 * without `#`, possibly among other `&`-separated fragment parameters) or the
 * bare value (`1.…`). Never throws and never hangs: the input, the decompressed
 * output and the time taken are all bounded, and every failure comes back as
 * `{ ok: false, error }` with a sentence saying what is wrong.
 */
export async function decodeState(hashOrParam: string, opts: DecodeOptions = {}): Promise<DecodeResult> {
  const raw = typeof hashOrParam === 'string' ? hashOrParam : '';
  const fail = (error: string): DecodeResult => ({ ok: false, error, raw });
  try {
    if (typeof hashOrParam !== 'string') return fail('the link is not text');
    if (raw.length > MAX_LINK_CHARS) {
      return fail(`the link is too long (${kib(raw.length)} KiB; skbwalk reads links up to ${kib(MAX_LINK_CHARS)} KiB)`);
    }
    const value = stateParam(raw);
    if (value === null) return fail(`the link holds no skbwalk state (expected "#${STATE_PARAM}=${SHARE_FORMAT}.…")`);
    const dot = value.indexOf('.');
    const formatText = dot < 0 ? value : value.slice(0, dot);
    if (!/^[0-9]{1,9}$/.test(formatText)) {
      return fail(`the link's format number ${quote(formatText)} is not a number (expected "#${STATE_PARAM}=${SHARE_FORMAT}.…")`);
    }
    const format = Number(formatText);
    const data = dot < 0 ? '' : value.slice(dot + 1);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let r: Decoded;
    switch (format) {
      case 1: // steps count calls
      case 2: // steps count entries and returns
      case 3: // … and those of the inline queue helpers
      case 4: // … and those of ping's system calls and raw_err
        r = await withTimeout(decodePacked(data, format), timeoutMs);
        break;
      // A new format adds a case here; the old cases stay.
      default:
        return fail(
          format > SHARE_FORMAT
            ? `this link was made by a newer skbwalk (format ${format}); this version reads ${formatList()}`
            : `the link's format number ${format} does not exist; this version reads ${formatList()}`,
        );
    }
    if (!r.ok) return fail(r.error);
    return { ok: true, state: r.state, warnings: r.warnings };
  } catch (err) {
    return fail(`the link could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * The state value (`1.…`) in a URL, fragment or bare value, or null if there is
 * none. Whitespace is dropped (mail clients wrap long links).
 */
export function stateParam(hashOrParam: string): string | null {
  let s = hashOrParam.replace(/\s+/g, '');
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(hash + 1);
  if (!s) return null;
  if (!s.includes('=')) return /^[0-9]/.test(s) ? percentDecoded(s) : null; // a bare value
  for (const part of s.split('&')) {
    if (part.startsWith(`${STATE_PARAM}=`)) return percentDecoded(part.slice(STATE_PARAM.length + 1));
  }
  return null;
}

/**
 * The value as the user wrote it: location.hash percent-encodes characters
 * such as `<` or a space, and a damaged link should be reported with the
 * character it holds (`"<"`), not with its escape (`"%"`).
 */
function percentDecoded(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a lone "%": reported as it is
  }
}

type Decoded = { ok: true; state: ShareState; warnings: string[] } | { ok: false; error: string };

/** Formats 1 and 2: varint length, deflate-raw JSON, CRC-32. */
async function decodePacked(data: string, format: number): Promise<Decoded> {
  const bin = base64urlDecode(data);
  if (!bin.ok) return bin;
  const bytes = bin.bytes;
  // Header: the deflate data's byte count.
  let n = 0;
  let i = 0;
  for (; ; i++) {
    if (i >= bytes.length) return { ok: false, error: truncated(bytes.length, null) };
    if (i >= 3) return { ok: false, error: 'the link is corrupted (its length header is invalid)' };
    n |= (bytes[i] & 0x7f) << (7 * i);
    if ((bytes[i] & 0x80) === 0) break;
  }
  const start = i + 1;
  if (n === 0) return { ok: false, error: 'the link is corrupted (its length header is invalid)' };
  const expected = start + n + 4;
  if (bytes.length !== expected && (await completeUnderAnotherHeader(bytes))) {
    // The data is whole and its checksum matches: only the count in front of it is wrong.
    return {
      ok: false,
      error: `the link is corrupted (its length header says ${n} bytes of data, but the data is whole at a different length)`,
    };
  }
  if (bytes.length < expected) return { ok: false, error: truncated(bytes.length, expected) };
  if (bytes.length > expected) {
    return {
      ok: false,
      error: `the link has ${bytes.length - expected} extra byte${bytes.length - expected === 1 ? '' : 's'} at its end; it may have been pasted together with other text`,
    };
  }
  if (typeof DecompressionStream !== 'function')
    return { ok: false, error: 'this browser cannot read skbwalk links (it has no DecompressionStream)' };
  const inflated = await inflateRawLimited(bytes.subarray(start, start + n), MAX_UNPACKED_BYTES);
  if (inflated === 'too-large') {
    return {
      ok: false,
      error: `the link's scenario is larger than ${kib(MAX_UNPACKED_BYTES)} KiB once unpacked; skbwalk reads scenarios up to ${kib(MAX_UNPACKED_BYTES)} KiB`,
    };
  }
  if (inflated === 'corrupt') return { ok: false, error: 'the link is corrupted (its data does not decompress)' };
  const crc = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(start + n);
  if (crc32(inflated) !== crc) return { ok: false, error: 'the link is corrupted (its checksum does not match its contents)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { ok: false, error: 'the link is corrupted (its contents are not UTF-8 text)' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the link is corrupted (its contents are not valid JSON)' };
  }
  return validateState(json, 'decode', format);
}

/**
 * True when the bytes after some 1–3 byte header inflate, within the limit,
 * to text whose CRC-32 is the last four bytes: a link whose length header was
 * damaged, not a truncated or padded one.
 */
async function completeUnderAnotherHeader(bytes: Uint8Array): Promise<boolean> {
  if (typeof DecompressionStream !== 'function') return false;
  for (let header = 1; header <= 3; header++) {
    const n = bytes.length - header - 4;
    if (n <= 0) break;
    const inflated = await inflateRawLimited(bytes.subarray(header, header + n), MAX_UNPACKED_BYTES);
    if (typeof inflated === 'string') continue;
    const crc = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(header + n);
    if (crc32(inflated) === crc) return true;
  }
  return false;
}

function truncated(have: number, expected: number | null): string {
  return expected === null
    ? 'the link is truncated (its data is missing); copy the whole link again'
    : `the link is truncated (it holds ${have} of its ${expected} bytes); copy the whole link again`;
}

/** The JSON schema of formats 1, 2 and 3. In 'decode' mode unknown panel names and repeated panels are dropped with a warning; in 'encode' mode they are errors. */
function validateState(json: unknown, mode: 'decode' | 'encode', format: number): Decoded {
  const who = mode === 'decode' ? "the link's" : "the shared state's";
  const err = (error: string): Decoded => ({ ok: false, error });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return err(`${who} contents are not an object`);
  const o = json as Record<string, unknown>;
  const known = ['c', 's', 'k', 'p', 't'];
  for (const key of Object.keys(o)) {
    if (!known.includes(key))
      return err(`${who} contents have an unknown field ${quote(key)} (format ${format} has c, s, k, p, t)`);
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;
  const warnings: string[] = [];

  if (!has('c')) return err(`${who} scenario is missing`);
  const scenario = o.c;
  if (typeof scenario !== 'string') return err(`${who} scenario is not text (it is ${typeName(scenario)})`);
  if (!scenario.trim()) return err(`${who} scenario is empty`);
  if (scenario.length > MAX_SCENARIO_CHARS) {
    return err(`${who} scenario is larger than ${kib(MAX_SCENARIO_CHARS)} KiB (${kib(scenario.length)} KiB)`);
  }
  if (scenario.includes('\u0000')) return err(`${who} scenario contains a NUL character`);

  if (!has('s')) return err(`${who} step is missing`);
  const step = o.s;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > MAX_STEP) {
    return err(`${who} step must be a whole number from 0 to ${MAX_STEP} (it is ${show(step)})`);
  }

  const state: ShareState = { v: format, scenario, step };

  if (has('k')) {
    const skb = o.k;
    if (typeof skb !== 'number' || !Number.isInteger(skb) || skb < 1 || skb > MAX_SKB) {
      return err(`${who} selected skb must be a whole number from 1 to ${MAX_SKB} (it is ${show(skb)})`);
    }
    state.skb = skb;
  }

  if (has('p')) {
    const p = o.p;
    if (!Array.isArray(p)) return err(`${who} panel list is not a list (it is ${typeName(p)})`);
    if (p.length > MAX_PANELS) return err(`${who} panel list has ${p.length} entries; at most ${MAX_PANELS} are allowed`);
    const panels: string[] = [];
    for (const name of p) {
      if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(name)) {
        return err(`${who} panel list holds ${show(name)}, which is not a panel name`);
      }
      const problem = !(SHARE_PANELS as readonly string[]).includes(name)
        ? `unknown panel ${quote(name)} ignored`
        : panels.includes(name)
          ? `panel ${quote(name)} listed twice`
          : null;
      if (problem) {
        if (mode === 'encode') return err(`${who} ${problem.replace(' ignored', '')} (panels are ${SHARE_PANELS.join(', ')})`);
        warnings.push(`${problem}`);
        continue;
      }
      panels.push(name);
    }
    state.panels = panels;
  }

  if (has('t')) {
    const t = o.t;
    if (t !== 'light' && t !== 'dark') return err(`${who} theme must be "light" or "dark" (it is ${show(t)})`);
    state.theme = t;
  }
  return { ok: true, state, warnings };
}

// ---------------------------------------------------------------------------
// Compression

async function deflateRaw(input: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate-raw');
  const writer = cs.writable.getWriter();
  const done = (async () => {
    await writer.write(input as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  const chunks: Uint8Array[] = [];
  const reader = cs.readable.getReader();
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    chunks.push(value);
  }
  await done;
  return concat(chunks);
}

/**
 * Inflates deflate-raw data, reading the output incrementally and giving up as
 * soon as it passes `limit` bytes (zip-bomb safe: the input goes in in small
 * pieces, so no single write can expand to much more than a MiB).
 */
async function inflateRawLimited(input: Uint8Array, limit: number): Promise<Uint8Array | 'too-large' | 'corrupt'> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  const writing = (async () => {
    try {
      for (let i = 0; i < input.length && !stop; i += INFLATE_CHUNK) {
        await writer.write(input.slice(i, i + INFLATE_CHUNK));
      }
      if (!stop) await writer.close();
    } catch {
      /* the reader sees (and reports) the same failure */
    }
  })();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let result: Uint8Array | 'too-large' | 'corrupt';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        result = concat(chunks);
        break;
      }
      total += value.byteLength;
      if (total > limit) {
        result = 'too-large';
        break;
      }
      chunks.push(value);
    }
  } catch {
    result = 'corrupt';
  }
  if (result === 'too-large') {
    stop = true;
    chunks.length = 0;
    await reader.cancel().catch(() => undefined);
  }
  await writing;
  return result;
}

function withTimeout(p: Promise<Decoded>, ms: number): Promise<Decoded> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Decoded>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `the link took longer than ${ms} ms to read; it may be damaged` }), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------
// Bytes

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63];
  }
  return out;
}

/** Strict base64url (no padding; a trailing `=` run is tolerated). A dangling last character (length ≡ 1 mod 4) is dropped: the length header then reports the link as truncated. */
export function base64urlDecode(text: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const s = text.replace(/=+$/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || B64_INDEX[c] < 0) {
      return {
        ok: false,
        error: `the link is corrupted: it contains ${quote(String.fromCodePoint(s.codePointAt(i)!))} at position ${i + 1} of its data, which cannot appear in a skbwalk link`,
      };
    }
  }
  const usable = s.length - (s.length % 4 === 1 ? 1 : 0);
  const out = new Uint8Array(Math.floor((usable * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < usable; i++) {
    acc = (acc << 6) | B64_INDEX[s.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, bytes: out };
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Uint8Array.from(out);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE, as in gzip and PNG). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of chunks) len += c.byteLength;
  const out = new Uint8Array(len);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Messages

function kib(n: number): string {
  return String(Math.round((n / 1024) * 10) / 10);
}

function formatList(): string {
  const f = READABLE_FORMATS;
  return f.length === 1 ? `format ${f[0]}` : `formats ${f.slice(0, -1).join(', ')} and ${f[f.length - 1]}`;
}

/** A value quoted for an error message, cut short if long. */
function quote(s: string): string {
  const q = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  return q;
}

function show(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return String(v);
  return typeName(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? 'text' : `a ${typeof v}`;
}
