import { describe, expect, it } from 'vitest';
import { shareEqual } from './shareEqual.ts';

/** A deep copy, as postMessage's structured clone makes one. */
const clone = <T>(x: T): T => structuredClone(x);

describe('shareEqual', () => {
  const prev = {
    step: 4,
    stack: [
      { fn: 'ip_finish_output2', skb: 1 },
      { fn: 'neigh_resolve_output', skb: 1 },
    ],
    namespaces: [
      {
        uid: 1,
        name: '',
        devices: [
          { uid: 10, name: 'lo', rx: 0 },
          { uid: 11, name: 'veth0', rx: 2 },
        ],
      },
      { uid: 2, name: 'ns1', devices: [{ uid: 12, name: 'veth1', rx: 0 }] },
    ],
    skbViews: [
      { id: 1, bytes: 'ffff', state: 'live' },
      { id: 2, bytes: '0800', state: 'live' },
    ],
    focus: null,
  };

  it('returns the previous object itself when the next is deep-equal to it', () => {
    expect(shareEqual(prev, clone(prev))).toBe(prev);
  });

  it('keeps the unchanged parts of a changed view, and is deep-equal to the next view', () => {
    const next = clone(prev);
    next.step = 5;
    next.namespaces[0].devices[1].rx = 3;
    next.stack.push({ fn: 'arp_solicit', skb: 2 });
    const got = shareEqual(prev, next);
    expect(got).toEqual(next);
    expect(got).not.toBe(prev);
    // Changed: new objects along the path to the change.
    expect(got.namespaces).not.toBe(prev.namespaces);
    expect(got.namespaces[0]).not.toBe(prev.namespaces[0]);
    expect(got.namespaces[0].devices[1]).not.toBe(prev.namespaces[0].devices[1]);
    // Unchanged: the previous view's own objects.
    expect(got.namespaces[0].devices[0]).toBe(prev.namespaces[0].devices[0]);
    expect(got.namespaces[1]).toBe(prev.namespaces[1]);
    expect(got.stack[0]).toBe(prev.stack[0]);
    expect(got.stack[1]).toBe(prev.stack[1]);
    expect(got.skbViews).toBe(prev.skbViews);
  });

  it('matches array items by their id when they moved', () => {
    const next = clone(prev);
    next.skbViews.unshift({ id: 3, bytes: '86dd', state: 'live' });
    const got = shareEqual(prev, next);
    expect(got.skbViews.map((s) => s.id)).toEqual([3, 1, 2]);
    expect(got.skbViews[1]).toBe(prev.skbViews[0]);
    expect(got.skbViews[2]).toBe(prev.skbViews[1]);
    expect(got.skbViews).not.toBe(prev.skbViews);
  });

  it('tells a removed item, an added key and null from undefined', () => {
    const next = clone(prev);
    next.skbViews.pop();
    expect(shareEqual(prev, next).skbViews).toEqual([prev.skbViews[0]]);
    const withKey = { ...clone(prev), extra: undefined };
    expect(shareEqual(prev, withKey)).not.toBe(prev);
    expect('extra' in shareEqual(prev, withKey)).toBe(true);
    const focus = { ...clone(prev), focus: undefined };
    expect(shareEqual(prev, focus).focus).toBeUndefined();
  });

  it('leaves both arguments as they were', () => {
    const before = clone(prev);
    const next = clone(prev);
    next.namespaces[1].devices[0].rx = 9;
    const nextBefore = clone(next);
    shareEqual(prev, next);
    expect(prev).toEqual(before);
    expect(next).toEqual(nextBefore);
  });

  it('takes the next value where the types differ', () => {
    expect(shareEqual({ a: [1] }, { a: { 0: 1 } })).toEqual({ a: { 0: 1 } });
    expect(shareEqual(null, { a: 1 })).toEqual({ a: 1 });
    expect(shareEqual({ a: NaN }, { a: NaN }).a).toBeNaN();
  });
});
