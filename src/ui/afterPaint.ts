// Work the reader need not wait for (rewriting the address bar, the tab's
// title, fetching code for later) runs once the frame showing the step has
// been painted, not between the click and the picture.

/**
 * A hidden tab paints no frames: the work then runs after this long anyway.
 * Only a hidden tab waits on it: on a busy machine a visible tab's first frame
 * can take longer, and the work must still come after it.
 */
const NO_FRAME_MS = 100;

interface Waiting {
  run(): void;
  timers: ReturnType<typeof setTimeout>[];
}

// Everything waiting for the next frame shares one animation-frame callback and
// one visibility listener: a step schedules several such tasks, and adding and
// removing a listener (or a frame callback) for each costs the step time.
const waiting = new Set<Waiting>();
let frameRequested = false;
let listening = false;

const hidden = () => typeof document !== 'undefined' && document.hidden;

function onFrame(): void {
  frameRequested = false;
  // Each in a task of its own after the frame, so input can be handled between them.
  for (const w of waiting) w.timers.push(setTimeout(w.run, 0));
}

function onVisibility(): void {
  if (!hidden()) return;
  for (const w of waiting) w.timers.push(setTimeout(w.run, NO_FRAME_MS));
}

/** Runs `f` (once) in a task after the next frame is painted; returns a function that cancels it. */
export function afterNextPaint(f: () => void): () => void {
  let done = false;
  const w: Waiting = {
    run() {
      if (done) return;
      cancel();
      f();
    },
    timers: [],
  };
  const cancel = () => {
    done = true;
    waiting.delete(w);
    for (const t of w.timers.splice(0)) clearTimeout(t);
  };
  if (typeof requestAnimationFrame !== 'function') {
    w.timers.push(setTimeout(w.run, 0));
    return cancel;
  }
  waiting.add(w);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(onFrame);
  }
  // A tab hidden now, or before its next frame, paints none.
  if (hidden()) w.timers.push(setTimeout(w.run, NO_FRAME_MS));
  else if (!listening && typeof document !== 'undefined') {
    listening = true;
    document.addEventListener('visibilitychange', onVisibility);
  }
  return cancel;
}

/**
 * Keeps something that follows the display (the address bar, the tab's title)
 * in step with it without costing each step: `schedule(f)` runs f once the
 * frame is painted when the reader does one thing; while changes follow each
 * other within `quietMs` (a held key, repeated clicks), only the latest is
 * applied, once they pause, and at least every `maxWaitMs`.
 */
export function settledWriter(quietMs: number, maxWaitMs: number): { schedule(f: () => void): void; flush(): void } {
  let latest: (() => void) | null = null;
  let lastRunAt = -Infinity;
  let cancelPainted: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    cancelPainted?.();
    cancelPainted = null;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastRunAt = performance.now();
    const f = latest;
    latest = null;
    f?.();
  };
  return {
    schedule(f) {
      latest = f;
      if (cancelPainted) return; // the run on its way applies the latest
      const since = performance.now() - lastRunAt;
      if ((timer === null && since >= quietMs) || since >= maxWaitMs) {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        cancelPainted = afterNextPaint(flush);
        return;
      }
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, quietMs);
    },
    flush,
  };
}
