// A bare Vite + React page, built with skbwalk's own Vite and React plugin, as
// the baseline of scripts/bench-ui.ts. The bench passes build.outDir (a temp
// dir); run by hand: npx vite build --config bench/bare-react/vite.config.ts --outDir /tmp/bare
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    emptyOutDir: true,
  },
});
