// The current call, explained: what the function does to this packet (at a
// return step the explanation starts with the value it returns), and
// what changed since the previous step (queues, softirq and NAPI state,
// neighbours) with the tracepoints it hit. Pinned: it stays in view whatever
// the depth of the stack.
import { useEffect, useRef } from 'react';
import { useExplorer } from '../store.ts';
import { GlossaryText } from './Glossary.tsx';

export function CurrentCall() {
  const view = useExplorer((s) => s.view);
  const ref = useRef<HTMLElement>(null);
  // Whether the reader has scrolled the box since the last step: only then is it scrolled back
  // (setting scrollTop makes the browser lay the page out at once, a cost on every step otherwise).
  const scrolled = useRef(false);
  useEffect(() => {
    // A new step starts with its explanation in view.
    if (ref.current && scrolled.current) {
      scrolled.current = false;
      ref.current.scrollTop = 0;
    }
  }, [view]);
  // Each glossary word becomes a popover button once per box.
  const seen = new Set<string>();
  return (
    // Focusable: when its changes overflow, keyboard users can scroll it.
    <section
      className="current-call"
      aria-label="Current call"
      ref={ref}
      tabIndex={0}
      onScroll={(e) => (scrolled.current = e.currentTarget.scrollTop > 0)}
    >
      {view && view.step > 0 && (
        <div className="context">
          <span className={`ctx ctx-${view.ctx ?? 'none'}`}>{view.ctx ?? 'idle'}</span>
          <span>cpu{view.cpu}</span>
          <span>t={(view.time / 1e9).toFixed(6)}s</span>
          {view.stack.length > 0 && <span className="current-name">{view.stack[view.stack.length - 1].fn}()</span>}
        </div>
      )}
      {view?.explanation ? (
        <p className="explanation">
          <GlossaryText text={view.explanation} seen={seen} />
        </p>
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
              since the previous step: <GlossaryText text={c} seen={seen} />
            </li>
          ))}
          {view.stepEvents.map((e, i) => (
            <li key={`e${i}`} className="tracepoint">
              tracepoint in this call: {e}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
