// Huge topologies, long runs and big captures end with a clear message, not
// a hang or an out-of-memory tab; what was kept stays a valid run.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RunBuilder, runScenario } from './run.ts';
import { EVENT_BYTES } from '../trace/eventlog.ts';
import { viewAt } from './view.ts';
import { writeRunFiles } from './files.ts';
import { traceLines } from './trace_txt.ts';
import { readPcap } from '../output/pcap.ts';
import { createOutput, type OutputLine } from './output.ts';
import { terminalText, writeOut } from './terminal.ts';
import type { World } from '../kernel/world.ts';

const PAIR =
  'ip netns add ns1\nip link add veth0 type veth peer name veth1\nip link set veth1 netns ns1\n' +
  'ip addr add 10.0.0.1/24 dev veth0\nip link set veth0 up\n' +
  'ip -n ns1 addr add 10.0.0.2/24 dev veth1\nip -n ns1 link set veth1 up\n';

describe('limits', () => {
  it("refuses devices past the limit with skbwalk's own message, and goes on", () => {
    const text =
      Array.from({ length: 6 }, (_, i) => `ip link add a${i} type veth peer name b${i}`).join('\n') + '\nip -br link\n';
    const run = runScenario(text, { limits: { maxDevices: 7 } });
    const out = run.out.terminal.map((l) => l.text);
    expect(out.filter((l) => l === 'skbwalk: too many network devices (the limit is 7)')).toHaveLength(3);
    expect(out.filter((l) => /^[ab]\d/.test(l))).toHaveLength(6);
  });

  it('stops a run at the step limit and says so', () => {
    const run = runScenario(PAIR + 'ping -c 50 -i 0.2 10.0.0.2\n', { limits: { maxSteps: 500 } });
    expect(run.rec.calls).toBe(500);
    expect(run.rec.count).toBeGreaterThanOrEqual(500);
    expect(run.stoppedBy).toBe('skbwalk: the scenario reached the limit of 500 kernel calls; stopped there');
    expect(run.out.terminal.at(-1)!.text).toBe(run.stoppedBy);
    expect(run.out.terminal.filter((l) => l.text === run.stoppedBy)).toHaveLength(1);
  });

  it("puts the step-limit message on a line of its own after ping -f's dots", () => {
    const run = runScenario(PAIR + 'ping -f -c 1000 10.0.0.2\n', { limits: { maxSteps: 3000 } });
    const lines = run.out.terminal.map((l) => l.text);
    expect(lines.at(-1)).toBe('skbwalk: the scenario reached the limit of 3000 kernel calls; stopped there');
    expect(lines.at(-2)).toMatch(/^PING 10\.0\.0\.2 .*\n?|^[.\b ]+$/);
    expect(lines.at(-2)).toContain('.');
    expect(run.out.termPartial.text).toBe('');
  });

  it('stops each capture cleanly when the capture budget is full; the pcap stays valid', () => {
    const text = PAIR + 'tcpdump -i veth0\nip netns exec ns1 tcpdump -i veth1\nping -c 40 -i 0.2 -s 4000 10.0.0.2\n';
    const budget = 100_000;
    const run = runScenario(text, { limits: { maxCaptureBytes: budget } });
    const [a, b] = run.out.captures;
    expect(a.full && b.full).toBe(true);
    const notices = run.out.terminal.map((l) => l.text).filter((l) => l.includes('capture budget'));
    // Frames are kept alternately on each end, so the two stop one packet apart.
    expect(notices).toEqual([
      `skbwalk: capture on veth0 stopped at ${a.packets.length} packets: the 0.1 MiB capture budget is full`,
      `skbwalk: capture on veth1 stopped at ${b.packets.length} packets: the 0.1 MiB capture budget is full`,
    ]);
    // The same messages, once each, for the app's alert and the CLI's standard error.
    expect(run.out.notices).toEqual(notices);
    expect(run.stoppedBy).toBeNull();
    expect(run.out.captureBytes).toBeLessThanOrEqual(budget);
    expect(a.packets.length).toBeGreaterThan(10);
    // The ping went on: every echo got its reply, the captures just stopped keeping them.
    expect(run.out.ping.map((l) => l.text)).toContain('40 packets transmitted, 40 received, 0% packet loss, time 7800ms');
    const files = writeRunFiles(run);
    const pcap = readPcap(files.get('tcpdump-0-veth0.pcap') as Uint8Array);
    expect(pcap.packets).toHaveLength(a.packets.length);
    expect((files.get('tcpdump-0-veth0.txt') as string).split('\n').filter(Boolean)).toHaveLength(a.packets.length);
  });

  it('stops the run when the event log budget is full, with a whole trace', () => {
    const text = PAIR + 'ping -f -c 1000 -q 10.0.0.2\n';
    const run = runScenario(text, { limits: { maxEventLogBytes: 4096 * EVENT_BYTES * 2 } });
    expect(run.stoppedBy).toBe(
      'skbwalk: the event log stopped at 8192 events: the 0.4 MiB event log budget is full; the run stopped there',
    );
    expect(run.rec.events.length).toBe(8192);
    expect(run.rec.events.kind.length).toBe(8192);
    const trace = traceLines(run);
    expect(trace.length).toBeGreaterThan(7000);
    // The trace is the unlimited run's, cut where the budget was reached.
    expect(traceLines(runScenario(text)).slice(0, trace.length)).toEqual(trace);
    expect(run.out.terminal.at(-1)!.text).toBe(run.stoppedBy);
  });

  it('drops every other checkpoint past the checkpoint budget; views stay the same', () => {
    const text = PAIR + 'ping -f -c 300 -q 10.0.0.2\n';
    const full = runScenario(text, { checkpointEvery: 200 });
    const thin = runScenario(text, { checkpointEvery: 200, limits: { maxCheckpointBytes: 400_000 } });
    expect(thin.checkpoints.length).toBeLessThan(full.checkpoints.length);
    const bytes = thin.checkpoints.reduce((s, c) => s + c.bytes, 0);
    expect(bytes).toBeLessThanOrEqual(400_000);
    for (const step of [1, 777, 5000, thin.rec.count - 3, thin.rec.count]) {
      expect(JSON.stringify(viewAt(thin, step))).toBe(JSON.stringify(viewAt(full, step)));
    }
  });

  it('keeps no checkpoints but the boot state when views are not wanted (the CLI)', () => {
    const run = runScenario(PAIR + 'ping -f -c 100 -q 10.0.0.2\n', { checkpointEvery: 50, outputsOnly: true });
    expect(run.checkpoints).toHaveLength(1);
  });
});

