// Writing to the scenario's terminal (and to ping's own log).
import type { World } from '../kernel/world.ts';
import type { OutputLine } from './output.ts';

function append(lines: OutputLine[], partial: { text: string }, step: number, text: string): void {
  const parts = (partial.text + text).split('\n');
  partial.text = parts.pop()!;
  for (const p of parts) lines.push({ step, text: p });
}

/** Appends raw text (which may hold partial lines) to the terminal, and to ping.txt when `fromPing`. */
export function writeOut(w: World, text: string, fromPing = false): void {
  const out = w.out;
  if (out.muted) return;
  const step = w.rec.count;
  const before = out.terminal.length;
  append(out.terminal, out.termPartial, step, text);
  for (let i = before; i < out.terminal.length; i++) out.terminalLines.push(w.shell.line);
  if (fromPing) append(out.ping, out.pingPartial, step, text);
}

/** Prints an error line (standard error): on the terminal, and on the record of the command running now. */
export function writeErr(w: World, line: string, fromPing = false): void {
  writeOut(w, line + '\n', fromPing);
  const out = w.out;
  if (out.muted) return;
  out.commands[out.commands.length - 1]?.errors.push(line);
}

/** Everything printed so far, as one text (what terminal.txt holds). */
export function terminalText(lines: OutputLine[], partial: string): string {
  return lines.map((l) => l.text + '\n').join('') + partial;
}
