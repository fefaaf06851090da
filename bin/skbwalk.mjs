#!/usr/bin/env node
// The skbwalk CLI: the engine and the commands, built into plain JavaScript
// by scripts/build-cli.mjs (run by `npm install`/`npm ci`).
import { existsSync } from 'node:fs';

const built = new URL('../dist-cli/skbwalk.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('skbwalk: the CLI is not built (dist-cli/skbwalk.mjs is missing); run `npm run build:cli`\n');
  process.exit(2);
}
await import(built.href);
