// The problems of a run, each once and at its script line: the scenario
// language's own refusals (from the lexer) and what the real tools printed on
// standard error for the commands that failed. Pure: the editor's gutter and
// the problems list both draw from it.
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { lineText, textEmpty, type TextColumn } from '../../engine/worker/lines.ts';

export interface ScriptDiagnostic {
  /** 1-based script line and column of the command. */
  readonly line: number;
  readonly col: number;
  /** 'error' when the command failed; 'warning' when it printed on standard error and went on. */
  readonly severity: 'error' | 'warning';
  /** The message, as the tool printed it (several lines joined by newlines). */
  readonly message: string;
  /** The step at which the command ran (where a click on the message goes). */
  readonly step: number;
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

/**
 * A problem whose message stays packed in the run's text column until it is
 * read: a script of 60000 refused lines has 60000 problems, of which the
 * problems list shows 100 and the editor marks 1000; decoding every message
 * was most of the main-thread task that received the run.
 */
class PackedDiagnostic implements ScriptDiagnostic {
  #message: string | undefined;
  constructor(
    readonly line: number,
    readonly col: number,
    readonly severity: 'error' | 'warning',
    readonly step: number,
    private readonly texts: TextColumn,
    private readonly index: number,
  ) {}

  get message(): string {
    return (this.#message ??= clean(lineText(this.texts, this.index)));
  }
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
  // Each (line, column, message) once: keyed by line (a small integer, the
  // cheapest key), the messages compared (so decoded) only where two problems
  // share a position, which is rare: hashing every message cost more than the
  // rest together on a script of 60000 refused lines.
  const seen = new Map<number, ScriptDiagnostic | ScriptDiagnostic[]>();
  const add = (d: ScriptDiagnostic) => {
    const there = seen.get(d.line);
    if (there === undefined) seen.set(d.line, d);
    else {
      const others = Array.isArray(there) ? there : [there];
      if (others.some((o) => o.col === d.col && o.message === d.message)) return;
      seen.set(d.line, [...others, d]);
    }
    out.push(d);
  };
  const { commands, scriptErrors } = summary;
  for (let i = 0; i < commands.count; i++) {
    if (textEmpty(commands.errors, i)) continue;
    const severity = commands.status[i] === 0 ? 'warning' : 'error';
    add(new PackedDiagnostic(commands.line[i], commands.col[i], severity, commands.step[i], commands.errors, i));
  }
  // Refusals of lines the run never reached (it was stopped by a limit first).
  const reached = new Set(commands.line);
  const last = commands.count ? commands.step[commands.count - 1] : 0;
  for (let i = 0; i < scriptErrors.line.length; i++) {
    const line = scriptErrors.line[i];
    if (reached.has(line)) continue;
    add(new PackedDiagnostic(line, 1, 'error', last, scriptErrors.messages, i));
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
