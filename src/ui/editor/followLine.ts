// Keeping the running script line in view while stepping, inside the
// Scenario panel only. CodeMirror's own scrollIntoView scrolls every
// scrollable ancestor, the page included, so each step would pull the page
// away from the diagram the reader is looking at; this scrolls the editor's
// scroller and its ancestors up to the panel, and never the document.

/** Room kept above and below the line, in px, so it is not flush with an edge. */
export const FOLLOW_MARGIN = 4;

/**
 * How far to scroll a box whose visible part runs from `viewTop` to
 * `viewBottom` so that a line from `top` to `bottom` (same coordinates) is in
 * view with `margin` around it, moving as little as possible: 0 when it
 * already is; the line's top wins when the line is taller than the view.
 */
export function scrollDelta(viewTop: number, viewBottom: number, top: number, bottom: number, margin = FOLLOW_MARGIN): number {
  const room = viewBottom - viewTop;
  const m = Math.max(0, Math.min(margin, (room - (bottom - top)) / 2));
  if (top - m < viewTop) return top - m - viewTop;
  if (bottom + m > viewBottom) return Math.min(bottom + m - viewBottom, top - m - viewTop);
  return 0;
}

function scrolls(el: Element): boolean {
  if (el.scrollHeight <= el.clientHeight) return false;
  const overflow = getComputedStyle(el).overflowY;
  return overflow === 'auto' || overflow === 'scroll';
}

/**
 * Scrolls `from` and its ancestors up to `stop` (included, never beyond) so
 * that the band from `top` to `bottom` (viewport coordinates) is in view.
 */
export function scrollWithin(from: Element, stop: Element, top: number, bottom: number): void {
  for (let el: Element | null = from; el; el = el.parentElement) {
    if (scrolls(el)) {
      const box = el.getBoundingClientRect();
      const before = el.scrollTop;
      el.scrollTop = before + scrollDelta(box.top, box.bottom, top, bottom);
      const moved = el.scrollTop - before;
      top -= moved;
      bottom -= moved;
    }
    if (el === stop) break;
  }
}
