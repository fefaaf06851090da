// Completion at a cursor position in a scenario: splits the command under
// the cursor into words (as far as completion needs: blanks, quotes, `;`),
// then asks the grammar what may come next. Pure; the CodeMirror adapter is
// in ScriptEditorView.
import { commandNext, type CompletionItem } from './grammar.ts';
import { scriptNames } from './scriptNames.ts';

export interface CompletionResult {
  /** Offset in the text where the word being completed starts. */
  from: number;
  /** The part of the word already typed. */
  typed: string;
  items: CompletionItem[];
}

/** The words of the command under the cursor, up to `cursor` in `line`, and the partial word at the end. */
export function wordsBefore(line: string): { words: string[]; partial: string; partialStart: number } | null {
  const words: string[] = [];
  let cur = '';
  let start = 0;
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === '#' && !inWord) return null; // in a comment
    if (c === "'" || c === '"') {
      if (!inWord) start = i;
      inWord = true;
      quote = c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === ';' || c === '|' || c === '&' || c === '>') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      if (c === ';' || c === '|' || c === '&') words.length = 0;
      if (c === '>') {
        if (line[i + 1] === '>') i++;
        words.push('>');
      }
      continue;
    }
    if (!inWord) start = i;
    inWord = true;
    cur += c;
  }
  if (quote) return { words, partial: cur, partialStart: start + 1 };
  return { words, partial: inWord ? cur : '', partialStart: inWord ? start : line.length };
}

/** What may be typed at `pos` in `text` (null inside a comment). */
export function completeAt(text: string, pos: number): CompletionResult | null {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const before = text.slice(lineStart, pos);
  const split = wordsBefore(before);
  if (!split) return null;
  const lineNo = text.slice(0, lineStart).split('\n').length;
  const names = scriptNames(text, lineNo);
  const items = commandNext(split.words, names).filter((i) => i.label.startsWith(split.partial));
  return { from: lineStart + split.partialStart, typed: split.partial, items };
}
