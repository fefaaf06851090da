import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordScript } from '../../../test/records.ts';
import { checksumProblems, formatCapture, formatTcpdumpLine, ipChecksumOk, TcpSeqTable } from './tcpdump.ts';
import { readPcap, writePcap } from './pcap.ts';
import { normalizeTcpdump, scriptWords } from './normalize.ts';
import { captureOf, findTool, realTcpdump } from './tcpdump-oracle.ts';
import { TOOL_TEST_TIMEOUT } from '../../../test/tools.ts';
import { beyondFormatter, craftedFrames, echo, eth, ipv4, MAC_A, MAC_B, mutatedFrames } from './test-frames.ts';
import type { Capture } from '../run/output.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kernel/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./tcpdump-golden.json', import.meta.url));

interface FixtureCapture {
  name: string;
  pcap: string;
  txt: string;
  /** The script's words: ports it names stay numbers (the recorder's rule). */
  words: Set<string>;
}

/** Every tcpdump-N-DEV.pcap of every record folder, read when the tests are collected. */
function fixtureCaptures(): FixtureCapture[] {
  const out: FixtureCapture[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    const path = join(FIXTURES, dir);
    if (!statSync(path).isDirectory()) continue;
    for (const f of readdirSync(path).sort()) {
      if (!/^tcpdump-\d+-.+\.pcap$/.test(f)) continue;
      const words = scriptWords(recordScript(path));
      out.push({ name: `${dir}/${f}`, pcap: join(path, f), txt: join(path, f.replace(/\.pcap$/, '.txt')), words });
    }
  }
  return out;
}

/** The fixture's frames, as a Capture whose packet times are the recorded ones (relative to the first). */
function fixtureAsCapture(pcapPath: string): Capture {
  const file = readPcap(readFileSync(pcapPath));
  const first = file.packets[0] ?? { sec: 0, frac: 0 };
  const cap = captureOf(file.packets.map((p) => p.data));
  cap.packets.forEach((pkt, i) => {
    const p = file.packets[i];
    pkt.time = (p.sec - first.sec) * 1e9 + (p.frac - first.frac) * 1e3;
  });
  return cap;
}

const MODES = [
  { flags: ['-nn', '-e'], numeric: true, ethernet: true },
  { flags: ['-nn'], numeric: true, ethernet: false },
  { flags: ['-e'], numeric: false, ethernet: true },
  { flags: [] as string[], numeric: false, ethernet: false },
];

/** What the recording machine's resolver said (its /etc/hosts names 127.0.0.1 localhost; nothing else resolves). */
const resolveHost = (addr: string): string | null => (addr === '127.0.0.1' ? 'localhost' : null);

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('tcpdump -nn -e text of the kernel records', () => {
  const caps = fixtureCaptures();
  it('finds the records', () => {
    expect(caps.length).toBeGreaterThan(0);
  });
  for (const c of caps) {
    it(c.name, () => {
      const file = readPcap(readFileSync(c.pcap));
      // One tcpdump run reads the whole file: TCP's numbers are relative within it.
      const tcpSeq = new TcpSeqTable();
      const text = file.packets
        .map((p) => formatTcpdumpLine(p.data, { numeric: true, ethernet: true, timestamp: null, tcpSeq }) + '\n')
        .join('');
      expect(normalizeTcpdump(text, c.words)).toBe(readFileSync(c.txt, 'utf8'));
    });
  }
  it('formatCapture gives the same lines', () => {
    for (const c of caps) {
      const cap = fixtureAsCapture(c.pcap);
      const lines = formatCapture(cap, { numeric: true, ethernet: true, timestamps: false });
      expect(normalizeTcpdump(lines.map((l) => l + '\n').join(''), c.words)).toBe(readFileSync(c.txt, 'utf8'));
    }
  });
});

interface Golden {
  tcpdump: string;
  cases: { flags: string; frame: string; text: string }[];
}