describe('RunBuilder', () => {
  it('gives the same run in slices as in one go', () => {
    const text = PAIR + 'tcpdump -i veth0\nping -c 10 -i 0.2 10.0.0.2\n';
    const whole = runScenario(text, { checkpointEvery: 100 });
    const b = new RunBuilder(text, { checkpointEvery: 100 });
    let slices = 0;
    while (!b.advance(5)) slices++;
    expect(slices).toBeGreaterThan(3);
    const sliced = b.result();
    expect(traceLines(sliced)).toEqual(traceLines(whole));
    expect(writeRunFiles(sliced)).toEqual(writeRunFiles(whole));
    expect(sliced.checkpoints.map((c) => c.step)).toEqual(whole.checkpoints.map((c) => c.step));
  });

  it('stops between slices with a message, leaving a whole run', () => {
    const b = new RunBuilder(PAIR + 'tcpdump -i veth0\nping -f -c 100000 10.0.0.2\n');
    b.advance(5000);
    b.stop('skbwalk: stopped (Ctrl+C)');
    expect(b.done).toBe(true);
    const run = b.result();
    expect(run.stoppedBy).toBe('skbwalk: stopped (Ctrl+C)');
    expect(run.out.terminal.at(-1)!.text).toBe('skbwalk: stopped (Ctrl+C)');
    expect(run.rec.depth_).toBe(0);
    const files = writeRunFiles(run);
    expect(readPcap(files.get('tcpdump-0-veth0.pcap') as Uint8Array).packets.length).toBe(run.out.captures[0].packets.length);
    expect(viewAt(run, run.rec.count).step).toBe(run.rec.count);
  });
});

describe('terminal appends', () => {
  /** The terminal as one text, split once: what any order of appends must give. */
  function naive(chunks: string[]): { lines: string[]; partial: string } {
    const parts = chunks.join('').split('\n');
    return { partial: parts.pop()!, lines: parts };
  }

  it('split lines exactly as one split of the whole text would, however the text comes in', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.constantFrom('a', '.', '\b', ' ', '\n'), { maxLength: 12 }).map((c) => c.join('')),
          { maxLength: 40 },
        ),
        (chunks) => {
          const out = createOutput();
          const w = { out, rec: { count: 0 }, shell: { line: 1 } } as unknown as World;
          for (const c of chunks) writeOut(w, c, true);
          const want = naive(chunks);
          const texts = (lines: OutputLine[]) => lines.map((l) => l.text);
          expect(texts(out.terminal)).toEqual(want.lines);
          expect(out.termPartial.text).toBe(want.partial);
          expect(texts(out.ping)).toEqual(want.lines);
          expect(out.terminalLines).toHaveLength(want.lines.length);
          expect(terminalText(out.terminal, out.termPartial.text)).toBe(chunks.join(''));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
