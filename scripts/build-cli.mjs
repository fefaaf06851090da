#!/usr/bin/env node
// Builds the CLI into one plain-JavaScript file, dist-cli/skbwalk.mjs, that
// bin/skbwalk.mjs runs: no TypeScript compiler at run time, and nothing but
// Node's own modules (the engine is pure). Run by `npm ci`/`npm install`
// (prepare), `npm start`, `npm test` and `npm run build:cli`.
//
// esbuild is a devDependency: where only dependencies are installed
// (`npm ci --omit=dev` in a copy that was built before), there is nothing to
// build with, and the file already built is used as it is.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist-cli/skbwalk.mjs`;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (existsSync(outfile)) {
    console.log('build-cli: esbuild is not installed (dev dependencies omitted); using the CLI built before');
    process.exit(0);
  }
  console.error('build-cli: esbuild is not installed and dist-cli/skbwalk.mjs was never built; run `npm install` first');
  process.exit(1);
}

await esbuild.build({
  entryPoints: [`${root}src/cli/main.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  logLevel: 'warning',
  legalComments: 'none',
});
