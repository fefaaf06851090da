// The scenario editor: a picker of examples, the script text and "Run".
import { useExplorer } from '../store.ts';
import { SCENARIOS } from '../../scenarios/index.ts';

const isExample = (t: string) => SCENARIOS.some((s) => s.text === t);

export function ScenarioEditor() {
  const text = useExplorer((s) => s.text);
  const draft = useExplorer((s) => s.draft);
  const loading = useExplorer((s) => s.loading);
  const dirty = useExplorer((s) => s.loadedText !== null && s.loadedText !== s.text);
  const a = useExplorer.getState();
  const current = SCENARIOS.find((s) => s.text === text)?.id ?? (draft === text || !isExample(text) ? 'draft' : '');
  return (
    <form
      className="editor"
      onSubmit={(e) => {
        e.preventDefault();
        void a.run();
      }}
    >
      <div className="editor-bar">
        <label>
          <span className="visually-hidden">Example scenario</span>
          <select
            aria-label="Example scenario"
            value={current}
            onChange={(e) => {
              const id = e.target.value;
              if (id === 'draft') {
                if (draft !== null) a.pick(draft, isExample);
                return;
              }
              const sc = SCENARIOS.find((s) => s.id === id);
              if (sc) a.pick(sc.text, isExample);
            }}
          >
            {SCENARIOS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
            {(draft !== null || current === 'draft') && <option value="draft">Your scenario</option>}
          </select>
        </label>
        <button type="submit" className="primary" disabled={loading}>
          Run
        </button>
      </div>
      <textarea
        aria-label="Scenario"
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        wrap="off"
        onChange={(e) => a.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void a.run();
          }
        }}
      />
      <p className="hint">
        {dirty
          ? 'Edited — press Run (Ctrl+Enter) to re-run.'
          : 'A shell script: ip, ifconfig, sysctl, echo > /proc/sys, tcpdump, ping, sleep.'}
      </p>
    </form>
  );
}
