// Which chapter of a gallery narrative the reader is in: the last one whose
// step has been reached. Pure, so it is tested without a DOM.
import type { Chapter } from '../store.ts';

/** Index of the chapter in force at `step` (the last one at or before it), or -1 before the first. */
export function chapterAt(chapters: Chapter[], step: number): number {
  let at = -1;
  chapters.forEach((c, i) => {
    if (c.step !== null && c.step <= step && (at < 0 || c.step >= chapters[at].step!)) at = i;
  });
  return at;
}
