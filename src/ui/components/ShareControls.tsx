// "Copy link" (the address bar's URL: the scenario, step and view on display),
// "Embed" (a dialog writing the <iframe> snippet) and the theme (kept in links).
import { useState } from 'react';
import { flushLink, useShare } from '../shareApp.ts';
import { useExplorer } from '../store.ts';
import { copyText } from './copyText.ts';
import { EmbedDialog } from './EmbedDialog.tsx';

export function ShareControls() {
  const ready = useShare((s) => s.ready);
  const shareError = useShare((s) => s.shareError);
  const [copied, setCopied] = useState<{ url: string; ok: boolean } | null>(null);
  const [embedOpen, setEmbedOpen] = useState(false);
  const theme = useExplorer((s) => s.theme);
  const copy = async () => {
    await flushLink();
    const url = location.href;
    const ok = await copyText(url);
    setCopied({ url, ok });
  };
  return (
    <div className="share-controls">
      <button
        type="button"
        onClick={() => void copy()}
        disabled={!ready || !!shareError}
        data-url={copied?.url}
        title="Copy a link to this step"
      >
        Copy link
      </button>
      <button
        type="button"
        onClick={() => setEmbedOpen(true)}
        disabled={!ready || !!shareError}
        aria-haspopup="dialog"
        title="Embed this step in a web page"
      >
        Embed
      </button>
      <select
        aria-label="Theme"
        value={theme ?? ''}
        onChange={(e) =>
          useExplorer.getState().setTheme(e.target.value === 'light' || e.target.value === 'dark' ? e.target.value : null)
        }
      >
        <option value="">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
      <span aria-live="polite" className="copied">
        {shareError
          ? `Cannot share by link: ${shareError}`
          : copied
            ? copied.ok
              ? 'Link copied.'
              : 'Copying was refused: copy the address bar.'
            : ''}
      </span>
      {embedOpen && <EmbedDialog onClose={() => setEmbedOpen(false)} />}
    </div>
  );
}
