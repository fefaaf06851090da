// The view cache: one request per step however often it is asked for, the
// oldest views dropped first, a failed request asked again.
import { describe, expect, it } from 'vitest';
import type { StepView } from '../engine/run/view.ts';
import { ViewCache } from './viewCache.ts';

const view = (step: number) => ({ step }) as StepView;

describe('ViewCache', () => {
  it('asks the engine once for a step asked for twice while its answer is on the way', async () => {
    const cache = new ViewCache(4);
    let asked = 0;
    const engine = () => {
      asked++;
      return Promise.resolve(view(3));
    };
    const [a, b] = await Promise.all([cache.fetch(3, undefined, engine), cache.fetch(3, undefined, engine)]);
    expect(asked).toBe(1);
    expect(a).toBe(b);
    expect(cache.get(3, undefined)).toBe(a);
    // Another picked skb is another view.
    expect(cache.get(3, 7)).toBeUndefined();
  });

  it('keeps the most recently used views', async () => {
    const cache = new ViewCache(2);
    for (const n of [1, 2]) await cache.fetch(n, undefined, () => Promise.resolve(view(n)));
    cache.get(1, undefined);
    await cache.fetch(3, undefined, () => Promise.resolve(view(3)));
    expect([1, 2, 3].map((n) => cache.get(n, undefined)?.step)).toEqual([1, undefined, 3]);
  });

  it('asks again after a failure', async () => {
    const cache = new ViewCache(2);
    await expect(cache.fetch(1, undefined, () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(cache.get(1, undefined)).toBeUndefined();
    expect((await cache.fetch(1, undefined, () => Promise.resolve(view(1)))).step).toBe(1);
  });
});
