// "Step N of M": the step on display.
import { useExplorer } from '../store.ts';

/** The function entered (or returning) at the step on display, next to the status. */
export function CurrentFunction() {
  const fn = useExplorer((s) => (s.view && s.view.step > 0 ? s.view.stack[s.view.stack.length - 1]?.fn : undefined));
  const returning = useExplorer((s) => s.view?.kind === 'return');
  const returned = useExplorer((s) => s.view?.returned ?? null);
  const text = !fn ? '' : returning ? `${fn}() returns${returned !== null ? ` ${returned}` : ''}` : `${fn}()`;
  return <span className="current-fn">{text}</span>;
}

export function StepStatus() {
  const step = useExplorer((s) => s.view?.step ?? 0);
  const total = useExplorer((s) => s.summary?.total ?? 0);
  const loading = useExplorer((s) => s.loading);
  const loaded = useExplorer((s) => s.summary !== null);
  return (
    <p role="status" className="step-status" aria-busy={loading}>
      {loaded ? `Step ${step} of ${total}` : loading ? 'Running the scenario…' : 'No run'}
    </p>
  );
}
