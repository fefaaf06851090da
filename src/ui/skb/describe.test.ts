// The describer on the skbs of real runs: every packet of the seed's ping is
// named by what it is, at every step it is drawn.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/run/run.ts';
import { viewAt } from '../../engine/run/view.ts';
import { SEED_SCENARIO } from '../../scenarios/seed.ts';
import { describeSkb } from './describe.ts';

/** skb id -> the set of descriptions it had while it lived (without its end). */
function lifeDescriptions(text: string, every = 1): Map<number, Set<string>> {
  const run = runScenario(text);
  const seen = new Map<number, Set<string>>();
  for (let s = 1; s <= run.rec.count; s += every) {
    for (const v of viewAt(run, s).skbViews) {
      const d = describeSkb(v);
      if (!seen.has(v.id)) seen.set(v.id, new Set());
      seen.get(v.id)!.add(`${d.cls}: ${d.what}`);
    }
  }
  return seen;
}

// Whole runs replayed step by step: slow on a loaded machine.
describe('describeSkb', { timeout: 120_000 }, () => {
  it('names every packet of the seed ping: ARP request and reply, echo requests and replies', () => {
    const all = [...lifeDescriptions(SEED_SCENARIO).values()].flatMap((s) => [...s]);
    expect(all).toContain('arp: ARP request who-has 192.168.1.2 tell 192.168.1.1');
    expect(all.some((d) => /^arp: ARP reply 192\.168\.1\.2 is-at ([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(d))).toBe(true);
    expect(all).toContain('icmp: ICMP echo request seq 1 192.168.1.1 → 192.168.1.2');
    expect(all).toContain('icmp: ICMP echo request seq 2 192.168.1.1 → 192.168.1.2');
    expect(all).toContain('icmp: ICMP echo reply seq 1 192.168.1.2 → 192.168.1.1');
    expect(all).toContain('icmp: ICMP echo reply seq 2 192.168.1.2 → 192.168.1.1');
    // The reply a raw (ping) socket gets is a clone of the one that arrived.
    expect(all.some((d) => /^icmp: ICMP echo reply seq 1 .*, clone of #\d+$/.test(d))).toBe(true);
  });

  it('says how an skb ended: a drop with its reason, a consume', () => {
    const run = runScenario(SEED_SCENARIO);
    const arp = viewAt(run, run.rec.count >> 2)
      .skbViews.concat(viewAt(run, 60).skbViews)
      .find((v) => v.protocol.includes('0806'));
    expect(arp).toBeDefined();
    const dropped = describeSkb({ ...arp!, state: 'dropped', dropReason: 'NEIGH_FAILED' });
    expect(dropped.what).toMatch(/^ARP (request|reply) .*, dropped \(NEIGH_FAILED\)$/);
    expect(describeSkb({ ...arp!, state: 'consumed' }).what).toMatch(/, freed \(consumed\)$/);
  });

  it('writes a one-line summary with the id, the length and the device', () => {
    const run = runScenario(SEED_SCENARIO);
    let summary = '';
    for (let s = 1; s <= run.rec.count && !summary; s++) {
      const v = viewAt(run, s);
      if (v.stack.at(-1)?.fn === 'enqueue_to_backlog' && v.skb) summary = describeSkb(v.skb).summary;
    }
    expect(summary).toMatch(/^skb #\d+: ARP request who-has 192\.168\.1\.2 tell 192\.168\.1\.1 · \d+ bytes on veth1$/);
    expect(summary).not.toContain('\n');
  });
});
