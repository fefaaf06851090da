// A list of step-stamped lines (events, capture lines); clicking a line jumps
// to its step. Keeps the newest line in view.
import { useEffect, useRef } from 'react';
import type { LineAt } from '../../engine/worker/protocol.ts';
import { lineAt, linesUpTo, type LineColumn } from '../../engine/worker/lines.ts';
import { useExplorer } from '../store.ts';

/**
 * A panel shows at most this many lines, the newest; the rest are counted. A
 * jump across a long run replaces them all, and building and laying out 500
 * rows in each of the Events and Terminal panels was most of a far jump's
 * 190 ms task (a panel shows 5 to 40 rows at once).
 */
export const MAX_LINES = 100;

/** The last MAX_LINES lines of a column up to `step` (decoded), and how many come before them. */
export function lastLinesUpTo(c: LineColumn, step: number): { lines: LineAt[]; earlier: number } {
  const n = linesUpTo(c, step);
  const from = Math.max(0, n - MAX_LINES);
  return { lines: Array.from({ length: n - from }, (_, k) => lineAt(c, from + k)), earlier: from };
}

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
  const shown = lines;
  useEffect(() => {
    const body = ref.current?.closest('.panel-body');
    if (body) body.scrollTop = body.scrollHeight;
  }, [lines.length, earlier]);
  return (
    <ol className={`lines${className ? ` ${className}` : ''}`} ref={ref} aria-label={label}>
      {earlier > 0 && <li className="muted">… {earlier} earlier lines</li>}
      {shown.map((l, i) => (
        <li key={i} className={l.step === current ? 'at-step' : undefined}>
          <button
            type="button"
            className="line"
            onClick={() => useExplorer.getState().goTo(l.step)}
            title={`Go to step ${l.step}`}
          >
            <span className="line-step">{l.step}</span>
            <span className="line-text">{l.text}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
