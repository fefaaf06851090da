// pcapng files (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html):
// every capture of a run in one file, one Interface Description Block per
// capture (a tcpdump on one device), its packets as Enhanced Packet Blocks in
// the order they were seen across all captures. Written little-endian, as a
// Linux machine writes them; block and option bodies are padded to 4 bytes.
//
//   Section Header Block   0x0A0D0D0A  byte-order magic 0x1A2B3C4D, version 1.0,
//                                      section length -1 (not given), shb_userappl
//   Interface Description  0x00000001  linktype 1 (Ethernet), snaplen,
//                                      if_name, if_description, if_tsresol 9 (ns)
//   Enhanced Packet Block  0x00000006  interface id, 64-bit timestamp, lengths, data
import type { Capture } from '../run/output.ts';
import { CAPTURE_BASE_EPOCH } from './clock.ts';
import { DEFAULT_SNAPLEN, LINKTYPE_ETHERNET } from './pcap.ts';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_NAME = 2;
const OPT_IF_DESCRIPTION = 3;
const OPT_IF_TSRESOL = 9;

const utf8 = new TextEncoder();
const pad4 = (n: number): number => (n + 3) & ~3;

interface Option {
  code: number;
  value: Uint8Array;
}

function optionsLength(opts: Option[]): number {
  return opts.length ? opts.reduce((n, o) => n + 4 + pad4(o.value.length), 0) + 4 : 0;
}

/** Grows as blocks are appended; every block is written in one piece. */
class BlockWriter {
  private buf = new Uint8Array(1 << 12);
  private len = 0;

