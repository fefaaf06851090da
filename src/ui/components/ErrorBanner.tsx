// Engine errors and a run stopped by a limit, in a role="alert" element. The
// script's own problems are listed under the editor, at their lines (in an
// embed, which has no editor, they are listed here).
import { useMemo } from 'react';
import { useExplorer } from '../store.ts';
import { scriptDiagnostics } from '../editor/diagnostics.ts';

const MAX_SHOWN = 100;

/** `skbwalk: the scenario reached the limit …` as a sentence of the app's. */
export function limitMessage(stoppedBy: string): string {
  const text = stoppedBy.replace(/^skbwalk: /, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function ErrorBanner({ withProblems = false }: { withProblems?: boolean }) {
  const error = useExplorer((s) => s.error);
  const summary = useExplorer((s) => s.summary);
  const lines = useMemo(() => {
    if (!summary) return [];
    const out: string[] = withProblems ? scriptDiagnostics(summary).map((d) => `line ${d.line}: ${d.message}`) : [];
    // The limit's own message (also the terminal's last line), said once, without the program prefix.
    if (summary.stoppedBy) out.push(limitMessage(summary.stoppedBy));
    return out;
  }, [summary, withProblems]);
  const shown = lines.slice(0, MAX_SHOWN);
  const has = !!error || lines.length > 0;
  return (
    <div role="alert" className={has ? 'alert shown' : 'alert'}>
      {error && (
        <p className="alert-error">
          {error}
          {!withProblems && <span className="alert-hint"> Your scenario is kept: edit it or press Run to start again.</span>}
        </p>
      )}
      {shown.length > 0 && (
        <ul className="alert-diagnostics">
          {shown.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
          {lines.length > shown.length && <li>… and {lines.length - shown.length} more</li>}
        </ul>
      )}
    </div>
  );
}
