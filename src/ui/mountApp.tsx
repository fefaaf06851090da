// Renders the explorer. The run (the link's or the editor's scenario) was
// asked for by main.tsx as soon as the store arrived (startApp), before this
// chunk, with React and the components, was compiled.
//
// When the page shows the build's static first view (staticFirstView.ts), the
// live app replaces it once the store has shown that run (or declined it, for
// another text): its first commit then draws the same view, so the picture
// does not change under the reader, and only from then on does it answer.
import { StrictMode, useLayoutEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { firstRunDecided } from './store.ts';
import { goLive, showsStaticFirstView } from './staticFirstView.ts';

const container = document.getElementById('root');
if (!container) {
  throw new Error('skbwalk: #root element missing from index.html');
}
const root = container;

/** Hands #root to the live app in the commit that replaced the static picture (before it is painted). */
function Live({ children }: { children: ReactNode }) {
  useLayoutEffect(() => goLive(root), []);
  return children;
}

function mount(): void {
  createRoot(root).render(
    <StrictMode>
      <Live>
        <App />
      </Live>
    </StrictMode>,
  );
}

if (showsStaticFirstView(root)) void firstRunDecided().then(mount);
else mount();
