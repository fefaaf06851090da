// Writing to the scenario's terminal (and to ping's own log).
import type { World } from '../kernel/world.ts';
import type { OutputLine } from './output.ts';

/**
 * Appends text to a line log. Only the new text is searched for line ends, so
 * an unfinished line that keeps growing (ping -f prints a dot per echo and
 * "\b \b" per reply, without a newline) costs O(1) per write, not its length.
 */
function append(lines: OutputLine[], partial: { text: string }, step: number, text: string): void {
  let nl = text.indexOf('\n');
  if (nl < 0) {
    partial.text += text;
    return;
  }
  lines.push({ step, text: partial.text + text.slice(0, nl) });
  for (;;) {
    const next = text.indexOf('\n', nl + 1);
    if (next < 0) break;
    lines.push({ step, text: text.slice(nl + 1, next) });
    nl = next;
  }
  partial.text = text.slice(nl + 1);
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

/**
 * ping.txt only: what a ping whose output the script sent to /dev/null
 * printed (the recorder keeps ping's log all the same).
 */
export function writePingLog(w: World, text: string): void {
  const out = w.out;
  if (out.muted) return;
  append(out.ping, out.pingPartial, w.rec.count, text);
}

/** Prints an error line (standard error): on the terminal, and on the record of the command running now. */
export function writeErr(w: World, line: string, fromPing = false): void {
  writeOut(w, line + '\n', fromPing);
  const out = w.out;
  if (out.muted) return;
  out.commands[out.commands.length - 1]?.errors.push(line);
}

/**
 * Prints one of skbwalk's own messages (a limit reached) on a line of its
 * own: after an unfinished line (ping -f's dots) it starts a new one.
 */
export function writeNotice(w: World, message: string): void {
  writeOut(w, (w.out.termPartial.text ? '\n' : '') + message + '\n');
}

/** Everything printed so far, as one text (what terminal.txt holds). */
export function terminalText(lines: OutputLine[], partial: string): string {
  return lines.map((l) => l.text + '\n').join('') + partial;
}
