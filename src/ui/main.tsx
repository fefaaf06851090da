import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { prewarmEngine } from './engineClient.ts';
import './styles.css';

prewarmEngine();

const container = document.getElementById('root');
if (!container) {
  throw new Error('skbwalk: #root element missing from index.html');
}

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
