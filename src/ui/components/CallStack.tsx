// The kernel call stack at this step, outermost first; the last frame is the
// call entered at this step, or the call returning at it (with its return value).
import { useEffect, useRef } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';

/** The step at which the frame at `depth` of the stack at `step` was entered. */
function entryStep(stepDepth: Uint16Array, step: number, depth: number): number {
  for (let s = step; s >= 1; s--) if (stepDepth[s - 1] === depth) return s;
  return step;
}

export function CallStack() {
  const view = useExplorer((s) => s.view);
  const stepDepth = useExplorer((s) => s.summary?.stepDepth);
  const listRef = useRef<HTMLOListElement>(null);
  const stack = view?.stack ?? [];
  useEffect(() => {
    // The current frame is the last item: keep it in view by scrolling the panel only (never the page).
    const body = listRef.current?.closest('.panel-body');
    if (body) body.scrollTop = body.scrollHeight;
  }, [view]);
  return (
    <Panel id="stack" label="Call stack">
      {view && view.step > 0 && (
        <div className="context">
          <span className={`ctx ctx-${view.ctx ?? 'none'}`}>{view.ctx ?? 'idle'}</span>
          <span>cpu{view.cpu}</span>
          <span>t={(view.time / 1e9).toFixed(6)}s</span>
        </div>
      )}
      {view?.explanation ? (
        <p className="explanation">{view.explanation}</p>
      ) : (
        <p className="explanation muted">
          {view
            ? view.step === 0
              ? 'Step 0: before the first kernel call. Step into to start.'
              : 'No kernel call at this step.'
            : 'Run a scenario to see its kernel calls.'}
        </p>
      )}
      {view && (view.changes.length > 0 || view.stepEvents.length > 0) && (
        <ul className="step-effects" aria-label="Changes since the previous step, and this call's tracepoints">
          {view.changes.map((c, i) => (
            <li key={`c${i}`} className="change">
              since the previous step: {c}
            </li>
          ))}
          {view.stepEvents.map((e, i) => (
            <li key={`e${i}`} className="tracepoint">
              tracepoint in this call: {e}
            </li>
          ))}
        </ul>
      )}
      {stack.length > 0 && (
        <ol className="stack" ref={listRef}>
          {stack.map((f, i) => {
            const current = i === stack.length - 1;
            return (
              <li key={i} aria-current={current ? 'step' : undefined} className={current ? 'current' : undefined}>
                {current || !stepDepth ? (
                  <span className="fn">{f.fn}</span>
                ) : (
                  <button
                    type="button"
                    className="fn"
                    title={`Go back to the step that entered ${f.fn}`}
                    onClick={() => useExplorer.getState().goTo(entryStep(stepDepth, view!.step, i))}
                  >
                    {f.fn}
                  </button>
                )}{' '}
                <a className="file" href={f.url} target="_blank" rel="noopener noreferrer">
                  {f.file}
                </a>{' '}
                {current && view!.kind === 'return' && <span className="ret">returns {view!.returned ?? '(void)'}</span>}{' '}
                <span className="summary">{f.summary}</span>
                {(f.skb > 0 || f.dev) && (
                  <span className="frame-tags">
                    {f.skb > 0 && <span className="tag">skb #{f.skb}</span>}
                    {f.dev && <span className="tag">{f.dev}</span>}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Panel>
  );
}
