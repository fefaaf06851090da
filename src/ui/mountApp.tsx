// Renders the explorer. The run (the link's or the editor's scenario) is
// requested before React's first render, so the worker computes it while the
// page is being rendered.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startApp } from './shareApp.ts';

const container = document.getElementById('root');
if (!container) {
  throw new Error('skbwalk: #root element missing from index.html');
}

startApp();
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
