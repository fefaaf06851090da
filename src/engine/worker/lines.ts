// Step-stamped lines (tracepoint events, terminal and ping output, capture
// lines) packed for the trip from the worker to the UI: the steps in one
// Int32Array, the texts as UTF-8 in one byte buffer with each line's start.
// The three buffers are transferred, not copied, so a run of a million events
// costs the UI thread no deserialisation; a text is decoded when it is shown.
import type { LineAt } from './protocol.ts';

/** Texts packed one after another (a command's error messages, a script's refusals). */
export interface TextColumn {
  count: number;
  /** Byte offset of each text in `bytes`; starts[count] is the end of the last. */
  starts: Uint32Array;
  /** Every text, UTF-8, one after another. */
  bytes: Uint8Array;
}

export interface LineColumn extends TextColumn {
  /** The step of each line, in step order. */
  steps: Int32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Packs `count` lines given by their step and text. */
export function packLines(count: number, stepOf: (i: number) => number, textOf: (i: number) => string): LineColumn {
  const steps = new Int32Array(count);
  for (let i = 0; i < count; i++) steps[i] = stepOf(i);
  return { ...packTexts(count, textOf), steps };
}

/** Packs `count` texts. */
export function packTexts(count: number, textOf: (i: number) => string): TextColumn {
  const starts = new Uint32Array(count + 1);
  let bytes = new Uint8Array(Math.max(64, count * 64));
  let end = 0;
  for (let i = 0; i < count; i++) {
    const text = textOf(i);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (end + text.length * 3 > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, end + text.length * 3));
      grown.set(bytes.subarray(0, end));
      bytes = grown;
    }
    end += encoder.encodeInto(text, bytes.subarray(end)).written;
    starts[i + 1] = end;
  }
  return { count, starts, bytes: bytes.slice(0, end) };
}

/** Packs lines that are already objects. */
export function packLineList(lines: readonly LineAt[]): LineColumn {
  return packLines(
    lines.length,
    (i) => lines[i].step,
    (i) => lines[i].text,
  );
}

/** The buffers a postMessage should transfer. */
export function lineBuffers(c: TextColumn | LineColumn): ArrayBuffer[] {
  return ['steps' in c ? [c.steps.buffer] : [], c.starts.buffer, c.bytes.buffer].flat() as ArrayBuffer[];
}

/** Whether text `i` is empty (without decoding it). */
export function textEmpty(c: TextColumn, i: number): boolean {
  return c.starts[i] === c.starts[i + 1];
}

export function lineText(c: TextColumn, i: number): string {
  const start = c.starts[i];
  const end = c.starts[i + 1];
  // Most lines are short ASCII: read as char codes, far cheaper than a TextDecoder call each.
  if (end - start <= 1024) {
    const b = c.bytes;
    let ascii = true;
    for (let p = start; p < end; p++) {
      if (b[p] > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(c.bytes.subarray(start, end));
}

export function lineAt(c: LineColumn, i: number): LineAt {
  return { step: c.steps[i], text: lineText(c, i) };
}

/** Every line as an object (tests, small columns). */
export function linesOf(c: LineColumn): LineAt[] {
  return Array.from({ length: c.count }, (_, i) => lineAt(c, i));
}

/** How many lines (in step order) are at or before `step`. */
export function linesUpTo(c: LineColumn, step: number): number {
  let lo = 0;
  let hi = c.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.steps[mid] <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The needle for lineContains: lower-cased UTF-8. */
export function needleOf(text: string): Uint8Array {
  return encoder.encode(text.toLowerCase());
}

/**
 * Whether line `i` contains `needle` (from needleOf), ignoring the case of
 * ASCII letters, without decoding the line.
 */
export function lineContains(c: LineColumn, i: number, needle: Uint8Array): boolean {
  const b = c.bytes;
  const start = c.starts[i];
  const last = c.starts[i + 1] - needle.length;
  const first = needle[0];
  outer: for (let p = start; p <= last; p++) {
    let x = b[p];
    if (x >= 65 && x <= 90) x += 32;
    if (x !== first) continue;
    for (let k = 1; k < needle.length; k++) {
      let y = b[p + k];
      if (y >= 65 && y <= 90) y += 32;
      if (y !== needle[k]) continue outer;
    }
    return true;
  }
  return needle.length === 0;
}
