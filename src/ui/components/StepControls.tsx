// The step buttons: into, over, out, back, next event, restart.
import { useExplorer } from '../store.ts';

export function StepControls() {
  const ready = useExplorer((s) => s.summary !== null && !s.loading);
  const step = useExplorer((s) => s.step);
  const total = useExplorer((s) => s.summary?.total ?? 0);
  const a = useExplorer.getState();
  const atEnd = step >= total;
  return (
    <div className="step-controls" role="group" aria-label="Step controls">
      <button type="button" onClick={a.restart} disabled={!ready || step === 0} title="Restart (step 0)">
        Restart
      </button>
      <button type="button" onClick={a.stepBack} disabled={!ready || step === 0} title="Step back (←)">
        Step back
      </button>
      <button type="button" onClick={a.stepInto} disabled={!ready || atEnd} title="Step into (→)">
        Step into
      </button>
      <button type="button" onClick={() => void a.stepOver()} disabled={!ready || atEnd} title="Step over (Shift+→)">
        Step over
      </button>
      <button type="button" onClick={() => void a.stepOut()} disabled={!ready || atEnd} title="Step out: back in the caller">
        Step out
      </button>
      <button type="button" onClick={() => void a.nextEvent()} disabled={!ready || atEnd} title="Next tracepoint event">
        Next event
      </button>
    </div>
  );
}
