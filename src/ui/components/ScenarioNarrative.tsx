// The scenario's title and the note (from the script's comments) of the
// command that is running at this step.
import { useExplorer } from '../store.ts';

export function ScenarioNarrative() {
  const title = useExplorer((s) => s.summary?.title ?? '');
  const notes = useExplorer((s) => s.summary?.notes);
  const line = useExplorer((s) => s.view?.scriptLine ?? 0);
  // A gallery scenario tells its story in the guide (GalleryGuide) instead.
  const guided = useExplorer((s) => s.guide !== null);
  if (guided) return null;
  let note: string | null = null;
  if (notes && line > 0) {
    for (const n of notes) if (n.line <= line) note = n.text;
  }
  if (!title && !note) return null;
  return (
    <div className="narrative">
      {title && <span className="narrative-title">{title}</span>}
      {note && <span className="narrative-note">{note}</span>}
    </div>
  );
}
