import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../engine/session.ts';
import { linesOf } from '../../engine/worker/lines.ts';
import {
  NO_FILTER,
  eventDevice,
  eventKind,
  eventsUpTo,
  filterChoices,
  filterEvents,
  filtering,
  matchingEventStep,
  type EventFilter,
} from './eventFilter.ts';
import { recordScript } from '../../../test/records.ts';

const script = recordScript('docker-bridge');
const sum = new EngineSession(script).summary();
const events = linesOf(sum.events);
/** Indices of every event up to `step` that passes `f`. */
const matching = (step: number, f: EventFilter) => filterEvents(sum, step, f).shown;

describe('event filters', () => {
  it('reads kind and device (with its namespace) from an event', () => {
    const i = events.findIndex((e) => e.text.includes('netif_rx') && e.text.includes('dev=eth0'));
    expect(eventKind(sum, i)).toBe('netif_rx');
    expect(eventDevice(sum, i)).toBe('c2/eth0');
    const poll = events.findIndex((e) => e.text.includes('napi_poll'));
    expect(eventDevice(sum, poll)).toBe('');
  });

  it('keeps only the events up to the step', () => {
    const step = events[10].step;
    const n = eventsUpTo(sum.events, step);
    expect(events.slice(0, n).every((e) => e.step <= step)).toBe(true);
    expect(events[n]?.step ?? Infinity).toBeGreaterThan(step);
    expect(filterEvents(sum, step, NO_FILTER)).toEqual({ count: n, shown: [...Array(n).keys()] });
  });

  it('counts every match and lists the last ones', () => {
    const all = matching(sum.total, { ...NO_FILTER, text: 'DEV=DOCKER0' });
    expect(all.map((i) => events[i].text)).toEqual(events.map((e) => e.text).filter((t) => t.includes('dev=docker0')));
    expect(filterEvents(sum, sum.total, { ...NO_FILTER, text: 'dev=docker0' }, 3)).toEqual({
      count: all.length,
      shown: all.slice(-3),
    });
    expect(filterEvents(sum, sum.total, NO_FILTER, 2)).toEqual({
      count: events.length,
      shown: [events.length - 2, events.length - 1],
    });
  });

  it('filters by kind, device and skb together', () => {
    const end = sum.total;
    const drops = matching(end, { ...NO_FILTER, kind: 'kfree_skb' });
    expect(drops.map((i) => events[i].text)).toEqual(events.map((e) => e.text).filter((t) => / kfree_skb /.test(t)));
    const c1 = matching(end, { ...NO_FILTER, device: 'c1/eth0' });
    const c2 = matching(end, { ...NO_FILTER, device: 'c2/eth0' });
    expect(c1.length).toBeGreaterThan(0);
    expect(c2.length).toBeGreaterThan(0);
    expect(c1.filter((i) => c2.includes(i))).toEqual([]);
    const skb = sum.eventSkb[c1.find((i) => sum.eventSkb[i] !== 0)!];
    expect(skb).toBeGreaterThan(0);
    const both = matching(end, { kind: 'netif_receive_skb', device: 'docker0', skb: 0, text: '' });
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((i) => events[i].text.includes('netif_receive_skb') && events[i].text.includes('dev=docker0'))).toBe(true);
    expect(matching(end, { ...NO_FILTER, skb }).every((i) => events[i].text.includes(`skb=${skb} `))).toBe(true);
  });

  it('offers the kinds, devices and skbs of the run', () => {
    const c = filterChoices(sum);
    expect(c.kinds).toContain('kfree_skb');
    expect(c.devices).toEqual(expect.arrayContaining(['c1/eth0', 'c2/eth0', 'vethc1', 'vethc2', 'docker0']));
    expect(c.skbs[0]).toBe(1);
  });

  it('finds the step of the next and of the previous matching event, both ways from any step', () => {
    const drops = { ...NO_FILTER, kind: 'kfree_skb' };
    const steps = [...new Set(matching(sum.total, drops).map((i) => events[i].step))];
    expect(steps.length).toBeGreaterThan(1);
    expect(matchingEventStep(sum, 0, drops, 1)).toBe(steps[0]);
    expect(matchingEventStep(sum, 0, drops, -1)).toBeNull();
    // From a matching step: the next is the one after, the previous the one before.
    expect(matchingEventStep(sum, steps[0], drops, 1)).toBe(steps[1]);
    expect(matchingEventStep(sum, steps[1], drops, -1)).toBe(steps[0]);
    // From between them, each way; from the end, only back.
    expect(matchingEventStep(sum, steps[0] + 1, drops, -1)).toBe(steps[0]);
    expect(matchingEventStep(sum, steps[1] - 1, drops, 1)).toBe(steps[1]);
    expect(matchingEventStep(sum, sum.total, drops, 1)).toBeNull();
    expect(matchingEventStep(sum, sum.total + 1, drops, -1)).toBe(steps.at(-1));
    expect(filtering(drops)).toBe(true);
    expect(filtering({ ...NO_FILTER, text: '  ' })).toBe(false);
  });
});
