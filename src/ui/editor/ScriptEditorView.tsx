// The scenario editor proper: CodeMirror 6 with shell highlighting, line
// numbers, undo, search, bracket matching, completion of what skbwalk runs,
// the run's problems in the gutter, and the line of the command running at
// the step on display. Loaded after the first view (ScenarioEditor shows a
// plain text area until it arrives): the first view does not wait for it.
import { useEffect, useRef } from 'react';
import { EditorState, StateEffect, StateField, type Extension, type Text } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { tags as t } from '@lezer/highlight';
import { completeAt } from './completion.ts';
import { scrollWithin } from './followLine.ts';
import { afterNextPaint } from '../afterPaint.ts';
import type { ScriptDiagnostic } from './diagnostics.ts';

export interface ScriptEditorViewProps {
  text: string;
  /** Changes when the editor shows another scenario: undo history starts afresh. */
  docId: string;
  onChange(text: string): void;
  onRun(): void;
  /** The text of the run on display: its problems and running line are placed only while the editor shows that text. */
  runText: string | null;
  diagnostics: readonly ScriptDiagnostic[];
  /** 1-based line of the command running at the step on display, or null. */
  runningLine: number | null;
  /** Asks the editor to put the cursor on a line (bumped counter, so the same line can be asked twice). */
  reveal: { line: number; seq: number } | null;
  /** Lines of the problems, for the editor's description. */
  describedBy?: string;
  /** Takes the focus when it appears, with the cursor at this offset (the reader was typing in the stand-in). */
  focusAt?: number;
}

const shellLanguage = StreamLanguage.define(shell);

/** Colours from the app's CSS variables, so both themes read well. */
const scriptHighlight = HighlightStyle.define([
  { tag: t.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.string, t.special(t.string)], color: 'var(--ok)' },
  { tag: t.keyword, color: 'var(--accent)', fontWeight: '600' },
  { tag: [t.number, t.atom], color: 'var(--token)' },
  { tag: [t.variableName, t.definition(t.variableName)], color: 'var(--cable)' },
  { tag: t.operator, color: 'var(--bad)' },
  { tag: t.attributeName, color: 'var(--warn)' },
]);

const setRunningLine = StateEffect.define<number | null>();
const runningLineMark = Decoration.line({ class: 'cm-running-line', attributes: { 'data-running': 'true' } });

/** The line of the command running at the step on display, drawn as a highlighted line. */
const runningLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let d = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setRunningLine)) continue;
      const n = e.value;
      d =
        n !== null && n >= 1 && n <= tr.state.doc.lines
          ? Decoration.set([runningLineMark.range(tr.state.doc.line(n).from)])
          : Decoration.none;
    }
    return d;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Each document's text, joined once: the effects below compare it with the run's text at every step. */
const joined = new WeakMap<Text, string>();

function textOf(doc: Text): string {
  let text = joined.get(doc);
  if (text === undefined) {
    text = doc.toString();
    joined.set(doc, text);
  }
  return text;
}

function scriptCompletion(ctx: CompletionContext): CompletionResult | null {
  const text = textOf(ctx.state.doc);
  const r = completeAt(text, ctx.pos);
  if (!r || !r.items.length) return null;
  // Unasked, offer something only once a word is started or after a word and a blank ("ip link set ").
  if (
    !ctx.explicit &&
    !r.typed &&
    ctx.state.doc
      .lineAt(ctx.pos)
      .text.slice(0, ctx.pos - ctx.state.doc.lineAt(ctx.pos).from)
      .trim() === ''
  )
    return null;
  return {
    from: r.from,
    options: r.items.map((i) => ({
      label: i.label,
      detail: i.detail ?? (i.kind === 'device' ? 'device' : i.kind === 'namespace' ? 'namespace' : undefined),
      type:
        i.kind === 'program'
          ? 'function'
          : i.kind === 'device' || i.kind === 'namespace'
            ? 'variable'
            : i.kind === 'key'
              ? 'property'
              : 'keyword',
    })),
    validFor: /^[\w./:-]*$/,
  };
}

/**
 * Problems marked in the editor: the first ones (a script of 60000 refused
 * lines would make CodeMirror build 60000 marks); the problems list under the
 * editor says how many there are.
 */
export const MAX_MARKED = 1000;

