// Classic libpcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.html),
// laid out as `tcpdump -w` writes them on a little-endian Linux machine:
//   global header (24 bytes): magic a1b2c3d4 (so d4 c3 b2 a1 on disk),
//     version 2.4, thiszone 0, sigfigs 0, snaplen, linktype 1 (Ethernet);
//   per packet (16 bytes + data): ts_sec, ts_usec, incl_len, orig_len.
import type { Capture } from '../run/output.ts';
import { captureTime } from './clock.ts';

export const PCAP_MAGIC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
export const LINKTYPE_ETHERNET = 1;
export const DEFAULT_SNAPLEN = 262144;

/** The capture as a pcap file. Timestamps: the packet's virtual time after a fixed epoch (clock.ts). */
export function writePcap(cap: Capture, snaplen = DEFAULT_SNAPLEN): Uint8Array {
  let size = 24;
  for (const pkt of cap.packets) size += 16 + Math.min(pkt.bytes.length, snaplen);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, PCAP_MAGIC, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true);
  v.setUint32(12, 0, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, LINKTYPE_ETHERNET, true);
  let off = 24;
  for (const pkt of cap.packets) {
    const { sec, usec } = captureTime(pkt.time);
    const incl = Math.min(pkt.bytes.length, snaplen);
    v.setUint32(off, sec, true);
    v.setUint32(off + 4, usec, true);
    v.setUint32(off + 8, incl, true);
    v.setUint32(off + 12, pkt.bytes.length, true);
    out.set(pkt.bytes.subarray(0, incl), off + 16);
    off += 16 + incl;
  }
  return out;
}

export interface PcapHeader {
  magic: number;
  littleEndian: boolean;
  /** true for the nanosecond-resolution variant (magic a1b23c4d). */
  nanoseconds: boolean;
  versionMajor: number;
  versionMinor: number;
  thiszone: number;
  sigfigs: number;
  snaplen: number;
  linktype: number;
}

export interface PcapRecord {
  sec: number;
  /** Microseconds (or nanoseconds when the header says so). */
  frac: number;
  origLen: number;
  data: Uint8Array;
}

export interface PcapFile {
  header: PcapHeader;
  packets: PcapRecord[];
}

/** Parses a classic pcap file (either byte order, µs or ns); throws on a malformed one. */
export function readPcap(file: Uint8Array): PcapFile {
  if (file.length < 24) throw new Error(`pcap: ${file.length} bytes, shorter than the 24-byte header`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let le: boolean;
  const m = v.getUint32(0, true);
  if (m === PCAP_MAGIC || m === PCAP_MAGIC_NSEC) le = true;
  else if (v.getUint32(0, false) === PCAP_MAGIC || v.getUint32(0, false) === PCAP_MAGIC_NSEC) le = false;
  else throw new Error(`pcap: bad magic 0x${m.toString(16)}`);
  const magic = v.getUint32(0, le);
  const header: PcapHeader = {
    magic,
    littleEndian: le,
    nanoseconds: magic === PCAP_MAGIC_NSEC,
    versionMajor: v.getUint16(4, le),
    versionMinor: v.getUint16(6, le),
    thiszone: v.getInt32(8, le),
    sigfigs: v.getUint32(12, le),
    snaplen: v.getUint32(16, le),
    linktype: v.getUint32(20, le),
  };
  const packets: PcapRecord[] = [];
  let off = 24;
  while (off < file.length) {
    if (off + 16 > file.length) throw new Error(`pcap: record header at ${off} cut short`);
    const sec = v.getUint32(off, le);
    const frac = v.getUint32(off + 4, le);
    const incl = v.getUint32(off + 8, le);
    const origLen = v.getUint32(off + 12, le);
    if (off + 16 + incl > file.length) throw new Error(`pcap: record at ${off} cut short`);
    packets.push({ sec, frac, origLen, data: file.slice(off + 16, off + 16 + incl) });
    off += 16 + incl;
  }
  return { header, packets };
}
