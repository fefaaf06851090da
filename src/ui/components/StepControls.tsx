// The step buttons: into, over, out, back, next/previous event, restart.
import { useExplorer } from '../store.ts';

/** `compact` (embeds) keeps back, into, over and restart. */
export function StepControls({ compact = false }: { compact?: boolean }) {
  const ready = useExplorer((s) => s.summary !== null);
  // At the ends navigation may reach (the run, narrowed by an embed's from/to): the buttons are drawn
  // again when one of these changes, not at every step.
  const atStart = useExplorer((s) => s.step <= Math.min(s.summary?.total ?? 0, s.range.from ?? 0));
  const atEnd = useExplorer((s) => s.step >= Math.min(s.summary?.total ?? 0, s.range.to ?? Infinity));
  const a = useExplorer.getState();
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
        <span className="seek-pair">
          <button
            type="button"
            className="seek-back"
            aria-label="Previous event"
            onClick={() => void a.seekEvent(-1)}
            disabled={!ready || atStart}
            title="Previous step with a tracepoint event (Shift+E)"
          >
            ◀
          </button>
          <button
            type="button"
            onClick={(e) => void a.seekEvent(e.shiftKey ? -1 : 1)}
            disabled={!ready || atEnd}
            title="Next step with a tracepoint event (E; Shift+click or Shift+E: the previous one)"
          >
            Next event
          </button>
        </span>
      )}
    </div>
  );
}
