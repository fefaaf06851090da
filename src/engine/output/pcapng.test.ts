import { describe, expect, it } from 'vitest';
import { readPcapng, writePcapng } from './pcapng.ts';
import { readPcap, writePcap } from './pcap.ts';
import { CAPTURE_BASE_EPOCH } from './clock.ts';
import { runScenario } from '../run/run.ts';
import { tshark, tsharkProblems, TOOL_TEST_TIMEOUT, withTempFile } from '../../../test/tools.ts';
import { recordScript } from '../../../test/records.ts';

// A bridge with two captures (br0 and a port) and a router with three: several interfaces, interleaved packets.
const BRIDGE = runScenario(recordScript('bridge-two-ns'));
const ROUTER = runScenario(recordScript('router-forward'));

describe('writePcapng', () => {
  it('holds one interface per capture and every packet of each, in the order they were seen', () => {
    for (const run of [BRIDGE, ROUTER]) {
      const caps = run.out.captures;
      expect(caps.length).toBeGreaterThan(1);
      const file = readPcapng(writePcapng(caps));
      expect(file.interfaces.map((i) => [i.name, i.description, i.linktype, i.unitsPerSecond])).toEqual(
        caps.map((c) => [
          c.devName,
          `tcpdump -i ${c.devName}${c.netName ? ` in netns ${c.netName}` : ''} (capture ${c.index})`,
          1,
          1_000_000_000n,
        ]),
      );
      caps.forEach((c, i) => {
        const mine = file.packets.filter((p) => p.iface === i);
        expect(mine.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(
          c.packets.map((p) => Buffer.from(p.bytes).toString('hex')),
        );
        // The same instant as in the capture's pcap, which has microseconds.
        const pcap = readPcap(writePcap(c));
        expect(mine.map((p) => p.timestamp / 1000n)).toEqual(
          pcap.packets.map((p) => BigInt(p.sec) * 1_000_000n + BigInt(p.frac)),
        );
      });
      const times = file.packets.map((p) => p.timestamp);
      expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(times[0] / 1_000_000_000n).toBeGreaterThanOrEqual(BigInt(CAPTURE_BASE_EPOCH));
    }
  });

  it('writes an empty but valid file for a run without captures', () => {
    const file = readPcapng(writePcapng([]));
    expect(file).toEqual({ interfaces: [], packets: [] });
  });

  it('refuses a damaged file with the reason', () => {
    const good = writePcapng(BRIDGE.out.captures);
    expect(() => readPcapng(good.subarray(0, good.length - 2))).toThrow(/cut short|bad length/);
    const bad = good.slice();
    bad[8] ^= 0xff;
    expect(() => readPcapng(bad)).toThrow(/byte-order magic/);
  });
});

describe('tshark reads the pcapng', () => {
  it(
    'with no warning, every packet on its interface',
    async () => {
      for (const run of [BRIDGE, ROUTER]) {
        const caps = run.out.captures;
        const total = caps.reduce((n, c) => n + c.packets.length, 0);
        await withTempFile('all.pcapng', writePcapng(caps), async (path) => {
          expect(await tsharkProblems(path, total)).toEqual([]);
          const fields = await tshark([
            '-r',
            path,
            '-T',
            'fields',
            '-e',
            'frame.interface_name',
            '-e',
            'frame.interface_description',
          ]);
          expect(fields.stderr).toBe('');
          const perInterface = new Map<string, number>();
          for (const line of fields.stdout.split('\n').filter(Boolean)) perInterface.set(line, (perInterface.get(line) ?? 0) + 1);
          const expected = new Map<string, number>();
          for (const c of caps) {
            const key = `${c.devName}\ttcpdump -i ${c.devName}${c.netName ? ` in netns ${c.netName}` : ''} (capture ${c.index})`;
            if (c.packets.length) expected.set(key, c.packets.length);
          }
          expect(perInterface).toEqual(expected);
        });
      }
    },
    TOOL_TEST_TIMEOUT,
  );
});
