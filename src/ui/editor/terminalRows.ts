// The Terminal panel's rows: each command the script ran, as a root prompt
// with its source text (`# ip link show`), followed by what it printed. The
// CLI's terminal.txt has only the output (as the kernel records do); the
// prompts are the explorer's, built from the run's command records.
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { lineText, type LineColumn } from '../../engine/worker/lines.ts';

export interface TerminalRow {
  kind: 'prompt' | 'output';
  /**
   * A prompt's command may span lines (continued with `\`): one per text line.
   * An output row's text is read from the packed terminal when asked for (a run may print 60000 lines).
   */
  readonly text: string;
  /** The step to jump to when the row is clicked. */
  step: number;
  /** The script line the row belongs to. */
  line: number;
}

type RowSource = Pick<RunSummary, 'commands' | 'terminal' | 'terminalScriptLines'>;

/** Where a command starts in the script (1-based line and column). */
export interface SourcePlace {
  line: number;
  col: number;
}

/** Whether a line goes on in the next one: it ends with an unescaped backslash. */
function continues(text: string): boolean {
  return /(^|[^\\])(\\\\)*\\$/.test(text);
}

/**
 * The source text of the command at `at`, whole: from its column to the end
 * of its line and of every line it continues onto with `\` (one text line
 * each, joined with newlines, as a terminal echoes a command typed over
 * several lines), cut before the next command if that starts inside it
 * (`a; b`), with the separator and trailing blanks dropped.
 */
export function commandSource(lines: string[], at: SourcePlace, next: SourcePlace | null): string {
  const parts: string[] = [];
  for (let n = at.line; n <= lines.length; n++) {
    const raw = (lines[n - 1] ?? '').replace(/\r$/, '');
    const from = n === at.line ? at.col - 1 : 0;
    if (next && next.line === n) {
      parts.push(raw.slice(from, next.col - 1).replace(/[\s;&]+$/, ''));
      break;
    }
    parts.push(raw.slice(from).trimEnd());
    if (!continues(raw)) break;
  }
  return parts.join('\n');
}

class OutputRow implements TerminalRow {
  readonly kind = 'output';
  readonly step: number;
  constructor(
    private readonly terminal: LineColumn,
    private readonly index: number,
    readonly line: number,
  ) {
    this.step = terminal.steps[index];
  }
  get text(): string {
    return lineText(this.terminal, this.index);
  }
}

/** Interleaves the prompts of `summary.commands` with the terminal lines, in order. */
export function terminalRows(summary: RowSource, script: string): TerminalRow[] {
  const lines = script.split('\n');
  const rows: TerminalRow[] = [];
  const { commands, terminal, terminalScriptLines } = summary;
  let t = 0;
  const flushTo = (end: number) => {
    for (; t < end && t < terminal.count; t++) rows.push(new OutputRow(terminal, t, terminalScriptLines[t] ?? 0));
  };
  commands.forEach((c, i) => {
    flushTo(c.terminalStart);
    rows.push({ kind: 'prompt', text: commandSource(lines, c, commands[i + 1] ?? null), step: c.step, line: c.line });
  });
  flushTo(terminal.count);
  return rows;
}

/**
 * The command whose work the call at `step` belongs to: the last one that
 * started before that call was recorded. Step 0 is before any call: none.
 */
export function commandAtStep<C extends { step: number }>(commands: readonly C[], step: number): C | null {
  if (step < 1) return null;
  let lo = 0;
  let hi = commands.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (commands[mid].step < step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : commands[found];
}
