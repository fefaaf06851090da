// A shared link that could not be opened: why (role="alert"), and its text,
// kept so the reader can copy it (the address bar moves on to the default
// scenario).
import { useState } from 'react';
import { useShare } from '../shareApp.ts';
import { copyText } from './copyText.ts';

export function LinkAlert() {
  const linkError = useShare((s) => s.linkError);
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div role="alert" className={linkError ? 'alert shown link-alert' : 'alert'}>
      {linkError && (
        <>
          <p className="alert-error">This link could not be opened: {linkError.message}. Showing the default scenario instead.</p>
          <div className="broken-link">
            <input
              type="text"
              readOnly
              value={linkError.raw}
              aria-label="The broken link"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              onClick={() =>
                void copyText(linkError.raw).then((ok) => setCopied(ok ? 'Copied.' : 'Select the text and copy it.'))
              }
            >
              Copy the broken link
            </button>
            <button type="button" onClick={() => useShare.getState().dismissLinkError()}>
              Dismiss
            </button>
            <span aria-live="polite" className="copied">
              {copied}
            </span>
          </div>
        </>
      )}
    </div>
  );
}
