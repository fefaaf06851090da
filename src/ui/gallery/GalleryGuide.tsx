// The narrative of a gallery scenario: its chapters, each a button that jumps
// to the step its note is about, and the callout of the chapter the reader is
// in (highlighted when the step on display is the note's own).
import { useExplorer } from '../store.ts';
import { chapterAt } from './chapters.ts';

export function GalleryGuide() {
  const guide = useExplorer((s) => s.guide);
  // The chapter the step on display is in, and whether it is at the chapter's own step: the guide is
  // drawn again when these change, not at every step.
  const at = useExplorer((s) => (s.guide ? chapterAt(s.guide.chapters, s.view?.step ?? 0) : -1));
  const exact = useExplorer((s) => at >= 0 && s.guide?.chapters[at]?.step === (s.view?.step ?? 0));
  if (!guide) return null;
  const current = at >= 0 ? guide.chapters[at] : null;
  return (
    <div className="guide">
      <nav className="chapters" aria-label="Chapters">
        <ol>
          {guide.chapters.map((c, i) => (
            <li key={i}>
              <button
                type="button"
                className={i === at ? 'chapter current' : 'chapter'}
                aria-current={i === at ? 'step' : undefined}
                disabled={c.step === null}
                title={c.step === null ? 'This moment does not happen in this run' : `Go to step ${c.step}`}
                onClick={() => c.step !== null && useExplorer.getState().goTo(c.step)}
              >
                <span className="chapter-no">{i + 1}</span> {c.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <aside className={exact ? 'callout at-step' : 'callout'} aria-label="Note" aria-live="polite">
        {current ? (
          <>
            <strong className="callout-title">
              {at + 1}. {current.title}
            </strong>{' '}
            {!exact && <span className="callout-step">(step {current.step})</span>} <span>{current.text}</span>
          </>
        ) : (
          <span>
            <strong className="callout-title">{guide.title}.</strong> {guide.summary}
          </span>
        )}
      </aside>
    </div>
  );
}
