// The Embed dialog: options for the embedded app, and the <iframe> snippet for
// the step on display, ready to copy.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useExplorer } from '../store.ts';
import { flushLink, sharePanel } from '../shareApp.ts';
import {
  DEFAULT_EMBED_TITLE,
  EMBED_PANELS,
  MAX_SPEED,
  MIN_SPEED,
  embedSnippet,
  type EmbedOptions,
  type EmbedPanel,
} from '../share/embedOptions.ts';
import { copyText } from './copyText.ts';

const PANEL_LABELS: Record<EmbedPanel, string> = {
  callstack: 'Call stack',
  skb: 'skb',
  events: 'Events',
  captures: 'Captures',
  terminal: 'Terminal',
};

function stepOrNull(v: string): number | null {
  return /^\d{1,8}$/.test(v.trim()) ? Number(v.trim()) : null;
}

export function EmbedDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const selected = useExplorer((s) => sharePanel(s.selectedPanel));
  const scenarioTitle = useExplorer((s) => s.summary?.title ?? '');
  const [href, setHref] = useState<string | null>(null);
  const [panel, setPanel] = useState<EmbedPanel>(
    (EMBED_PANELS as readonly string[]).includes(selected) ? (selected as EmbedPanel) : 'callstack',
  );
  const [theme, setTheme] = useState<'' | 'light' | 'dark'>('');
  const [autoplay, setAutoplay] = useState(false);
  const [controls, setControls] = useState(true);
  const [speed, setSpeed] = useState(1);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [width, setWidth] = useState(800);
  const [height, setHeight] = useState(500);
  const [title, setTitle] = useState(scenarioTitle ? `skbwalk: ${scenarioTitle}` : DEFAULT_EMBED_TITLE);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    let live = true;
    void flushLink().then(() => {
      if (live) setHref(location.href);
    });
    return () => {
      live = false;
    };
  }, []);

  const snippet = useMemo(() => {
    if (!href) return '';
    const opts: Partial<EmbedOptions> = {
      panel,
      autoplay,
      controls,
      speed,
      theme: theme || null,
      from: stepOrNull(from),
      to: stepOrNull(to),
    };
    try {
      return embedSnippet(href, opts, { width, height }, title);
    } catch (err) {
      return `<!-- ${err instanceof Error ? err.message : String(err)} -->`;
    }
  }, [href, panel, autoplay, controls, speed, theme, from, to, width, height, title]);

  return (
    <dialog ref={ref} className="embed-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Embed this step</h2>
      <p className="muted">
        Paste this into your page: it shows skbwalk at the step on display, and your page can drive it (see the docs on
        postMessage).
      </p>
      <div className="embed-options">
        <label>
          Panel
          <select value={panel} onChange={(e) => setPanel(e.target.value as EmbedPanel)}>
            {EMBED_PANELS.map((p) => (
              <option key={p} value={p}>
                {PANEL_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Theme
          <select value={theme} onChange={(e) => setTheme(e.target.value as '' | 'light' | 'dark')}>
            <option value="">Reader’s choice</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label>
          Speed
          <input
            type="number"
            min={MIN_SPEED}
            max={MAX_SPEED}
            step={0.25}
            value={speed}
            onChange={(e) => setSpeed(Number(e.target.value) || 1)}
          />
        </label>
        <label>
          From step
          <input type="number" min={0} value={from} placeholder="0" onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To step
          <input type="number" min={0} value={to} placeholder="last" onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Width
          <input type="number" min={100} max={4000} value={width} onChange={(e) => setWidth(Number(e.target.value) || 800)} />
        </label>
        <label>
          Height
          <input type="number" min={100} max={4000} value={height} onChange={(e) => setHeight(Number(e.target.value) || 500)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={autoplay} onChange={(e) => setAutoplay(e.target.checked)} />
          Autoplay
        </label>
        <label className="check">
          <input type="checkbox" checked={controls} onChange={(e) => setControls(e.target.checked)} />
          Show controls
        </label>
        <label className="wide">
          Title
          <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
      </div>
      <label className="snippet">
        <span>Embed code</span>
        <textarea readOnly value={snippet} rows={5} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="dialog-actions">
        <span aria-live="polite" className="copied">
          {copied}
        </span>
        <button
          type="button"
          className="primary"
          disabled={!snippet}
          onClick={() =>
            void copyText(snippet).then((ok) =>
              setCopied(ok ? 'Embed code copied.' : 'Copying was refused: select the code and copy it.'),
            )
          }
        >
          Copy embed code
        </button>
        <button type="button" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
