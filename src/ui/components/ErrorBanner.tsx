// Engine errors and script diagnostics, in a role="alert" element.
import { useMemo } from 'react';
import { useExplorer } from '../store.ts';

const DIAG = /^(skbwalk: line \d+:|skbwalk: )/;

export function ErrorBanner() {
  const error = useExplorer((s) => s.error);
  const summary = useExplorer((s) => s.summary);
  const diagnostics = useMemo(() => {
    if (!summary) return [];
    const out: string[] = summary.scriptErrors.map((e) => `line ${e.line}: ${e.message}`);
    for (const l of summary.terminal) {
      const t = l.text.trim();
      if (DIAG.test(t) && !out.includes(t)) out.push(t);
    }
    if (summary.stoppedBy) out.push(`the run was stopped early: ${summary.stoppedBy}`);
    return out;
  }, [summary]);
  const has = !!error || diagnostics.length > 0;
  return (
    <div role="alert" className={has ? 'alert shown' : 'alert'}>
      {error && <p className="alert-error">{error}</p>}
      {diagnostics.length > 0 && (
        <ul className="alert-diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
