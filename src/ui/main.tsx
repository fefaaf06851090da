// The page's entry, kept tiny. Opened without a link, the page is likely to
// show the default scenario, whose first run the build computed
// (virtual:skbwalk-first-run): it is fetched beside the startup chunks, and
// the engine's worker is started only once that run is painted (store.ts), so
// that its code is neither fetched nor compiled before the first picture.
// Opened with a link (or showing another text), the engine's worker is
// started at once, so its code is fetched and compiled on its own thread while
// this thread makes the page, and the run is asked for as soon as the store
// and the link's reader have arrived (a small chunk), before React and the
// components are compiled.
import { prewarmEngine } from './engineClient.ts';
import { importSkeletons, type SkeletonData } from './topology/skeletonCache.ts';
import type { FirstRun } from '../engine/worker/firstRun.ts';
import './styles.css';

const firstRun: Promise<FirstRun | null> | null =
  location.hash.length > 1
    ? null
    : import('virtual:skbwalk-first-run').then((m) => {
        importSkeletons(m.skeletons as SkeletonData[]);
        return m.firstRun as FirstRun | null;
      });
if (!firstRun) prewarmEngine();

function failed(err: unknown): never {
  const root = document.getElementById('root');
  if (root) root.textContent = `skbwalk could not load: ${String(err)}. Reload the page to try again.`;
  throw err;
}

import('./shareApp.ts').then(({ startApp }) => startApp(firstRun), failed);
import('./mountApp.tsx').catch(failed);
