// The terminal: each command the script ran, after a root prompt, and what it
// printed, up to the step on display. Every line is a button to its step.
import { useEffect, useMemo, useRef } from 'react';
import { useExplorer } from '../store.ts';
import { afterNextPaint } from '../afterPaint.ts';
import { Panel } from './Panel.tsx';
import { TerminalRows } from '../editor/terminalRows.ts';
import { MAX_LINES } from './LineList.tsx';

/** Past this, the oldest rows are summarised (a flood ping prints thousands). */
const MAX_SHOWN = MAX_LINES;

export function TerminalPanel() {
  const summary = useExplorer((s) => s.summary);
  const script = useExplorer((s) => s.loadedText);
  const ref = useRef<HTMLOListElement>(null);
  const rows = useMemo(() => (summary && script !== null ? new TerminalRows(summary, script) : null), [summary, script]);
  // Rows up to the step on display: their count by bisection (rows are in step
  // order), and only the last MAX_SHOWN of them made. Copying every row up to
  // the step (a million for a million pings) on each step kept a timeline drag
  // through such a run busy for seconds at a time. The panel follows the count,
  // not the step: a step that prints nothing does not draw it again.
  const visibleCount = useExplorer((s) => rows?.upTo(s.view?.step ?? 0) ?? 0);
  const shown = useMemo(() => rows?.slice(Math.max(0, visibleCount - MAX_SHOWN), visibleCount) ?? [], [rows, visibleCount]);
  // Scrolled to the newest row once the step is painted (reading the height before would lay out the page in the step's task).
  useEffect(
    () =>
      afterNextPaint(() => {
        const body = ref.current?.closest('.panel-body');
        if (body) body.scrollTop = body.scrollHeight;
      }),
    [visibleCount],
  );
  return (
    <Panel id="terminal" label="Terminal">
      {visibleCount === 0 ? (
        <p className="muted terminal-empty">Nothing has run yet.</p>
      ) : (
        <ol className="lines terminal" ref={ref} aria-label="Terminal output">
          {visibleCount > shown.length && <li className="muted">… {visibleCount - shown.length} earlier lines</li>}
          {shown.map((r, i) => (
            // Keyed by the row's place in the whole terminal: a step on moves the window by a row, not every row's text.
            <li key={visibleCount - shown.length + i} className={r.kind === 'prompt' ? 'term-prompt' : 'term-output'}>
              <button
                type="button"
                className="line"
                onClick={() => useExplorer.getState().goTo(r.step)}
                title={`Go to step ${r.step} (script line ${r.line})`}
              >
                {r.kind === 'prompt' ? (
                  <span className="prompt-lines">
                    {r.text.split('\n').map((text, j) => (
                      <span key={j} className="prompt-line">
                        {/* A command continued with \ goes on after bash's secondary prompt. */}
                        <span className="prompt">{j === 0 ? '# ' : '> '}</span>
                        <span className="line-text">{text}</span>
                      </span>
                    ))}
                  </span>
                ) : (
                  <span className="line-text">{r.text || ' '}</span>
                )}
              </button>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
