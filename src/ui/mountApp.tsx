// Renders the explorer. The run (the link's or the editor's scenario) was
// asked for by main.tsx as soon as the store arrived (startApp), before this
// chunk, with React and the components, was compiled.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

const container = document.getElementById('root');
if (!container) {
  throw new Error('skbwalk: #root element missing from index.html');
}

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
