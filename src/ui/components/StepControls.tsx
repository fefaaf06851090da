// The step buttons: into, over, out, back, next event, restart.
import { useExplorer } from '../store.ts';

/** `compact` (embeds) keeps back, into, over and restart. */
export function StepControls({ compact = false }: { compact?: boolean }) {
  const ready = useExplorer((s) => s.summary !== null && !s.loading);
  const step = useExplorer((s) => s.step);
  // The ends navigation may reach (the run, narrowed by an embed's from/to).
  const lo = useExplorer((s) => Math.min(s.summary?.total ?? 0, s.range.from ?? 0));
  const hi = useExplorer((s) => Math.min(s.summary?.total ?? 0, s.range.to ?? Infinity));
  const a = useExplorer.getState();
  const atEnd = step >= hi;
  const atStart = step <= lo;
  return (
    <div className="step-controls" role="group" aria-label="Step controls">
      <button type="button" onClick={a.restart} disabled={!ready || atStart} title="Restart (step 0)">
        Restart
      </button>
      <button type="button" onClick={a.stepBack} disabled={!ready || atStart} title="Step back (←)">
        Step back
      </button>
      <button type="button" onClick={a.stepInto} disabled={!ready || atEnd} title="Step into (→)">
        Step into
      </button>
      <button type="button" onClick={() => void a.stepOver()} disabled={!ready || atEnd} title="Step over (Shift+→)">
        Step over
      </button>
      {!compact && (
        <button type="button" onClick={() => void a.stepOut()} disabled={!ready || atEnd} title="Step out: back in the caller">
          Step out
        </button>
      )}
      {!compact && (
        <button type="button" onClick={() => void a.nextEvent()} disabled={!ready || atEnd} title="Next tracepoint event">
          Next event
        </button>
      )}
    </div>
  );
}
