import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumProblems, formatCapture, formatTcpdumpLine, ipChecksumOk } from './tcpdump.ts';
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
      const script = join(path, 'scenario.sh');
      const words = scriptWords(existsSync(script) ? readFileSync(script, 'utf8') : '');
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
      const text = file.packets
        .map((p) => formatTcpdumpLine(p.data, { numeric: true, ethernet: true, timestamp: null }) + '\n')
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
