// "Copy link" (the address bar's URL: the scenario, step and view on display),
// "Embed" (a dialog writing the <iframe> snippet) and the theme (kept in links).
import { useState } from 'react';
import { flushLink, useShare } from '../shareApp.ts';
import { useExplorer } from '../store.ts';
import { copyText } from './copyText.ts';
import { deferred, useDeferred } from '../afterFirstView.ts';

/** The Embed dialog's code comes after the first view, or at once when Embed is pressed before that. */
const embedDialog = deferred(() => import('./EmbedDialog.tsx'));

export function ShareControls() {
  const ready = useShare((s) => s.ready);
  const shareError = useShare((s) => s.shareError);
  const [copied, setCopied] = useState<{ url: string; ok: boolean } | null>(null);
  const [embedOpen, setEmbedOpen] = useState(false);
  const theme = useExplorer((s) => s.theme);
  const embedModule = useDeferred(embedDialog);
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
        onClick={() => {
          void embedDialog
            .load()
            .catch((err: unknown) => console.warn(`skbwalk: could not load a part of the page: ${String(err)}`));
          setEmbedOpen(true);
        }}
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
      {embedOpen && embedModule && <embedModule.EmbedDialog onClose={() => setEmbedOpen(false)} />}
    </div>
  );
}