describe('crafted frames, as tcpdump 4.99.3 printed them', () => {
  // tcpdump-golden.json holds the real tcpdump's text for craftedFrames() in
  // all four flag combinations. Regenerate (on a machine with tcpdump) with
  //   UPDATE_TCPDUMP_GOLDEN=1 npx vitest run src/engine/output/tcpdump.test.ts
  if (process.env.UPDATE_TCPDUMP_GOLDEN) {
    const frames = craftedFrames();
    const golden: Golden = { tcpdump: execFileSync('tcpdump', ['--version'], { encoding: 'utf8' }).split('\n')[0], cases: [] };
    for (const m of MODES) {
      realTcpdump(frames, m.flags).forEach((text, i) =>
        golden.cases.push({ flags: m.flags.join(' '), frame: hex(frames[i]), text }),
      );
    }
    writeFileSync(GOLDEN, JSON.stringify(golden, null, 1) + '\n');
  }
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
  it('covers every crafted frame in every mode', () => {
    expect(golden.cases.length).toBe(craftedFrames().length * MODES.length);
  });
  for (const m of MODES) {
    it(`tcpdump ${m.flags.join(' ') || '(no flags)'} -r`, () => {
      const cases = golden.cases.filter((c) => c.flags === m.flags.join(' '));
      const bad = cases.filter(
        (c) =>
          formatTcpdumpLine(Buffer.from(c.frame, 'hex'), {
            numeric: m.numeric,
            ethernet: m.ethernet,
            timestamp: null,
            resolveHost,
          }) !== c.text,
      );
      expect(
        bad.map((c) => ({
          frame: c.frame,
          want: c.text,
          got: formatTcpdumpLine(Buffer.from(c.frame, 'hex'), { ...m, timestamp: null, resolveHost }),
        })),
      ).toEqual([]);
    });
  }
});

describe('specific formats', () => {
  const f = (b: Uint8Array, e = true): string => formatTcpdumpLine(b, { numeric: true, ethernet: e, timestamp: null });
  it('prefixes the timestamp as tcpdump does', () => {
    const frame = eth(MAC_B, MAC_A, 0x0800, ipv4('10.1.1.1', '10.1.1.2', 1, echo(8, 7, 1)));
    expect(formatTcpdumpLine(frame, { numeric: true, ethernet: false, timestamp: '00:00:01.000002' })).toBe(
      '00:00:01.000002 IP 10.1.1.1 > 10.1.1.2: ICMP echo request, id 7, seq 1, length 64',
    );
  });
  it('prints ICMP errors with the quoted datagram', () => {
    const ping = ipv4('10.1.1.1', '10.1.1.3', 1, echo(8, 1, 1));
    const err = (code: number): Uint8Array =>
      eth(MAC_A, MAC_B, 0x0800, ipv4('10.1.1.1', '10.1.1.1', 1, new Uint8Array([3, code, 0, 0, 0, 0, 0, 0, ...ping])));
    expect(f(err(1))).toMatch(/: 10\.1\.1\.1 > 10\.1\.1\.1: ICMP host 10\.1\.1\.3 unreachable, length 92$/);
    expect(f(err(0), false)).toBe('IP 10.1.1.1 > 10.1.1.1: ICMP net 10.1.1.3 unreachable, length 92');
  });
  it('stops at the first missing byte', () => {
    expect(f(new Uint8Array(10))).toBe(' [|ether]');
    expect(f(new Uint8Array(0))).toBe('[Invalid header: caplen==0, len==0]');
  });
});

describe('never throws', () => {
  it('on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.boolean(), (b, numeric, ethernet) => {
        expect(typeof formatTcpdumpLine(b, { numeric, ethernet, timestamp: null })).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });
  it('on every prefix and single-byte change of the crafted frames', () => {
    for (const frame of craftedFrames()) {
      for (let n = 0; n <= frame.length; n++)
        formatTcpdumpLine(frame.subarray(0, n), { numeric: true, ethernet: true, timestamp: null });
      for (let i = 0; i < Math.min(frame.length, 64); i++) {
        const g = frame.slice();
        g[i] ^= 0xff;
        formatTcpdumpLine(g, { numeric: false, ethernet: false, timestamp: null });
      }
    }
  });
});

