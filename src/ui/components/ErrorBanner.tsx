// Engine errors and a run stopped by a limit, in a role="alert" element. The
// script's own problems are listed under the editor, at their lines (in an
// embed, which has no editor, they are listed here).
import { useMemo } from 'react';
import { useExplorer } from '../store.ts';
import { scriptDiagnostics } from '../editor/diagnostics.ts';

const MAX_SHOWN = 100;

/** `skbwalk: the scenario reached the limit …` (or a capture's budget) as a sentence of the app's. */
export function limitMessage(stoppedBy: string): string {
  const text = stoppedBy.replace(/^skbwalk: /, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function ErrorBanner({ withProblems = false }: { withProblems?: boolean }) {
  const error = useExplorer((s) => s.error);
  const summary = useExplorer((s) => s.summary);
  const { shown, count } = useMemo(() => {
    if (!summary) return { shown: [], count: 0 };
    const problems = withProblems ? scriptDiagnostics(summary) : [];
    // Only the messages shown are read (a script of 60000 refused lines has 60000).
    const out = problems.slice(0, MAX_SHOWN).map((d) => `line ${d.line}: ${d.message}`);
    // The budgets that were full (a capture's), then the limit that stopped the
    // run: each said once, without the program prefix (the terminal has
    // skbwalk's own lines).
    const limit = [...summary.notices, ...(summary.stoppedBy ? [summary.stoppedBy] : [])].map(limitMessage);
    return { shown: [...out, ...limit].slice(0, MAX_SHOWN), count: problems.length + limit.length };
  }, [summary, withProblems]);
  const has = !!error || count > 0;
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
          {count > shown.length && <li>… and {count - shown.length} more</li>}
        </ul>
      )}
    </div>
  );
}
