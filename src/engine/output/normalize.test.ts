import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { recordScript } from '../../../test/records.ts';
import { macLabeller, normalizePing, normalizeTcpdump, normalizeTerminal, scriptWords, splitLinesPy } from './normalize.ts';
import { formatTcpdumpLine, TcpSeqTable } from './tcpdump.ts';
import { readPcap } from './pcap.ts';
import { findTool } from './tcpdump-oracle.ts';
import { rng } from './test-frames.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kernel/', import.meta.url));

function fixtureDirs(): string[] {
  return readdirSync(FIXTURES)
    .sort()
    .map((d) => join(FIXTURES, d))
    .filter((p) => statSync(p).isDirectory());
}

describe('normalizeTcpdump', () => {
  it('turns tcpdump -nn -e output into the recorded text (netns-pair)', () => {
    const raw = [
      '15:34:52.032730 7a:0b:6c:99:a2:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.1.1.2 tell 10.1.1.1, length 28',
      '15:34:52.032778 46:5d:0b:c1:c0:13 > 7a:0b:6c:99:a2:01, ethertype ARP (0x0806), length 42: Reply 10.1.1.2 is-at 46:5d:0b:c1:c0:13, length 28',
      '15:34:52.032783 7a:0b:6c:99:a2:01 > 46:5d:0b:c1:c0:13, ethertype IPv4 (0x0800), length 98: 10.1.1.1 > 10.1.1.2: ICMP echo request, id 17225, seq 1, length 64',
      '15:34:52.032799 46:5d:0b:c1:c0:13 > 7a:0b:6c:99:a2:01, ethertype IPv4 (0x0800), length 98: 10.1.1.2 > 10.1.1.1: ICMP echo reply, id 17225, seq 1, length 64',
      '15:34:53.062083 7a:0b:6c:99:a2:01 > 46:5d:0b:c1:c0:13, ethertype IPv4 (0x0800), length 98: 10.1.1.1 > 10.1.1.2: ICMP echo request, id 17225, seq 2, length 64',
      '15:34:53.062156 46:5d:0b:c1:c0:13 > 7a:0b:6c:99:a2:01, ethertype IPv4 (0x0800), length 98: 10.1.1.2 > 10.1.1.1: ICMP echo reply, id 17225, seq 2, length 64',
      '',
    ].join('\n');
    expect(normalizeTcpdump(raw)).toBe(readFileSync(join(FIXTURES, 'netns-pair/tcpdump-0-veth0.txt'), 'utf8'));
  });

  it('gives every record its text from our formatter with timestamps', () => {
    for (const dir of fixtureDirs()) {
      for (const f of readdirSync(dir).filter((x) => /^tcpdump-.*\.pcap$/.test(x))) {
        const packets = readPcap(readFileSync(join(dir, f))).packets;
        // One tcpdump run reads the whole file: TCP's numbers are relative within it.
        const tcpSeq = new TcpSeqTable();
        const raw = packets
          .map(
            (p, i) =>
              formatTcpdumpLine(p.data, {
                numeric: true,
                ethernet: true,
                timestamp: `12:00:${String(i % 60).padStart(2, '0')}.123456`,
                tcpSeq,
              }) + '\n',
          )
          .join('');
        const words = scriptWords(recordScript(dir));
        expect(normalizeTcpdump(raw, words), `${dir}/${f}`).toBe(readFileSync(join(dir, f.replace('.pcap', '.txt')), 'utf8'));
      }
    }
  });

  it('labels MACs and ids per file, by first appearance, and drops IGMP', () => {
    const text =
      '00:00:00.000001 aa:bb:cc:dd:ee:01 > ff:ff:ff:ff:ff:ff, x id 99, y id 5\n' +
      '00:00:00.000002 00:00:00:00:00:00 > aa:bb:cc:dd:ee:02 igmp v3 report\n' +
      '00:00:00.000003 aa:bb:cc:dd:ee:02 > aa:bb:cc:dd:ee:01: id 5 pid 6 _id 7 (id 8)\n' +
      'IP 10.1.1.1 > 224.0.0.22: igmp v3 report, 1 group record(s)\n';
    expect(normalizeTcpdump(text)).toBe(
      // The IGMP lines go before any labelling: aa:bb:cc:dd:ee:02 is first seen on the third line.
      'M1 > ff:ff:ff:ff:ff:ff, x id I1, y id I2\n' + 'M2 > M1: id I2 pid 6 _id 7 (id I3)\n',
    );
    expect(normalizeTcpdump('')).toBe('');
    expect(normalizeTcpdump('\n')).toBe('\n');
  });

  it('follows Python: word boundaries and digits are Unicode, lines split as str.splitlines()', () => {
    // é is a word character to Python's \b, so this is no MAC; Arabic-Indic digits are \d.
    expect(normalizeTcpdump('éaa:bb:cc:dd:ee:01 id ١٢\r\nx\u2028y')).toBe('éaa:bb:cc:dd:ee:01 id I1\nx\ny\n');
    expect(splitLinesPy('a\r\nb\rc\x0bd\x1ce\x85f\n')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(splitLinesPy('a\n\nb')).toEqual(['a', '', 'b']);
  });
});

describe('normalizePing and normalizeTerminal', () => {
  it('mask the times', () => {
    const raw =
      '64 bytes from 10.1.1.2: icmp_seq=1 ttl=64 time=0.051 ms\n' +
      '2 packets transmitted, 2 received, 0% packet loss, time 1030ms\n' +
      'rtt min/avg/max/mdev = 0.045/0.048/0.051/0.003 ms\n';
    expect(normalizePing(raw)).toBe(
      '64 bytes from 10.1.1.2: icmp_seq=1 ttl=64 time=T ms\n' +
        '2 packets transmitted, 2 received, 0% packet loss, time Tms\n' +
        'rtt min/avg/max/mdev = T/T/T/T ms\n',
    );
  });
  it('label MACs in the terminal text, keeping broadcast and zero', () => {
    const raw =
      '    link/ether 7a:0b:6c:99:a2:01 brd ff:ff:ff:ff:ff:ff\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\nlladdr 46:5d:0b:c1:c0:13 REACHABLE\n10.1.1.1 lladdr 7a:0b:6c:99:a2:01';
    expect(normalizeTerminal(raw)).toBe(
      '    link/ether M1 brd ff:ff:ff:ff:ff:ff\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\nlladdr M2 REACHABLE\n10.1.1.1 lladdr M1\n',
    );
  });
  it('leave the recorded files as they are', () => {
    for (const dir of fixtureDirs()) {
      for (const [file, fn] of [
        ['terminal.txt', normalizeTerminal],
        ['ping.txt', normalizePing],
      ] as const) {
        const path = join(dir, file);
        if (!existsSync(path)) continue;
        const text = readFileSync(path, 'utf8');
        expect(fn(text), path).toBe(text);
      }
    }
  });
  it('macLabeller numbers by first appearance', () => {
    const mac = macLabeller();
    expect(['a', 'b', 'a', 'ff:ff:ff:ff:ff:ff', 'c'].map(mac)).toEqual(['M1', 'M2', 'M1', 'ff:ff:ff:ff:ff:ff', 'M3']);
  });
});

// The recorder itself (a copy of ../shared/tools/kernel-trace kept as a
// fixture): its functions and ours must agree on random text built from the
// pieces that matter. Needs python3, which every machine of this kind has.
const KERNEL_TRACE = fileURLToPath(new URL('../../../test/fixtures/tools/kernel-trace', import.meta.url));
const python = findTool('python3');

describe('against kernel-trace itself', () => {
  it('normalizes random text exactly as its Python functions do', () => {
    expect(python, 'python3 is not installed').not.toBeNull();
    expect(existsSync(KERNEL_TRACE), KERNEL_TRACE).toBe(true);
    const r = rng(7);
    const atoms = [
      '7a:0b:6c:99:a2:01',
      '46:5d:0b:c1:c0:13',
      'ff:ff:ff:ff:ff:ff',
      '00:00:00:00:00:00',
      'AA:bb:cc:dd:ee:ff',
      '7a:0b:6c:99:a2:01:02',
      'id 17225',
      'id 1',
      'pid 5',
      '_id 7',
      'id ١٢٣',
      'time=0.045 ms',
      'time=١.٢ ms',
      'time 1001ms',
      'time ٣ms',
      'rtt min/avg/max/mdev = 0.1/0.2/0.3/0.04 ms',
      'rtt min/avg/max/mdev = a\u00a0b ms',
      'rtt min/avg/max/mdev = x\ufeffy ms',
      '15:34:52.032730 ',
      '١٥:٣٤:٥٢.٠٣ ',
      ' igmp ',
      'igmp',
      'é',
      'x',
      '_',
      '٣',
      ' ',
      '\n',
      '\r\n',
      '\r',
      '\x0b',
      '\x0c',
      '\x1c',
      '\x1d',
      '\x1e',
      '\x1f',
      '\x85',
      '\u2028',
      '\u2029',
      '\t',
      ':',
      '.',
      'a',
      '7',
      'ID 5',
      'Ⅻ',
      '²',
      'ǅ',
      '\u0301',
      '\u00b7',
    ];
    const cases: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = Math.floor(r() * 12); k > 0; k--) s += atoms[Math.floor(r() * atoms.length)];
      cases.push(s);
    }
    const script = [
      'import importlib.machinery, importlib.util, json, sys',
      "loader = importlib.machinery.SourceFileLoader('kt', sys.argv[1])",
      "kt = importlib.util.module_from_spec(importlib.util.spec_from_loader('kt', loader))",
      'loader.exec_module(kt)',
      'json.dump([[kt.normalize_ping(c), kt.normalize_terminal(c), kt.normalize_tcpdump(c)] for c in json.load(sys.stdin)], sys.stdout)',
    ].join('\n');
    const res = spawnSync(python!, ['-c', script, KERNEL_TRACE], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(res.status, res.stderr).toBe(0);
    const want = JSON.parse(res.stdout) as [string, string, string][];
    const bad = cases
      .map((c, i) => ({ c, want: want[i], got: [normalizePing(c), normalizeTerminal(c), normalizeTcpdump(c)] }))
      .filter((x) => JSON.stringify(x.want) !== JSON.stringify(x.got));
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
