// The Terminal panel's rows: each command the script ran, as a root prompt
// with its source text (`# ip link show`), followed by what it printed. The
// CLI's terminal.txt has only the output (as the kernel records do); the
// prompts are the explorer's, built from the run's command records.
import type { RunSummary } from '../../engine/worker/protocol.ts';

export interface TerminalRow {
  kind: 'prompt' | 'output';
  text: string;
  /** The step to jump to when the row is clicked. */
  step: number;
  /** The script line the row belongs to. */
  line: number;
}

type RowSource = Pick<RunSummary, 'commands' | 'terminal' | 'terminalScriptLines'>;

/**
 * The source text of a command: from its column to the end of its line, cut
 * before the next command that starts on the same line (`a; b`), with the
 * separator and trailing blanks dropped. A command continued with `\` shows
 * its first line and an ellipsis.
 */
export function commandSource(lines: string[], line: number, col: number, nextColOnLine: number | null): string {
  const raw = (lines[line - 1] ?? '').replace(/\r$/, '');
  let text = raw.slice(col - 1, nextColOnLine === null ? undefined : nextColOnLine - 1);
  if (nextColOnLine !== null) text = text.replace(/[\s;&]+$/, '');
  if (nextColOnLine === null && /(^|[^\\])(\\\\)*\\$/.test(text)) text = text.slice(0, -1).trimEnd() + ' …';
  return text.trimEnd();
}

/** Interleaves the prompts of `summary.commands` with the terminal lines, in order. */
export function terminalRows(summary: RowSource, script: string): TerminalRow[] {
  const lines = script.split('\n');
  const rows: TerminalRow[] = [];
  const { commands, terminal, terminalScriptLines } = summary;
  let t = 0;
  const flushTo = (end: number) => {
    for (; t < end && t < terminal.length; t++) {
      rows.push({ kind: 'output', text: terminal[t].text, step: terminal[t].step, line: terminalScriptLines[t] ?? 0 });
    }
  };
  commands.forEach((c, i) => {
    flushTo(c.terminalStart);
    const next = commands[i + 1];
    const nextCol = next && next.line === c.line ? next.col : null;
    rows.push({ kind: 'prompt', text: commandSource(lines, c.line, c.col, nextCol), step: c.step, line: c.line });
  });
  flushTo(terminal.length);
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
