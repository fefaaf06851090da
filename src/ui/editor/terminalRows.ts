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

/**
 * The Terminal panel's rows: the prompts of `summary.commands` interleaved with
 * the terminal lines, in order. Made when asked for: a run prints a million
 * lines, and a script of 60000 lines runs 60000 commands, while the panel
 * shows the last hundred rows up to the step.
 */
export class TerminalRows {
  /** Rows: every command's prompt and every terminal line. */
  readonly count: number;
  /** The row of each command's prompt, ascending. */
  private readonly promptRow: Uint32Array;
  private scriptLines: string[] | null = null;

  constructor(
    private readonly summary: RowSource,
    private readonly script: string,
  ) {
    const { commands, terminal } = summary;
    this.promptRow = new Uint32Array(commands.count);
    // The terminal lines printed before command k started come before its prompt.
    let before = 0;
    for (let k = 0; k < commands.count; k++) {
      before = Math.max(before, Math.min(commands.terminalStart[k], terminal.count));
      this.promptRow[k] = before + k;
    }
    this.count = commands.count + terminal.count;
  }

  /** How many prompts are at or before row `i`. */
  private promptsUpTo(i: number): number {
    let lo = 0;
    let hi = this.promptRow.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.promptRow[mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The step of row `i` (rows are in step order). */
  step(i: number): number {
    const p = this.promptsUpTo(i);
    return p > 0 && this.promptRow[p - 1] === i ? this.summary.commands.step[p - 1] : this.summary.terminal.steps[i - p];
  }

  row(i: number): TerminalRow {
    const { commands, terminal, terminalScriptLines } = this.summary;
    const p = this.promptsUpTo(i);
    if (p > 0 && this.promptRow[p - 1] === i) {
      const k = p - 1;
      this.scriptLines ??= this.script.split('\n');
      const at = { line: commands.line[k], col: commands.col[k] };
      const next = k + 1 < commands.count ? { line: commands.line[k + 1], col: commands.col[k + 1] } : null;
      return { kind: 'prompt', text: commandSource(this.scriptLines, at, next), step: commands.step[k], line: at.line };
    }
    const t = i - p;
    return new OutputRow(terminal, t, terminalScriptLines[t] ?? 0);
  }

  /** Rows `from` to `to` (not included). */
  slice(from: number, to: number): TerminalRow[] {
    return Array.from({ length: Math.max(0, Math.min(to, this.count) - from) }, (_, k) => this.row(from + k));
  }

  /** How many rows are at or before `step`. */
  upTo(step: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.step(mid) <= step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