function toCmDiagnostics(state: EditorState, diags: readonly ScriptDiagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diags.slice(0, MAX_MARKED)) {
    if (d.line < 1 || d.line > state.doc.lines) continue;
    const line = state.doc.line(d.line);
    const from = Math.min(line.to, line.from + Math.max(0, d.col - 1));
    out.push({ from, to: line.to, severity: d.severity, message: d.message, source: `line ${d.line}` });
  }
  return out;
}

export default function ScriptEditorView(props: ScriptEditorViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, read by the editor's listeners (made once per document).
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  const makeState = (doc: string): EditorState => {
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      bracketMatching(),
      closeBrackets(),
      highlightSelectionMatches(),
      search({ top: true }),
      shellLanguage,
      syntaxHighlighting(scriptHighlight),
      autocompletion({ override: [scriptCompletion], activateOnTyping: true, icons: false }),
      lintGutter(),
      runningLineField,
      EditorState.tabSize.of(4),
      EditorView.contentAttributes.of({
        'aria-label': 'Scenario',
        // An explicit tab stop, so checkers see the scrolling editor as keyboard-reachable.
        tabindex: '0',
        spellcheck: 'false',
        autocapitalize: 'off',
        autocorrect: 'off',
        ...(latest.current.describedBy ? { 'aria-describedby': latest.current.describedBy } : {}),
      }),
      keymap.of([
        {
          key: 'Mod-Enter',
          preventDefault: true,
          run: () => {
            latest.current.onRun();
            return true;
          },
        },
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...completionKeymap,
        ...lintKeymap,
        indentWithTab,
      ]),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) latest.current.onChange(textOf(u.state.doc));
      }),
    ];
    return EditorState.create({ doc, extensions });
  };

  // One EditorView for the component's life; a new document (another scenario) gets a fresh state.
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({ state: makeState(latest.current.text), parent: host.current });
    view.current = v;
    const at = latest.current.focusAt;
    if (at !== undefined) {
      v.dispatch({ selection: { anchor: Math.min(at, v.state.doc.length) } });
      v.focus();
    }
    return () => {
      v.destroy();
      view.current = null;
    };
    // makeState reads props through `latest`: the view is made once.
  }, []);

  const docId = props.docId;
  const shownDoc = useRef(docId);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = textOf(v.state.doc);
    if (shownDoc.current !== docId) {
      shownDoc.current = docId;
      if (cur !== props.text) v.setState(makeState(props.text));
      return;
    }
    // The same scenario changed outside the editor (another tab's text was loaded): one undoable change.
    if (cur !== props.text) v.dispatch({ changes: { from: 0, to: cur.length, insert: props.text } });
  }, [docId, props.text]);

  // While the reader types, the marks of the last run move with the text (CodeMirror maps them
  // through each change); they are placed afresh once a run of exactly this text is on display.
  const { runText, diagnostics, runningLine } = props;
  // Marked once the run's picture is painted, in a task of their own: the
  // marks of a long script are not worth delaying the picture for.
  useEffect(
    () =>
      afterNextPaint(() => {
        const v = view.current;
        if (!v || textOf(v.state.doc) !== runText) return;
        v.dispatch(setDiagnostics(v.state, toCmDiagnostics(v.state, diagnostics)));
      }),
    [diagnostics, runText, docId],
  );

  useEffect(() => {
    const v = view.current;
    if (!v || textOf(v.state.doc) !== runText) return;
    const n = runningLine;
    v.dispatch({ effects: setRunningLine.of(n) });
    // Follow the running command inside the Scenario panel (never the page), unless the reader is typing.
    if (n !== null && n <= v.state.doc.lines && !v.hasFocus) {
      v.requestMeasure({
        key: 'follow-running-line',
        read(view) {
          const block = view.lineBlockAt(view.state.doc.line(n).from);
          return { top: view.documentTop + block.top, bottom: view.documentTop + block.bottom };
        },
        write({ top, bottom }, view) {
          scrollWithin(view.scrollDOM, view.dom.closest('.panel') ?? view.dom, top, bottom);
        },
      });
    }
  }, [runningLine, runText, docId]);

  const reveal = props.reveal;
  useEffect(() => {
    const v = view.current;
    if (!v || !reveal || reveal.line < 1 || reveal.line > v.state.doc.lines) return;
    const line = v.state.doc.line(reveal.line);
    v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
    v.focus();
  }, [reveal]);

  return <div className="code-editor" ref={host} />;
}
