// Huge topologies and long runs end with a clear message, not a hang.
import { describe, expect, it } from 'vitest';
import { runScenario } from './run.ts';

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
    const text =
      'ip netns add ns1\nip link add v0 type veth peer name v1 netns ns1\nip addr add 10.0.0.1/24 dev v0\nip link set v0 up\n' +
      'ip -n ns1 addr add 10.0.0.2/24 dev v1\nip -n ns1 link set v1 up\nping -c 50 -i 0.2 10.0.0.2\n';
    const run = runScenario(text, { limits: { maxSteps: 500 } });
    expect(run.rec.calls).toBe(500);
    expect(run.rec.count).toBeGreaterThanOrEqual(500);
    expect(run.stoppedBy).toBe('skbwalk: the scenario reached the limit of 500 kernel calls; stopped there');
    expect(run.out.terminal.at(-1)!.text).toBe(run.stoppedBy);
  });
});
