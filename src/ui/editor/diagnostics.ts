// The problems of a run, each once and at its script line: the scenario
// language's own refusals (from the lexer) and what the real tools printed on
// standard error for the commands that failed. Pure: the editor's gutter and
// the problems list both draw from it.
import type { RunSummary } from '../../engine/worker/protocol.ts';

export interface ScriptDiagnostic {
  /** 1-based script line and column of the command. */
  line: number;
  col: number;
  /** 'error' when the command failed; 'warning' when it printed on standard error and went on. */
  severity: 'error' | 'warning';
  /** The message, as the tool printed it (several lines joined by newlines). */
  message: string;
  /** The step at which the command ran (where a click on the message goes). */
  step: number;
}

/** skbwalk's own refusals carry "skbwalk: line N: "; the line is shown beside the message already. */
const OWN_PREFIX = /^skbwalk: line \d+: /;

function clean(message: string): string {
  return message
    .split('\n')
    .map((l) => l.replace(OWN_PREFIX, ''))
    .join('\n');
}

type DiagnosticSource = Pick<RunSummary, 'commands' | 'scriptErrors'>;

/** The run's problems in script order, one per failing command. */
export function scriptDiagnostics(summary: DiagnosticSource): ScriptDiagnostic[] {
  const out: ScriptDiagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: ScriptDiagnostic) => {
    const key = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const c of summary.commands) {
    if (!c.errors.length) continue;
    add({
      line: c.line,
      col: c.col,
      severity: c.status === 0 ? 'warning' : 'error',
      message: clean(c.errors.join('\n')),
      step: c.step,
    });
  }
  // Refusals of lines the run never reached (it was stopped by a limit first).
  const reached = new Set(summary.commands.map((c) => c.line));
  for (const e of summary.scriptErrors) {
    if (reached.has(e.line)) continue;
    add({ line: e.line, col: 1, severity: 'error', message: clean(e.message), step: summary.commands.at(-1)?.step ?? 0 });
  }
  out.sort((a, b) => a.line - b.line || a.col - b.col);
  return out;
}

/** True when the run ran no command at all (a blank script, or only comments). */
export function ranNothing(summary: DiagnosticSource): boolean {
  return summary.commands.length === 0 && summary.scriptErrors.length === 0;
}
