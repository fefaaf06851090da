// A run that takes more than a moment: how far it has got (kernel calls
// simulated, of the step limit), and Cancel (or Escape), which terminates the
// worker computing it. The run on display meanwhile is the previous one, and
// says so; after a cancel, or while the editor holds text the run on display
// was not made from, that run is marked as stale.
import { useEffect, useState } from 'react';
import { useExplorer } from '../store.ts';

/** Runs quicker than this never show the bar (it would only flicker). */
export const PROGRESS_DELAY_MS = 400;

/**
 * A count with thousands separators, as en-US writes it (1,234,567). Not
 * toLocaleString: its first call loads the browser's number-formatting data,
 * a main-thread pause of 100 ms and more, right when the first run is shown.
 */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** True once `on` has held for `ms`. */
function useAfter(on: boolean, ms: number): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (!on) return;
    const t = setTimeout(() => setLate(true), ms);
    return () => {
      clearTimeout(t);
      setLate(false);
    };
  }, [on, ms]);
  return on && late;
}

export function RunProgress() {
  const loading = useExplorer((s) => s.loading);
  const progress = useExplorer((s) => s.progress);
  const cancelled = useExplorer((s) => s.cancelled);
  const hasRun = useExplorer((s) => s.summary !== null);
  const stale = useExplorer(
    (s) => s.summary !== null && s.loadedText !== null && s.loadedText !== s.text && !s.loading && !s.rebuildPending,
  );
  const shown = useAfter(loading, PROGRESS_DELAY_MS);

  useEffect(() => {
    if (!shown) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // A dialog (Embed, the tour) closes on Escape first.
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      useExplorer.getState().cancelRun();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  if (shown) {
    const preparing = progress?.phase === 'preparing';
    return (
      <div className="run-progress" role="group" aria-label="Run in progress">
        <label className="run-progress-label">
          <span aria-live="polite">
            {preparing
              ? `Preparing the views of ${count(progress.calls)} kernel calls…`
              : progress
                ? `Simulating: ${count(progress.calls)} kernel calls of at most ${count(progress.limit)}`
                : 'Simulating…'}
          </span>
          {preparing || !progress ? (
            <progress aria-label="Run progress" />
          ) : (
            <progress aria-label="Run progress" max={progress.limit} value={progress.calls} />
          )}
        </label>
        <button type="button" onClick={() => useExplorer.getState().cancelRun()} title="Cancel the run (Escape)">
          Cancel
        </button>
        <span className="run-progress-note">
          {hasRun ? 'Escape cancels. Until then, the previous run stays on screen and can be stepped.' : 'Escape cancels.'}
        </span>
      </div>
    );
  }
  if (cancelled || stale) {
    return (
      <p className="run-stale" aria-live="polite">
        {cancelled && `The run was cancelled after ${count(cancelled.calls)} kernel calls. `}
        {hasRun
          ? stale
            ? 'The run on display is of an earlier version of the scenario: press Run (Ctrl+Enter) to run this one.'
            : 'The run on display is the previous one.'
          : 'Nothing has run: press Run (Ctrl+Enter) to try again.'}
      </p>
    );
  }
  return null;
}
