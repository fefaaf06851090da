// The baseline for scripts/bench-ui.ts: the least a Vite + React 19 page can
// be — one heading, rendered the same way skbwalk renders (createRoot,
// StrictMode) — so the app's load time and JS size are read as ratios to it.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>bare Vite + React</h1>
  </StrictMode>,
);
