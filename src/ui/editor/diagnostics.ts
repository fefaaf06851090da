// The problems of a run, each once and at its script line: the scenario
// language's own refusals (from the lexer) and what the real tools printed on
// standard error for the commands that failed. Pure: the editor's gutter and
// the problems list both draw from it.
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { commandErrors } from '../../engine/worker/commands.ts';
import { lineText } from '../../engine/worker/lines.ts';

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
  if (!message.includes('skbwalk: line ')) return message;
  return message
    .split('\n')
    .map((l) => l.replace(OWN_PREFIX, ''))
    .join('\n');
}

type DiagnosticSource = Pick<RunSummary, 'commands' | 'scriptErrors'>;

/** Each summary's problems, worked out once (the editor and the alert both list them). */
const computed = new WeakMap<DiagnosticSource, ScriptDiagnostic[]>();

/** The run's problems in script order, one per failing command. */
export function scriptDiagnostics(summary: DiagnosticSource): ScriptDiagnostic[] {
  let out = computed.get(summary);
  if (!out) {
    out = computeDiagnostics(summary);
    computed.set(summary, out);
  }
  return out;
}

function computeDiagnostics(summary: DiagnosticSource): ScriptDiagnostic[] {
  const out: ScriptDiagnostic[] = [];
  // Each (line, column, message) once: keyed by position, the messages at a
  // position kept in a set once there are two (hashing every long message
  // cost more than the rest together on a script of 60000 refused lines).
  const seen = new Map<number, string | Set<string>>();
  const add = (d: ScriptDiagnostic) => {
    const at = d.line * 2 ** 21 + d.col;
    const there = seen.get(at);
    if (there === undefined) seen.set(at, d.message);
    else if (typeof there === 'string') {
      if (there === d.message) return;
      seen.set(at, new Set([there, d.message]));
    } else {
      if (there.has(d.message)) return;
      there.add(d.message);
    }
    out.push(d);
  };
  const { commands, scriptErrors } = summary;
  for (let i = 0; i < commands.count; i++) {
    const errors = commandErrors(commands, i);
    if (!errors) continue;
    add({
      line: commands.line[i],
      col: commands.col[i],
      severity: commands.status[i] === 0 ? 'warning' : 'error',
      message: clean(errors),
      step: commands.step[i],
    });
  }
  // Refusals of lines the run never reached (it was stopped by a limit first).
  const reached = new Set(commands.line);
  const last = commands.count ? commands.step[commands.count - 1] : 0;
  for (let i = 0; i < scriptErrors.line.length; i++) {
    const line = scriptErrors.line[i];
    if (reached.has(line)) continue;
    add({ line, col: 1, severity: 'error', message: clean(lineText(scriptErrors.messages, i)), step: last });
  }
  const before = (a: ScriptDiagnostic, b: ScriptDiagnostic) => a.line - b.line || a.col - b.col;
  // Commands come in script order already; sort only when refusals were added out of order.
  if (out.some((d, i) => i > 0 && before(out[i - 1], d) > 0)) out.sort(before);
  return out;
}

/** True when the run ran no command at all (a blank script, or only comments). */
export function ranNothing(summary: DiagnosticSource): boolean {
  return summary.commands.count === 0 && summary.scriptErrors.line.length === 0;
}
