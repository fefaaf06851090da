// The run's problems under the editor: each failing command once, with its
// line; a click puts the cursor on the line and goes to the command's step.
import type { ScriptDiagnostic } from '../editor/diagnostics.ts';

/** A script with thousands of failing lines lists the first ones and says how many more. */
const MAX_SHOWN = 100;

export function ProblemsList({
  id,
  diagnostics,
  empty,
  onPick,
}: {
  id: string;
  diagnostics: readonly ScriptDiagnostic[];
  /** The run ran no command at all. */
  empty: boolean;
  onPick(d: ScriptDiagnostic): void;
}) {
  if (empty) {
    return (
      <p id={id} className="problems-empty">
        This scenario has no commands yet, so there is nothing to step through. Write one (say,{' '}
        <code>ip link add veth0 type veth peer name veth1</code>) or pick an example.
      </p>
    );
  }
  if (!diagnostics.length)
    return (
      <p id={id} className="visually-hidden">
        No problems.
      </p>
    );
  const shown = diagnostics.slice(0, MAX_SHOWN);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <div id={id} className="problems">
      <h3 className="problems-head">
        {[
          errors && `${errors} ${errors === 1 ? 'error' : 'errors'}`,
          warnings && `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
        ]
          .filter(Boolean)
          .join(', ')}
      </h3>
      <ul aria-label="Problems">
        {shown.map((d) => (
          <li key={`${d.line}:${d.col}`} className={`problem problem-${d.severity}`}>
            <button type="button" onClick={() => onPick(d)} title={`Go to line ${d.line} (step ${d.step})`}>
              <span className="problem-line">line {d.line}</span>
              <span className="problem-message">{d.message}</span>
            </button>
          </li>
        ))}
        {diagnostics.length > shown.length && <li className="muted">… and {diagnostics.length - shown.length} more</li>}
      </ul>
    </div>
  );
}
