// The scenario's title and the note (from the script's comments) of the
// command running at this step: the note shows while its own command runs,
// not while the output of an earlier one is the last thing printed.
import { useExplorer } from '../store.ts';
import { commandLineAtStep } from '../../engine/worker/commands.ts';

export function ScenarioNarrative() {
  const title = useExplorer((s) => s.summary?.title ?? '');
  const note = useExplorer((s) => {
    if (!s.summary) return null;
    const line = commandLineAtStep(s.summary.commands, s.view?.step ?? 0);
    return s.summary.notes.find((n) => n.line === line)?.text ?? null;
  });
  // A gallery scenario tells its story in the guide (GalleryGuide) instead.
  const guided = useExplorer((s) => s.guide !== null);
  if (guided) return null;
  if (!title && !note) return null;
  return (
    <div className="narrative">
      {title && <span className="narrative-title">{title}</span>}
      {note && <span className="narrative-note">{note}</span>}
    </div>
  );
}
