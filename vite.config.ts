/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// index.html carries a strict Content-Security-Policy (script-src 'self').
// The dev server injects an inline React Fast Refresh preamble, which that
// policy blocks, so the meta tag is dropped while serving `vite` (dev only).
// `vite build` / `vite preview` keep it unchanged.
const dropCspInDev: Plugin = {
  name: 'skbwalk:drop-csp-in-dev',
  apply: 'serve',
  transformIndexHtml(html) {
    return html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
  },
};

export default defineConfig({
  // Relative asset URLs: the built app works from any sub-path of a static host.
  base: './',
  plugins: [react(), dropCspInDev],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  worker: {
    format: 'es',
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    passWithNoTests: true,
    // The tests run any script at once, as the CLI does: every program is loaded up front.
    setupFiles: ['test/setup/programs.ts'],
    // The suite must pass on a loaded 2-core machine: no test fails because
    // a property run or an external tool (tshark, tcpdump) took more than a
    // few seconds. Speed is measured in `npm run bench`, never by timeouts.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