  block(type: number, bodyLength: number, writeBody: (v: DataView, bytes: Uint8Array, at: number) => void): void {
    const total = 12 + pad4(bodyLength);
    if (this.len + total > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.len + total) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    const v = new DataView(this.buf.buffer);
    v.setUint32(this.len, type, true);
    v.setUint32(this.len + 4, total, true);
    writeBody(v, this.buf, this.len + 8);
    v.setUint32(this.len + total - 4, total, true);
    this.len += total;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function writeOptions(v: DataView, bytes: Uint8Array, at: number, opts: Option[]): void {
  if (!opts.length) return;
  for (const o of opts) {
    v.setUint16(at, o.code, true);
    v.setUint16(at + 2, o.value.length, true);
    bytes.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  v.setUint16(at, OPT_ENDOFOPT, true);
  v.setUint16(at + 2, 0, true);
}

/** The name of the interface a capture ran on, and where, as tcpdump would have been told. */
export function captureDescription(cap: Capture): string {
  return `tcpdump -i ${cap.devName}${cap.netName ? ` in netns ${cap.netName}` : ''} (capture ${cap.index})`;
}

/**
 * All captures of a run as one pcapng file. Timestamps are nanoseconds since
 * the epoch, from the same fixed start as the pcap files (clock.ts), so a
 * packet has the same time in both.
 */
export function writePcapng(captures: readonly Capture[], snaplen = DEFAULT_SNAPLEN, application = 'skbwalk'): Uint8Array {
  const w = new BlockWriter();
  const shbOpts: Option[] = [{ code: OPT_SHB_USERAPPL, value: utf8.encode(application) }];
  w.block(BLOCK_SHB, 16 + optionsLength(shbOpts), (v, bytes, at) => {
    v.setUint32(at, BYTE_ORDER_MAGIC, true);
    v.setUint16(at + 4, 1, true);
    v.setUint16(at + 6, 0, true);
    // Section length: -1, "not specified" (64 bits of ones).
    v.setInt32(at + 8, -1, true);
    v.setInt32(at + 12, -1, true);
    writeOptions(v, bytes, at + 16, shbOpts);
  });
  for (const cap of captures) {
    const opts: Option[] = [
      { code: OPT_IF_NAME, value: utf8.encode(cap.devName) },
      { code: OPT_IF_DESCRIPTION, value: utf8.encode(captureDescription(cap)) },
      { code: OPT_IF_TSRESOL, value: Uint8Array.of(9) },
    ];
    w.block(BLOCK_IDB, 8 + optionsLength(opts), (v, bytes, at) => {
      v.setUint16(at, LINKTYPE_ETHERNET, true);
      v.setUint16(at + 2, 0, true);
      v.setUint32(at + 4, snaplen, true);
      writeOptions(v, bytes, at + 8, opts);
    });
  }
  // Packets of all captures in the order they were seen (by step; ties keep capture order).
  const all = captures.flatMap((cap, iface) => cap.packets.map((pkt) => ({ iface, pkt })));
  all.sort((a, b) => a.pkt.step - b.pkt.step || a.pkt.time - b.pkt.time || a.iface - b.iface);
  for (const { iface, pkt } of all) {
    const incl = Math.min(pkt.bytes.length, snaplen);
    const ns = BigInt(CAPTURE_BASE_EPOCH) * 1_000_000_000n + BigInt(Math.max(0, Math.floor(pkt.time)));
    w.block(BLOCK_EPB, 20 + incl, (v, bytes, at) => {
      v.setUint32(at, iface, true);
      v.setUint32(at + 4, Number(ns >> 32n), true);
      v.setUint32(at + 8, Number(ns & 0xffffffffn), true);
      v.setUint32(at + 12, incl, true);
      v.setUint32(at + 16, pkt.bytes.length, true);
      bytes.set(pkt.bytes.subarray(0, incl), at + 20);
    });
  }
  return w.bytes();
}

export interface PcapngInterface {
  linktype: number;
  snaplen: number;
  name: string | null;
  description: string | null;
  /** Timestamp units per second (10^6 unless if_tsresol says otherwise). */
  unitsPerSecond: bigint;
}

export interface PcapngPacket {
  iface: number;
  /** Timestamp in the interface's units. */
  timestamp: bigint;
  origLen: number;
  data: Uint8Array;
}

/** Reads a little- or big-endian pcapng file of one section; throws on a malformed one. */
export function readPcapng(file: Uint8Array): { interfaces: PcapngInterface[]; packets: PcapngPacket[] } {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 28 || v.getUint32(0, true) !== BLOCK_SHB) throw new Error('pcapng: no section header block');
  const le = v.getUint32(8, true) === BYTE_ORDER_MAGIC;
  if (!le && v.getUint32(8, false) !== BYTE_ORDER_MAGIC) throw new Error('pcapng: bad byte-order magic');
  const interfaces: PcapngInterface[] = [];
  const packets: PcapngPacket[] = [];
  const text = new TextDecoder();
  let off = 0;
  while (off < file.length) {
    if (off + 12 > file.length) throw new Error(`pcapng: block at ${off} cut short`);
    const type = v.getUint32(off, le);
    const total = v.getUint32(off + 4, le);
    if (total < 12 || total % 4 || off + total > file.length) throw new Error(`pcapng: block at ${off} has bad length ${total}`);
    if (v.getUint32(off + total - 4, le) !== total) throw new Error(`pcapng: block at ${off}: trailing length differs`);
    const body = off + 8;
    const end = off + total - 4;
    const options = (from: number): Map<number, Uint8Array> => {
      const out = new Map<number, Uint8Array>();
      while (from + 4 <= end) {
        const code = v.getUint16(from, le);
        const len = v.getUint16(from + 2, le);
        if (code === OPT_ENDOFOPT) break;
        if (from + 4 + len > end) throw new Error(`pcapng: option ${code} at ${from} cut short`);
        out.set(code, file.subarray(from + 4, from + 4 + len));
        from += 4 + pad4(len);
      }
      return out;
    };
    if (type === BLOCK_IDB) {
      const opts = options(body + 8);
      const res = opts.get(OPT_IF_TSRESOL)?.[0] ?? 6;
      interfaces.push({
        linktype: v.getUint16(body, le),
        snaplen: v.getUint32(body + 4, le),
        name: opts.has(OPT_IF_NAME) ? text.decode(opts.get(OPT_IF_NAME)) : null,
        description: opts.has(OPT_IF_DESCRIPTION) ? text.decode(opts.get(OPT_IF_DESCRIPTION)) : null,
        unitsPerSecond: res & 0x80 ? 2n ** BigInt(res & 0x7f) : 10n ** BigInt(res),
      });
    } else if (type === BLOCK_EPB) {
      const iface = v.getUint32(body, le);
      if (iface >= interfaces.length) throw new Error(`pcapng: packet at ${off} names interface ${iface}, not described`);
      const incl = v.getUint32(body + 12, le);
      if (body + 20 + incl > end) throw new Error(`pcapng: packet at ${off} cut short`);
      packets.push({
        iface,
        timestamp: (BigInt(v.getUint32(body + 4, le)) << 32n) | BigInt(v.getUint32(body + 8, le)),
        origLen: v.getUint32(body + 16, le),
        data: file.slice(body + 20, body + 20 + incl),
      });
    }
    off += total;
  }
  return { interfaces, packets };
}