describe('ipChecksumOk', () => {
  it('accepts every frame the kernel sent', () => {
    for (const c of fixtureCaptures()) {
      for (const p of readPcap(readFileSync(c.pcap)).packets) expect(checksumProblems(p.data), c.name).toEqual([]);
    }
  });
  it('finds a wrong IP header or ICMP checksum', () => {
    const good = eth(MAC_B, MAC_A, 0x0800, ipv4('10.1.1.1', '10.1.1.2', 1, echo(8, 7, 1)));
    expect(ipChecksumOk(good)).toBe(true);
    const badIp = good.slice();
    badIp[14 + 10] ^= 1;
    expect(checksumProblems(badIp)).toEqual(['ip: bad header checksum']);
    const badIcmp = good.slice();
    badIcmp[14 + 20 + 8] ^= 1;
    expect(checksumProblems(badIcmp)).toEqual(['icmp: bad checksum']);
    expect(ipChecksumOk(badIcmp)).toBe(false);
  });
  it('accepts a TCP checksum left to the device (the pseudo-header sum alone), and finds a wrong one', () => {
    // The SYN and the reset of tcp-refused: the SYN's checksum is partial, the reset's complete.
    const [, , syn, rst] = readPcap(readFileSync(join(FIXTURES, 'tcp-refused/tcpdump-0-veth0.pcap'))).packets.map((p) => p.data);
    expect(checksumProblems(syn)).toEqual([]);
    expect(checksumProblems(rst)).toEqual([]);
    for (const frame of [syn, rst]) {
      const bad = frame.slice();
      bad[14 + 20 + 17] ^= 1;
      expect(checksumProblems(bad)).toEqual(['tcp: bad checksum']);
    }
  });
});

