// Transient, polite messages (e.g. "no more events"); errors go to ErrorBanner.
import { useExplorer } from '../store.ts';

export function Notice() {
  const notice = useExplorer((s) => s.notice);
  return (
    <div className="notice" aria-live="polite">
      {notice && (
        <>
          <span>{notice}</span>
          <button
            type="button"
            className="link"
            onClick={() => useExplorer.getState().dismissNotice()}
            aria-label="Dismiss notice"
          >
            ×
          </button>
        </>
      )}
    </div>
  );
}
