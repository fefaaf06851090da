// The page's entry, kept tiny: it starts the engine's worker at once, so the
// worker's code is fetched and compiled on its own thread while this thread
// fetches and compiles the app (React and the explorer, in mountApp's chunk).
import { prewarmEngine } from './engineClient.ts';
import './styles.css';

prewarmEngine();

import('./mountApp.tsx').catch((err: unknown) => {
  const root = document.getElementById('root');
  if (root) root.textContent = `skbwalk could not load: ${String(err)}. Reload the page to try again.`;
  throw err;
});
