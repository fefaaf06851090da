/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { firstRunPlugin } from './scripts/firstRunPlugin.ts';

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

// The entry (src/ui/main.tsx) starts the engine's worker and imports the
// app's two startup chunks (the store with the link's reader, and mountApp
// with React and the explorer) dynamically, so the browser would only learn
// of them once the entry has been fetched, compiled and run. The page names
// them (and what they import) as modulepreloads, so they are fetched beside
// the entry. Every chunk the entry imports dynamically is one of these: the
// rest of the app is fetched from those chunks, after the first view.
const preloadStartupChunks: Plugin = {
  name: 'skbwalk:preload-startup-chunks',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      const bundle = ctx.bundle;
      const entry = bundle && Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!bundle || !entry || entry.type !== 'chunk') return html;
      const chunks = new Set<string>();
      const add = (file: string) => {
        const c = bundle[file];
        if (chunks.has(file) || file === entry.fileName || c?.type !== 'chunk') return;
        chunks.add(file);
        c.imports.forEach(add);
      };
      entry.dynamicImports.forEach(add);
      return {
        html,
        tags: [...chunks].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        })),
      };
    },
  },
};

export default defineConfig({
  // Relative asset URLs: the built app works from any sub-path of a static host.
  base: './',
  plugins: [react(), dropCspInDev, preloadStartupChunks, firstRunPlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every browser skbwalk runs in preloads modules itself.
    modulePreload: { polyfill: false },
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
