// A list of step-stamped lines (events, capture lines); clicking a line jumps
// to its step. Keeps the newest line in view.
import { memo, useEffect, useRef } from 'react';
import type { LineAt } from '../../engine/worker/protocol.ts';
import { lineAt, type LineColumn } from '../../engine/worker/lines.ts';
import { useExplorer } from '../store.ts';
import { afterNextPaint } from '../afterPaint.ts';

/**
 * A panel shows at most this many lines, the newest; the rest are counted. A
 * jump across a long run replaces them all, and building and laying out 500
 * rows in each of the Events and Terminal panels was most of a far jump's
 * 190 ms task (a panel shows 5 to 40 rows at once).
 */
export const MAX_LINES = 100;

/** The last MAX_LINES of the first `n` lines of a column (decoded), and how many come before them. */
export function lastLines(c: LineColumn, n: number): { lines: LineAt[]; earlier: number } {
  const from = Math.max(0, n - MAX_LINES);
  return { lines: Array.from({ length: n - from }, (_, k) => lineAt(c, from + k)), earlier: from };
}

/** One line: redrawn only when it becomes or stops being the line of the step on display. */
const Line = memo(function Line({ line, atStep }: { line: LineAt; atStep: boolean }) {
  return (
    <li className={atStep ? 'at-step' : undefined}>
      <button
        type="button"
        className="line"
        onClick={() => useExplorer.getState().goTo(line.step)}
        title={`Go to step ${line.step}`}
      >
        <span className="line-step">{line.step}</span>
        <span className="line-text">{line.text}</span>
      </button>
    </li>
  );
});

export function LineList({
  lines,
  earlier,
  label,
  className,
}: {
  /** The lines shown (at most MAX_LINES). */
  lines: LineAt[];
  /** How many lines come before them. */
  earlier: number;
  label: string;
  className?: string;
}) {
  const ref = useRef<HTMLOListElement>(null);
  const current = useExplorer((s) => s.view?.step ?? 0);
  // Scrolled to the newest line once the step is painted: reading the list's height before that
  // would lay out the whole page inside the step's task.
  useEffect(
    () =>
      afterNextPaint(() => {
        const body = ref.current?.closest('.panel-body');
        if (body) body.scrollTop = body.scrollHeight;
      }),
    [lines.length, earlier],
  );
  return (
    <ol className={`lines${className ? ` ${className}` : ''}`} ref={ref} aria-label={label}>
      {earlier > 0 && <li className="muted">… {earlier} earlier lines</li>}
      {lines.map((l, i) => (
        // Keyed by the line's place in the whole list: a new line moves the window by a line, not every line's text.
        <Line key={earlier + i} line={l} atStep={l.step === current} />
      ))}
    </ol>
  );
}
