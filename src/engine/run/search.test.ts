// Searches over a run, checked against the Events the same run lists.
import { describe, expect, it } from 'vitest';
import { linesOf } from '../worker/lines.ts';
import { EngineSession } from '../session.ts';
import { STEP_KIND_ENTRY, isReturnStep, stepFunction } from '../worker/protocol.ts';
import { recordScript } from '../../../test/records.ts';

describe('step searches', () => {
  const s = new EngineSession(recordScript('link-down-peer'));
  const sum = s.summary();
  const stepsOf = (pred: (text: string, i: number) => boolean) =>
    linesOf(sum.events).flatMap((e, i) => (pred(e.text, i) ? [e.step] : []));

  it('"next drop" visits every kfree_skb step in turn, forwards and backwards', () => {
    const drops = stepsOf((t) => t.includes(' kfree_skb '));
    expect(drops.length).toBe(4);
    const seen: number[] = [];
    for (let at = s.findQuery(0, 1, { event: 'kfree_skb' }); at !== null; at = s.findQuery(at, 1, { event: 'kfree_skb' }))
      seen.push(at);
    expect(seen).toEqual(drops);
    const back: number[] = [];
    for (
      let at = s.findQuery(sum.total, -1, { event: 'kfree_skb' });
      at !== null;
      at = s.findQuery(at, -1, { event: 'kfree_skb' })
    )
      back.push(at);
    expect(back).toEqual([...drops].reverse());
  });

  it('breaks on a drop reason', () => {
    const failed = stepsOf((t) => t.includes('reason=NEIGH_FAILED'));
    expect(s.findQuery(0, 1, { reason: 'NEIGH_FAILED' })).toBe(failed[0]);
    expect(s.findQuery(failed[0], 1, { reason: 'NEIGH_FAILED' })).toBeNull();
    expect(s.findQuery(0, 1, { reason: 'OTHERHOST' })).toBeNull();
  });

  it('finds the next packet on a device, by namespace', () => {
    const onVeth0 = stepsOf(
      (t, i) => /(net_dev_queue|netif_receive_skb) .*dev=veth0 /.test(t) && sum.namespaceNames[sum.eventNetns[i]] === '',
    );
    expect(onVeth0.length).toBeGreaterThan(2);
    expect(s.findQuery(onVeth0[0], 1, { event: 'packet', dev: 'veth0', netns: '' })).toBe(onVeth0[1]);
    expect(s.findQuery(0, 1, { event: 'packet', dev: 'veth0', netns: 'ns1' })).toBeNull();
    expect(sum.packetDevices).toContainEqual({ netns: '', dev: 'veth0' });
    expect(sum.dropReasons).toEqual(['QDISC_DROP', 'NEIGH_FAILED']);
  });

  it('breaks on a function, optionally for one skb', () => {
    const entries = [...sum.stepFn.keys()].filter((i) => sum.stepKind[i] === STEP_KIND_ENTRY).map((i) => i + 1);
    const first = entries.find((step) => stepFunction(sum, step) === 'neigh_invalidate');
    expect(first).toBeDefined();
    expect(s.findQuery(0, 1, { fn: 'neigh_invalidate' })).toBe(first);
    // Its return step is not a call of it: the next match is a later entry, or none.
    const next = s.findQuery(first!, 1, { fn: 'neigh_invalidate' });
    if (next !== null) expect(isReturnStep(sum, next)).toBe(false);
    expect(s.resolve([{ fn: 'neigh_invalidate' }])).toEqual([first]);
    expect(() => s.findQuery(0, 1, { fn: 'no_such_function' })).toThrow(
      'no_such_function is not a kernel function skbwalk models',
    );
    expect(() => s.findQuery(0, 1, { event: 'no_such_event' })).toThrow('"no_such_event" is not a tracepoint');
  });

  it('resolves anchors by counting matches from the start', () => {
    const drops = stepsOf((t) => t.includes('reason=QDISC_DROP'));
    expect(s.resolve([{ reason: 'QDISC_DROP' }, { reason: 'QDISC_DROP', nth: 3 }, { reason: 'QDISC_DROP', nth: 4 }])).toEqual([
      drops[0],
      drops[2],
      null,
    ]);
    expect(() => s.resolve([{ reason: 'QDISC_DROP', nth: 0 }])).toThrow('nth');
  });

  it('event columns line up with the events', () => {
    expect(sum.eventNetns.length).toBe(sum.events.count);
    expect(sum.eventSkb.length).toBe(sum.events.count);
    linesOf(sum.events).forEach((e, i) => {
      const m = / skb=(\d+) /.exec(e.text);
      expect(sum.eventSkb[i]).toBe(m ? Number(m[1]) : 0);
    });
  });
});
