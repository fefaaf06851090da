// The script waits a second after every tcpdump line, as the kernel-trace
// recorder's wrapper does, whether or not tcpdump could start: the wrapper
// sleeps without looking at tcpdump's exit status.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../run/run.ts';

function echoTimes(script: string): { terminal: string[]; times: number[] } {
  const run = runScenario(script, { outputsOnly: true });
  return {
    terminal: run.out.terminal.map((l) => l.text),
    times: run.out.captures[0].packets.map((p) => p.time),
  };
}

describe('tcpdump -i', () => {
  it('says the device is missing, and the script still waits its second', () => {
    const base = echoTimes('tcpdump -i lo\nping -c 1 -q 127.0.0.1\n');
    const late = echoTimes('tcpdump -i nosuch\ntcpdump -i lo\nping -c 1 -q 127.0.0.1\n');
    expect(late.terminal).toEqual(['tcpdump: nosuch: No such device exists', '(No such device exists)', ...base.terminal]);
    expect(base.times).toHaveLength(2);
    expect(late.times).toEqual(base.times.map((t) => t + 1e9));
  });
});
