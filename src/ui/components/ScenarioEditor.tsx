// The scenario panel: the menu of examples and of the user's own scenarios,
// "Run", the code editor (CodeMirror, fetched after the first view, or as soon
// as the reader focuses its stand-in; a plain text area until it arrives), and
// the run's problems, each at its line.
import { useMemo, useState } from 'react';
import { deferred, useDeferred } from '../afterFirstView.ts';
import { useExplorer } from '../store.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { sourceKey, type Source } from '../editor/savedScenarios.ts';
import { ranNothing, scriptDiagnostics } from '../editor/diagnostics.ts';
import { commandLineAtStep } from '../../engine/worker/commands.ts';
import { ProblemsList } from './ProblemsList.tsx';

const scriptEditor = deferred(() => import('../editor/ScriptEditorView.tsx'));

const PROBLEMS_ID = 'scenario-problems';

function sourceFromKey(key: string): Source | null {
  if (key === 'draft') return { kind: 'own' };
  if (key === 'link') return { kind: 'link' };
  if (key.startsWith('copy:')) return { kind: 'copy', id: key.slice(5) };
  return SCENARIOS.some((s) => s.id === key) ? { kind: 'example', id: key } : null;
}

/**
 * Longest text the plain text area shows while the code editor loads: a text
 * area lays out every line (60000 lines took 5.6 s of one task), CodeMirror
 * only the lines in view.
 */
const PLAIN_EDITOR_MAX_LINES = 2000;

function PlainEditor({
  text,
  onChange,
  onRun,
  onCaret,
}: {
  text: string;
  onChange(t: string): void;
  onRun(): void;
  /** Where the reader's cursor is while the text area has the focus, null when it has not. */
  onCaret(at: number | null): void;
}) {
  const lines = useMemo(() => lineCount(text, PLAIN_EDITOR_MAX_LINES + 1), [text]);
  if (lines > PLAIN_EDITOR_MAX_LINES) {
    return (
      <p className="editor-loading" aria-busy="true">
        Loading the editor for this long scenario…
      </p>
    );
  }
  return (
    <textarea
      aria-label="Scenario"
      value={text}
      onFocus={(e) => onCaret(e.currentTarget.selectionStart)}
      onSelect={(e) => onCaret(e.currentTarget.selectionStart)}
      onBlur={() => onCaret(null)}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      wrap="off"
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          onRun();
        }
      }}
    />
  );
}

/** Lines in `text`, counting no further than `max`. */
function lineCount(text: string, max: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && n < max; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function ScenarioEditor() {
  const text = useExplorer((s) => s.text);
  const source = useExplorer((s) => s.source);
  const own = useExplorer((s) => s.own);
  const copies = useExplorer((s) => s.copies);
  const linkText = useExplorer((s) => s.linkText);
  const loading = useExplorer((s) => s.loading);
  const pending = useExplorer((s) => s.rebuildPending);
  const saveError = useExplorer((s) => s.saveError);
  const otherTab = useExplorer((s) => s.otherTab);
  const summary = useExplorer((s) => s.summary);
  const loadedText = useExplorer((s) => s.loadedText);
  // The line of the command running at the step on display: the editor is drawn again when it changes, not at every step.
  const runningLine = useExplorer((s) => (s.summary ? commandLineAtStep(s.summary.commands, s.view?.step ?? 0) : null));
  const a = useExplorer.getState();
  const [reveal, setReveal] = useState<{ line: number; seq: number } | null>(null);
  const editorModule = useDeferred(scriptEditor);
  // The cursor in the stand-in the reader is typing in: the code editor takes over the focus there.
  const [caret, setCaret] = useState<number | null>(null);

  const diagnostics = useMemo(() => (summary ? scriptDiagnostics(summary) : []), [summary]);
  const key = sourceKey(source);
  const onRun = () => void a.runNow();

  return (
    <form
      className="editor"
      onSubmit={(e) => {
        e.preventDefault();
        onRun();
      }}
    >
      <div className="editor-bar">
        <label>
          <span className="visually-hidden">Example scenario</span>
          <select
            aria-label="Example scenario"
            value={key}
            onChange={(e) => {
              const s = sourceFromKey(e.target.value);
              if (s) void a.show(s);
            }}
          >
            <optgroup label="Examples">
              {SCENARIOS.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </optgroup>
            {(own !== null || copies.length > 0 || linkText !== null) && (
              <optgroup label="Yours">
                {own !== null && <option value="draft">Your scenario</option>}
                {copies.map((c) => (
                  <option key={c.id} value={`copy:${c.id}`}>
                    {c.title}
                  </option>
                ))}
                {linkText !== null && <option value="link">Shared link</option>}
              </optgroup>
            )}
          </select>
        </label>
        <button type="submit" className="primary" title="Run now (Ctrl+Enter)">
          Run
        </button>
      </div>
      <div className="code-editor-frame">
        {editorModule ? (
          <editorModule.default
            text={text}
            docId={key}
            onChange={a.setText}
            onRun={onRun}
            runText={loadedText}
            diagnostics={diagnostics}
            runningLine={runningLine}
            reveal={reveal}
            describedBy={PROBLEMS_ID}
            focusAt={caret ?? undefined}
          />
        ) : (
          <PlainEditor
            text={text}
            onChange={a.setText}
            onRun={onRun}
            onCaret={(at) => {
              setCaret(at);
              // The reader wants the editor now: fetch it without waiting for the first view.
              if (at !== null) void scriptEditor.load().catch(() => undefined);
            }}
          />
        )}
      </div>
      {otherTab !== null && (
        <div className="other-tab" aria-live="polite">
          <span>Another tab saved a newer version of this scenario; this tab&rsquo;s next edit saves over it.</span>
          <button type="button" onClick={() => a.adoptOtherTab()}>
            Load the other tab&rsquo;s version
          </button>
        </div>
      )}
      <ProblemsList
        id={PROBLEMS_ID}
        diagnostics={diagnostics}
        empty={summary !== null && ranNothing(summary)}
        onPick={(d) => {
          setReveal((r) => ({ line: d.line, seq: (r?.seq ?? 0) + 1 }));
          a.goTo(d.step);
        }}
      />
      <p className="hint" aria-live="polite">
        {saveError
          ? `Not saved: ${saveError}.`
          : loading
            ? 'Running…'
            : pending
              ? 'Edited: the run follows when you stop typing (Ctrl+Enter: now).'
              : 'ip, ping, tcpdump, sysctl, echo > /proc/sys, ifconfig, sleep · Ctrl+Space completes'}
      </p>
    </form>
  );
}
