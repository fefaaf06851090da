// What a run summary's message transfers instead of copying: the buffer of
// every typed array in it (the step columns, every packed line and text, the
// event columns), each once, as postMessage requires of a transfer list.
import type { RunSummary } from './protocol.ts';
import { lineBuffers } from './lines.ts';
import { commandBuffers, scriptErrorBuffers } from './commands.ts';

export function summaryBuffers(summary: RunSummary): ArrayBuffer[] {
  return [
    summary.stepFn.buffer,
    summary.stepDepth.buffer,
    summary.stepKind.buffer,
    summary.stepSince.buffer,
    summary.terminalScriptLines.buffer,
    summary.eventNetns.buffer,
    summary.eventSkb.buffer,
    summary.eventKind.buffer,
    summary.eventDevice.buffer,
    summary.eventSkbs.buffer,
    ...lineBuffers(summary.events),
    ...lineBuffers(summary.terminal),
    ...lineBuffers(summary.ping),
    ...summary.captures.flatMap((c) => lineBuffers(c.lines)),
    ...commandBuffers(summary.commands),
    ...scriptErrorBuffers(summary.scriptErrors),
  ] as ArrayBuffer[];
}