describe('against the real tcpdump on this machine', () => {
  it('has tcpdump', () => {
    // Not skipped: without tcpdump these checks prove nothing, so they fail.
    expect(findTool('tcpdump'), 'tcpdump is not installed (apt-get install tcpdump); these checks need it').not.toBeNull();
  });
  it(
    'prints the records identically in every numeric mode, timestamps included',
    () => {
      for (const c of fixtureCaptures()) {
        const cap = fixtureAsCapture(c.pcap);
        for (const m of MODES.filter((x) => x.numeric)) {
          const dir = mkdtempSync(join(tmpdir(), 'skbwalk-td-'));
          try {
            const file = join(dir, 'c.pcap');
            writeFileSync(file, writePcap(cap));
            const r = spawnSync('tcpdump', [...m.flags, '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
            const real = r.stdout.split('\n').filter((l) => l !== '');
            expect(
              formatCapture(cap, { numeric: m.numeric, ethernet: m.ethernet }).flatMap((l) => l.split('\n')),
              `${c.name} ${m.flags.join(' ')}`,
            ).toEqual(real);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      }
    },
    TOOL_TEST_TIMEOUT,
  );
  it(
    'prints the crafted frames identically in every mode',
    () => {
      const frames = craftedFrames();
      for (const m of MODES) {
        const real = realTcpdump(frames, m.flags);
        const bad = frames
          .map((fr, i) => ({
            frame: hex(fr),
            want: real[i],
            got: formatTcpdumpLine(fr, { numeric: m.numeric, ethernet: m.ethernet, timestamp: null, resolveHost }),
          }))
          .filter((x) => x.want !== x.got);
        expect(bad, m.flags.join(' ')).toEqual([]);
      }
    },
    TOOL_TEST_TIMEOUT,
  );
  it(
    'prints random variations of them identically (-nn, with and without -e)',
    () => {
      const frames: Uint8Array[] = [];
      for (let seed = 1; seed <= 4; seed++) frames.push(...mutatedFrames(seed, 2500).filter((fr) => !beyondFormatter(fr)));
      for (const m of MODES.filter((x) => x.numeric)) {
        const real = realTcpdump(frames, m.flags);
        const bad = frames
          .map((fr, i) => ({
            frame: hex(fr),
            want: real[i],
            got: formatTcpdumpLine(fr, { numeric: true, ethernet: m.ethernet, timestamp: null }),
          }))
          .filter((x) => x.want !== x.got);
        expect(bad.slice(0, 10), `${bad.length} of ${frames.length} differ (${m.flags.join(' ')})`).toEqual([]);
      }
    },
    TOOL_TEST_TIMEOUT,
  );
});

// Keep the golden file honest: it must exist in the repository.
it('has its golden file', () => {
  expect(existsSync(GOLDEN)).toBe(true);
});

describe('TCP conversations, against the real tcpdump', () => {
  const seg = (
    src: string,
    dst: string,
    sport: number,
    dport: number,
    seq: number,
    ack: number,
    flags: number,
    opts: number[] = [],
    data: number[] = [],
  ): Uint8Array => {
    const padded = [...opts];
    while (padded.length % 4) padded.push(0);
    const hl = 20 + padded.length;
    const be = (v: number, n: number) => Array.from({ length: n }, (_, i) => (v >>> (8 * (n - 1 - i))) & 0xff);
    const tcp = [
      ...be(sport, 2),
      ...be(dport, 2),
      ...be(seq, 4),
      ...be(ack, 4),
      (hl / 4) << 4,
      flags,
      ...be(501, 2),
      0,
      0,
      0,
      0,
      ...padded,
      ...data,
    ];
    return eth(MAC_B, MAC_A, 0x0800, ipv4(src, dst, 6, tcp));
  };
  const text = (s: string): number[] => [...new TextEncoder().encode(s)];
  const ts = (v: number, e: number): number[] => [
    1,
    1,
    8,
    10,
    v >>> 24,
    (v >>> 16) & 255,
    (v >>> 8) & 255,
    v & 255,
    e >>> 24,
    (e >>> 16) & 255,
    (e >>> 8) & 255,
    e & 255,
  ];
  const A = '10.9.0.1';
  const B = '10.9.0.2';
  const isnA = 0xfffffff0; // the sequence numbers wrap during the conversation
  const isnB = 123456;
  const frames = [
    seg(A, B, 40000, 80, isnA, 0, 0x02, [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7]),
    seg(B, A, 80, 40000, isnB, isnA + 1, 0x12, [2, 4, 5, 0x50, 1, 1, 4, 2, 1, 3, 3, 10]),
    seg(A, B, 40000, 80, isnA + 1, isnB + 1, 0x10, ts(10, 20)),
    seg(A, B, 40000, 80, isnA + 1, isnB + 1, 0x18, ts(11, 20), text('GET /index.html HTTP/1.1\r\nHost: b\r\n\r\n')),
    seg(B, A, 80, 40000, isnB + 1, isnA + 38, 0x18, ts(21, 11), text('HTTP/1.1 200 OK\r\n')),
    seg(B, A, 80, 40000, isnB + 18, isnA + 38, 0x18, [], text('no line end')),
    seg(A, B, 40000, 80, isnA + 38, isnB + 29, 0x10, [1, 1, 5, 10, ...[0, 1, 226, 80], ...[0, 1, 226, 90]]),
    seg(A, B, 40000, 80, isnA + 38, isnB + 29, 0x19, [0x63, 4, 0xab, 0xcd]),
    seg(B, A, 80, 40000, isnB + 29, isnA + 39, 0x11),
    seg(A, B, 40000, 80, isnA + 39, isnB + 30, 0x10),
    // A second conversation, refused; and a text protocol that always prints its first line.
    seg(A, B, 40002, 5001, 777, 0, 0x02),
    seg(B, A, 5001, 40002, 0, 778, 0x14),
    seg(A, B, 40004, 21, 1000, 2000, 0x18, [], text('USER bob\r\n')),
    seg(A, B, 40004, 21, 1006, 2000, 0x18, [], [1, 2, 3]),
    seg(A, B, 40006, 8080, 5, 6, 0x18, [], text('hello\n')),
    seg(A, B, 40006, 8080, 11, 6, 0xc2 | 0x20),
  ];
  for (const flags of [['-nn', '-e'], ['-nn']]) {
    it(`prints them as tcpdump ${flags.join(' ')} does`, () => {
      const got = formatCapture(captureOf(frames), { numeric: true, ethernet: flags.includes('-e'), timestamps: false });
      expect(got).toEqual(realTcpdump(frames, flags));
    });
  }
});
