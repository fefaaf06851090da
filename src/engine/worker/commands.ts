// The commands a run's shell ran and the lines its script refused, packed as
// columns for the trip from the worker to the UI: a script of 60000 lines runs
// 60000 commands, which as objects were copied twice (for the message, then
// by structured clone) and rebuilt on the UI thread; as typed arrays they are
// transferred, and a message is decoded only when it is listed.
import type { CommandRecord } from '../run/output.ts';
import { lineBuffers, lineText, packTexts, textEmpty, type TextColumn } from './lines.ts';

export interface CommandColumns {
  count: number;
  /** Script line (1-based) and column where each command starts. */
  line: Uint32Array;
  col: Uint32Array;
  /** The step each command started at (steps recorded before it), ascending. */
  step: Int32Array;
  /** Index of the first terminal line each command printed. */
  terminalStart: Uint32Array;
  /** The exit status each command returned at once. */
  status: Int32Array;
  /** What each command printed on standard error, its lines joined by newlines ('' for nothing). */
  errors: TextColumn;
}

/** The lines of a script that failed to parse: their numbers (ascending) and the refusals. */
export interface ScriptErrorColumns {
  line: Uint32Array;
  messages: TextColumn;
}

export function packCommands(commands: readonly CommandRecord[]): CommandColumns {
  const n = commands.length;
  const c: CommandColumns = {
    count: n,
    line: new Uint32Array(n),
    col: new Uint32Array(n),
    step: new Int32Array(n),
    terminalStart: new Uint32Array(n),
    status: new Int32Array(n),
    errors: packTexts(n, (i) => commands[i].errors.join('\n')),
  };
  commands.forEach((r, i) => {
    c.line[i] = r.line;
    c.col[i] = r.col;
    c.step[i] = r.step;
    c.terminalStart[i] = r.terminalStart;
    c.status[i] = r.status;
  });
  return c;
}

export function packScriptErrors(errors: readonly { line: number; message: string }[]): ScriptErrorColumns {
  return { line: Uint32Array.from(errors, (e) => e.line), messages: packTexts(errors.length, (i) => errors[i].message) };
}

/** What command `i` printed on standard error ('' for nothing). */
export function commandErrors(c: CommandColumns, i: number): string {
  return textEmpty(c.errors, i) ? '' : lineText(c.errors, i);
}

/** The buffers a postMessage should transfer. */
export function commandBuffers(c: CommandColumns): ArrayBuffer[] {
  return [c.line, c.col, c.step, c.terminalStart, c.status].map((a) => a.buffer as ArrayBuffer).concat(lineBuffers(c.errors));
}

export function scriptErrorBuffers(e: ScriptErrorColumns): ArrayBuffer[] {
  return [e.line.buffer as ArrayBuffer, ...lineBuffers(e.messages)];
}

/**
 * The command whose work the call at `step` belongs to: the last one that
 * started before that call was recorded (its index), -1 for none (step 0 is
 * before any call).
 */
export function commandAtStep(c: Pick<CommandColumns, 'count' | 'step'>, step: number): number {
  if (step < 1) return -1;
  let lo = 0;
  let hi = c.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c.step[mid] < step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The script line of the command running at `step`, null before the first. */
export function commandLineAtStep(c: Pick<CommandColumns, 'count' | 'step' | 'line'>, step: number): number | null {
  const k = commandAtStep(c, step);
  return k < 0 ? null : c.line[k];
}
