import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHashWriter, type HashWindow } from './hashSync.ts';
import { decodeState, type ShareState } from './urlState.ts';

function fakeWindow(hash = '') {
  const calls: string[] = [];
  const win: HashWindow = {
    location: { hash, pathname: '/skbwalk/', search: '?embed=1' },
    history: {
      state: { app: 1 },
      replaceState(_d, _u, url) {
        calls.push(String(url));
        const s = String(url);
        win.location.hash = s.includes('#') ? s.slice(s.indexOf('#')) : '';
      },
    },
  };
  return { win, calls };
}

const at = (step: number): ShareState => ({ v: 1, scenario: 'ping -c 1 127.0.0.1\n', step });

describe('createHashWriter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the last state once changes pause', async () => {
    const { win, calls } = fakeWindow();
    const w = createHashWriter(win, { delayMs: 100 });
    for (let s = 0; s < 50; s++) w.write(at(s));
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await w.flush();
    expect(calls).toHaveLength(1);
    const r = await decodeState(win.location.hash);
    expect(r.ok && r.state.step).toBe(49);
    expect(w.isOwnHash(win.location.hash)).toBe(true);
    expect(w.isOwnHash('#s=1.other')).toBe(false);
  });

  it('flush writes at once; an unchanged state is not rewritten', async () => {
    const { win, calls } = fakeWindow();
    const w = createHashWriter(win);
    w.write(at(3));
    await w.flush();
    w.write(at(3));
    await w.flush();
    expect(calls).toHaveLength(1);
  });

  it('an older encode finishing late never overwrites a newer one', async () => {
    const { win } = fakeWindow();
    const w = createHashWriter(win, { delayMs: 0 });
    w.write({ ...at(1), scenario: 'x'.repeat(100_000) }); // slower to encode
    const first = w.flush();
    w.write(at(2));
    await w.flush();
    await first;
    const r = await decodeState(win.location.hash);
    expect(r.ok && r.state.step).toBe(2);
  });

  it('removes the fragment and reports once when the state cannot be shared', async () => {
    const { win, calls } = fakeWindow('#s=1.stale');
    const onError = vi.fn();
    const w = createHashWriter(win, { onError });
    w.write({ ...at(0), step: -1 });
    await w.flush();
    w.write({ ...at(0), step: -2 });
    await w.flush();
    expect(calls).toEqual(['/skbwalk/?embed=1']);
    expect(onError).toHaveBeenCalledTimes(2); // two distinct messages (…is -1), (…is -2)
    w.write({ ...at(0), step: -2 });
    await w.flush();
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('dispose cancels a scheduled write', async () => {
    const { win, calls } = fakeWindow();
    const w = createHashWriter(win, { delayMs: 50 });
    w.write(at(1));
    w.dispose();
    await vi.advanceTimersByTimeAsync(100);
    w.write(at(2));
    await w.flush();
    expect(calls).toEqual([]);
  });
});
