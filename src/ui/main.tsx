// The page's entry, kept tiny: it starts the engine's worker at once, so the
// worker's code is fetched and compiled on its own thread while this thread
// fetches and compiles the app (React and the explorer, in mountApp's chunk).
// The run is asked for as soon as the store and the link's reader have
// arrived (a small chunk), before React and the components are compiled, so
// the worker computes the first run while this thread makes the page.
import { prewarmEngine } from './engineClient.ts';
import './styles.css';

prewarmEngine();

function failed(err: unknown): never {
  const root = document.getElementById('root');
  if (root) root.textContent = `skbwalk could not load: ${String(err)}. Reload the page to try again.`;
  throw err;
}

import('./shareApp.ts').then(({ startApp }) => startApp(), failed);
import('./mountApp.tsx').catch(failed);
