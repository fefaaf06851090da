// Keeps the address bar's fragment in step with the app: call write() on every
// change of the shared state; the fragment is rewritten (history.replaceState:
// no reload, no history entry, query string kept) once changes pause for
// `delayMs`, so playing at full speed does not encode on every step. Encodes
// that finish out of order never overwrite a newer state. The encoder
// (urlState.ts) is fetched on the first write, which the app makes once the
// first view is painted.

import type { ShareState } from './urlState.ts';

export interface HashWindow {
  location: { hash: string; pathname: string; search: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
}

export interface HashWriter {
  /** Schedules the fragment to show `state`. */
  write(state: ShareState): void;
  /** Writes any scheduled state now; resolves once the fragment is up to date. */
  flush(): Promise<void>;
  /** True if `hash` is the fragment this writer last wrote (a `hashchange` to it is not a new link). */
  isOwnHash(hash: string): boolean;
  /** Cancels any scheduled write. */
  dispose(): void;
}

export interface HashWriterOptions {
  /** Quiet time before writing (default 250 ms). */
  delayMs?: number;
  /**
   * Called when the state cannot be put in a link (too large, invalid): the
   * fragment is then removed, so the address bar never shows a stale state.
   * Called once per distinct message.
   */
  onError?: (message: string) => void;
}

export function createHashWriter(win: HashWindow, opts: HashWriterOptions = {}): HashWriter {
  const delay = opts.delayMs ?? 250;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: ShareState | null = null;
  let seq = 0;
  let lastWritten: string | null = null;
  let lastError: string | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let disposed = false;

  const replace = (url: string) => {
    try {
      win.history.replaceState(win.history.state, '', url);
    } catch {
      /* e.g. too many calls in a short time (browsers rate-limit replaceState) */
    }
  };

  const run = (): Promise<void> => {
    timer = null;
    const state = pending;
    pending = null;
    if (!state || disposed) return inFlight;
    const mine = ++seq;
    const written = (fragment: string) => {
      if (mine !== seq || disposed) return;
      lastError = null;
      lastWritten = fragment;
      if (win.location.hash !== fragment) replace(fragment);
    };
    const failed = (message: string) => {
      if (mine !== seq || disposed) return;
      lastWritten = '';
      if (win.location.hash) replace(win.location.pathname + win.location.search);
      if (message !== lastError) {
        lastError = message;
        opts.onError?.(message);
      }
    };
    const cannot = (err: unknown) => `this state cannot be shared by link (${String(err)})`;
    inFlight = import('./urlState.ts').then(
      ({ encodeState, ShareError }) =>
        encodeState(state).then(written, (err: unknown) => failed(err instanceof ShareError ? err.message : cannot(err))),
      (err: unknown) => failed(cannot(err)),
    );
    return inFlight;
  };

  return {
    write(state) {
      if (disposed) return;
      pending = state;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => void run(), delay);
    },
    flush() {
      if (timer !== null) {
        clearTimeout(timer);
        return run();
      }
      return inFlight;
    },
    isOwnHash(hash) {
      return lastWritten !== null && (hash === lastWritten || (hash === '' && lastWritten === ''));
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
