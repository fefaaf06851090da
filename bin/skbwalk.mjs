#!/usr/bin/env node
// The skbwalk CLI: the engine and the commands, built into one plain
// JavaScript script by scripts/build-cli.mjs (run by `npm install`/`npm ci`).
//
// The script is compiled with the V8 code cache the build made by running it
// once (dist-cli/skbwalk.code-cache): V8 then neither parses the half
// megabyte of source nor compiles the functions a run calls, which is most of
// skbwalk's start-up. Node 20 has no module.enableCompileCache (22.1+), so
// the cache is handed to vm.Script, which takes a script, not a module: the
// bundle is CommonJS, run here as Node's own loader would run it. A cache
// made by another Node or V8 is refused by V8 and costs only the compile it
// would have saved.
//
// SKBWALK_WRITE_CODE_CACHE=FILE (for the build) writes the cache of this run
// to FILE at exit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const built = fileURLToPath(new URL('../dist-cli/skbwalk.cjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('skbwalk: the CLI is not built (dist-cli/skbwalk.cjs is missing); run `npm run build:cli`\n');
  process.exit(2);
}
let cachedData;
try {
  cachedData = readFileSync(fileURLToPath(new URL('../dist-cli/skbwalk.code-cache', import.meta.url)));
} catch {
  // No cache (an older build, or removed): V8 compiles as it goes.
}
// The wrapper stays on the script's first line, so its line numbers are the bundle's.
const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(built, 'utf8')}\n})`;
const script = new Script(wrapped, { filename: built, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(built), module, built, dirname(built));
const cacheOut = process.env.SKBWALK_WRITE_CODE_CACHE;
if (cacheOut) process.on('exit', () => writeFileSync(cacheOut, script.createCachedData()));
