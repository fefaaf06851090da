// Help: re-opens the tour (Tour.tsx), whose first stops also show the glossary.
import { useExplorer } from '../store.ts';
import { deferred } from '../afterFirstView.ts';

/**
 * The tour's code comes after the first view (a first visit's tour opens a
 * moment after the run is shown), or at once when Help is pressed before that.
 */
export const tourCode = deferred(() => import('./Tour.tsx'));

export function HelpButton() {
  return (
    <button
      type="button"
      className="help-button"
      title="A short tour of skbwalk, and the glossary"
      onClick={() => {
        void tourCode.load().catch((err: unknown) => console.warn(`skbwalk: could not load a part of the page: ${String(err)}`));
        useExplorer.getState().openTour(0);
      }}
    >
      Help
    </button>
  );
}
