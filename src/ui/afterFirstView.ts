// Code the first view does not need (the tokens' animation, pan and zoom, the
// code editor) is fetched once the first run's picture has been painted, so it
// neither delays that picture nor competes with it for the network and the
// CPU. A part the reader reaches for earlier (focusing the editor) is fetched
// at once. Until its code arrives, each part draws a plain stand-in. Other work
// the first picture need not wait for (starting the engine behind a run
// computed ahead, writing the address bar) waits for it the same way.
import { useSyncExternalStore } from 'react';
import { afterNextPaint } from './afterPaint.ts';

export interface Deferred<T> {
  /** The loaded module, or null until it has arrived. */
  get(): T | null;
  /** Fetches it now (once); resolves with it. */
  load(): Promise<T>;
  subscribe(onLoaded: () => void): () => void;
}

let started = false;
/** True once the first view has been painted and the waiting work let go. */
let flushed = false;
const waiting: (() => void)[] = [];

/** A module fetched after the first view (or earlier, on `load()`). */
export function deferred<T>(loader: () => Promise<T>): Deferred<T> {
  let value: T | null = null;
  let promise: Promise<T> | null = null;
  const listeners = new Set<() => void>();
  const load = (): Promise<T> => {
    promise ??= loader().then(
      (v) => {
        value = v;
        for (const f of [...listeners]) f();
        return v;
      },
      (err: unknown) => {
        // The stand-in stays; a later load() tries again.
        promise = null;
        throw err;
      },
    );
    return promise;
  };
  const startLoad = () =>
    void load().catch((err: unknown) => console.warn(`skbwalk: could not load a part of the page: ${String(err)}`));
  if (started) startLoad();
  else waiting.push(startLoad);
  return {
    get: () => value,
    load,
    subscribe(onLoaded) {
      listeners.add(onLoaded);
      return () => listeners.delete(onLoaded);
    },
  };
}

/**
 * Runs `f` after the first run's picture has been painted (before the deferred
 * parts are fetched), or after the next paint once it has; returns a function
 * that cancels it.
 */
export function afterFirstView(f: () => void): () => void {
  if (flushed) return afterNextPaint(f);
  let cancelled = false;
  waiting.unshift(() => {
    if (!cancelled) f();
  });
  return () => {
    cancelled = true;
  };
}

/** The deferred module once loaded (re-renders when it arrives), else null. */
export function useDeferred<T>(d: Deferred<T>): T | null {
  return useSyncExternalStore(d.subscribe, d.get, d.get);
}

/** The first run is on screen (or has failed): fetch the deferred parts after this frame is painted. */
export function firstViewShown(): void {
  if (started) return;
  started = true;
  afterNextPaint(() => {
    flushed = true;
    for (const f of waiting.splice(0)) f();
  });
}
