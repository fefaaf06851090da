// A list of step-stamped lines (events, capture lines); clicking a line jumps
// to its step. Keeps the newest line in view.
import { useEffect, useRef } from 'react';
import type { LineAt } from '../../engine/worker/protocol.ts';
import { useExplorer } from '../store.ts';

const MAX_SHOWN = 2000;

export function LineList({ lines, label, className }: { lines: LineAt[]; label: string; className?: string }) {
  const ref = useRef<HTMLOListElement>(null);
  const current = useExplorer((s) => s.view?.step ?? 0);
  const shown = lines.length > MAX_SHOWN ? lines.slice(lines.length - MAX_SHOWN) : lines;
  useEffect(() => {
    const body = ref.current?.closest('.panel-body');
    if (body) body.scrollTop = body.scrollHeight;
  }, [lines.length]);
  return (
    <ol className={`lines${className ? ` ${className}` : ''}`} ref={ref} aria-label={label}>
      {lines.length > shown.length && <li className="muted">… {lines.length - shown.length} earlier lines</li>}
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
