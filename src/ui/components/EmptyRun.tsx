// Says so when the scenario ran no command at all (a blank script, or only
// comments), instead of a bare "Step 0 of 0".
import { useExplorer } from '../store.ts';
import { ranNothing } from '../editor/diagnostics.ts';

export function EmptyRun() {
  const empty = useExplorer((s) => !!s.summary && ranNothing(s.summary));
  if (!empty) return null;
  return <p className="empty-run">The scenario is empty: it has no commands to run. Write some in the Scenario panel.</p>;
}
