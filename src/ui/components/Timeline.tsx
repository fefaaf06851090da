// The timeline scrubber: any step of the run, 0..total.
import { useExplorer } from '../store.ts';
import { isReturnStep, stepFunction } from '../../engine/worker/protocol.ts';

export function Timeline() {
  const ready = useExplorer((s) => s.summary !== null);
  const step = useExplorer((s) => s.step);
  const total = useExplorer((s) => s.summary?.total ?? 0);
  const fn = useExplorer((s) =>
    s.summary && s.step > 0
      ? `${stepFunction(s.summary, s.step)}${isReturnStep(s.summary, s.step) ? ' returns' : ''}`
      : undefined,
  );
  return (
    <input
      className="timeline"
      type="range"
      aria-label="Timeline"
      min={0}
      max={total}
      step={1}
      value={step}
      disabled={!ready}
      aria-valuetext={`Step ${step} of ${total}${fn ? `: ${fn}` : ''}`}
      onChange={(e) => useExplorer.getState().goTo(Number(e.target.value))}
    />
  );
}
