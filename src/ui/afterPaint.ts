// Work the reader need not wait for (rewriting the address bar, the tab's
// title, fetching code for later) runs once the frame showing the step has
// been painted, not between the click and the picture.

/**
 * A hidden tab paints no frames: the work then runs after this long anyway.
 * Only a hidden tab waits on it: on a busy machine a visible tab's first frame
 * can take longer, and the work must still come after it.
 */
const NO_FRAME_MS = 100;

/** Runs `f` (once) in a task after the next frame is painted; returns a function that cancels it. */
export function afterNextPaint(f: () => void): () => void {
  let done = false;
  let frame: number | null = null;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const run = () => {
    if (done) return;
    cancel();
    done = true;
    f();
  };
  const hidden = () => typeof document !== 'undefined' && document.hidden;
  const onVisibility = () => {
    if (hidden()) timers.push(setTimeout(run, NO_FRAME_MS));
  };
  const cancel = () => {
    done = true;
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    for (const t of timers.splice(0)) clearTimeout(t);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
  };
  if (typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      frame = null;
      timers.push(setTimeout(run, 0));
    });
    // A tab hidden now, or before its next frame, paints none.
    if (hidden()) timers.push(setTimeout(run, NO_FRAME_MS));
    else if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
  } else {
    timers.push(setTimeout(run, 0));
  }
  return cancel;
}
