import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SNAPLEN, readPcap, writePcap } from './pcap.ts';
import { CAPTURE_BASE_EPOCH, captureTime, tcpdumpTimestamp } from './clock.ts';
import { captureOf } from './tcpdump-oracle.ts';
import { findTool, TOOL_TEST_TIMEOUT, tsharkProblems, withTempFile } from '../../../test/tools.ts';
import { craftedFrames } from './test-frames.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kernel/', import.meta.url));

function fixturePcaps(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    const path = join(FIXTURES, dir);
    if (!statSync(path).isDirectory()) continue;
    for (const f of readdirSync(path).sort()) if (/^tcpdump-.*\.pcap$/.test(f)) out.push(join(path, f));
  }
  return out;
}

/** Every frame the kernel sent in the records (correct checksums, real layouts). */
function fixtureFrames(): Uint8Array[] {
  return fixturePcaps().flatMap((f) => readPcap(readFileSync(f)).packets.map((p) => p.data));
}

describe('writePcap', () => {
  it('writes the global header exactly as tcpdump -w did in the records', () => {
    const ours = writePcap(captureOf([]));
    expect(ours.length).toBe(24);
    for (const f of fixturePcaps()) expect(Buffer.from(ours).equals(readFileSync(f).subarray(0, 24)), f).toBe(true);
    // magic a1b2c3d4 (LE), v2.4, thiszone 0, sigfigs 0, snaplen 262144, linktype 1 (Ethernet)
    expect(Buffer.from(ours).toString('hex')).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000',
    );
  });

  it('reads back what it wrote', () => {
    const frames = craftedFrames();
    const cap = captureOf(frames, 1_234_567.891);
    const file = readPcap(writePcap(cap));
    expect(file.header).toMatchObject({
      littleEndian: true,
      nanoseconds: false,
      versionMajor: 2,
      versionMinor: 4,
      thiszone: 0,
      sigfigs: 0,
      snaplen: DEFAULT_SNAPLEN,
      linktype: 1,
    });
    expect(file.packets.length).toBe(frames.length);
    file.packets.forEach((p, i) => {
      expect(Buffer.from(p.data).equals(Buffer.from(frames[i]))).toBe(true);
      expect(p.origLen).toBe(frames[i].length);
      const t = captureTime(cap.packets[i].time);
      expect([p.sec, p.frac]).toEqual([t.sec, t.usec]);
    });
  });

  it('stamps packets with the fixed epoch plus virtual time, deterministically', () => {
    const cap = captureOf([new Uint8Array(60), new Uint8Array(42)]);
    cap.packets[0].time = 0;
    cap.packets[1].time = 3_600e9 + 1_000_999.9; // 1 h, 1.000999 ms later
    const file = readPcap(writePcap(cap));
    expect(file.packets.map((p) => [p.sec, p.frac])).toEqual([
      [CAPTURE_BASE_EPOCH, 0],
      [CAPTURE_BASE_EPOCH + 3600, 1000],
    ]);
    expect(tcpdumpTimestamp(cap.packets[1].time)).toBe('01:00:00.001000');
    expect(Buffer.from(writePcap(cap)).equals(Buffer.from(writePcap(cap)))).toBe(true);
  });

  it('cuts packets at the snap length but keeps their length', () => {
    const file = readPcap(writePcap(captureOf([new Uint8Array(100).fill(7)]), 64));
    expect(file.header.snaplen).toBe(64);
    expect(file.packets[0].data.length).toBe(64);
    expect(file.packets[0].origLen).toBe(100);
  });
});

describe('readPcap', () => {
  it('reads every record', () => {
    for (const f of fixturePcaps()) {
      const file = readPcap(readFileSync(f));
      expect(file.header.linktype).toBe(1);
      for (const p of file.packets) expect(p.origLen).toBe(p.data.length);
    }
  });
  it('rejects what is not a pcap', () => {
    expect(() => readPcap(new Uint8Array(10))).toThrow(/shorter/);
    expect(() => readPcap(new Uint8Array(24))).toThrow(/magic/);
    const cut = writePcap(captureOf([new Uint8Array(60)])).subarray(0, 50);
    expect(() => readPcap(cut)).toThrow(/cut short/);
  });
});

describe('tshark reads our pcaps without complaint', () => {
  const tsharkPath = findTool('tshark');

  it('has tshark', () => {
    // Not skipped: without tshark this check proves nothing, so it fails.
    expect(tsharkPath, 'tshark is not installed (apt-get install tshark); the pcap checks need it').not.toBeNull();
  });

  it(
    "finds no problem in the kernel's frames as we write them, record by record",
    async () => {
      expect(tsharkPath, 'tshark is not installed').not.toBeNull();
      const pcaps = fixturePcaps();
      expect(pcaps.length).toBeGreaterThan(0);
      const results = await Promise.all(
        pcaps.map(async (f) => {
          const original = readFileSync(f);
          const packets = readPcap(original).packets;
          const first = packets[0] ?? { sec: 0, frac: 0 };
          const cap = captureOf(packets.map((p) => p.data));
          cap.packets.forEach((pkt, i) => {
            pkt.time = (packets[i].sec - first.sec) * 1e9 + (packets[i].frac - first.frac) * 1e3;
          });
          const ours = await withTempFile('c.pcap', writePcap(cap), (p) => tsharkProblems(p, packets.length));
          // Should a record itself ever carry expert warnings (duplicate
          // addresses, say), what tshark says of tcpdump's own file is the
          // baseline: ours must say nothing more.
          const baseline = ours.length ? await withTempFile('c.pcap', original, (p) => tsharkProblems(p, packets.length)) : [];
          return { f, ours, baseline };
        }),
      );
      for (const { f, ours, baseline } of results) expect(ours, f).toEqual(baseline);
    },
    TOOL_TEST_TIMEOUT,
  );

  it(
    'finds no problem in the crafted well-formed frames',
    async () => {
      expect(tsharkPath, 'tshark is not installed').not.toBeNull();
      // The first frames craftedFrames() makes are whole, correct echo requests and replies.
      const frames = craftedFrames().slice(0, 5);
      expect(await withTempFile('c.pcap', writePcap(captureOf(frames)), (p) => tsharkProblems(p, frames.length))).toEqual([]);
    },
    TOOL_TEST_TIMEOUT,
  );

  it(
    'does complain about a bad checksum (so the check above means something)',
    async () => {
      expect(tsharkPath, 'tshark is not installed').not.toBeNull();
      const frames = fixtureFrames().filter((f) => f.length >= 34 && f[12] === 0x08 && f[13] === 0x00);
      const bad = frames[0].slice();
      bad[14 + 10] ^= 0x55;
      const problems = await withTempFile('c.pcap', writePcap(captureOf([bad])), (p) => tsharkProblems(p, 1));
      expect(problems.some((p) => /Bad checksum/.test(p))).toBe(true);
    },
    TOOL_TEST_TIMEOUT,
  );
});
