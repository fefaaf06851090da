#!/usr/bin/env node
// Builds the CLI into one plain-JavaScript script, dist-cli/skbwalk.cjs, that
// bin/skbwalk.mjs runs: no TypeScript compiler at run time, and nothing but
// Node's own modules (the engine is pure). Run by `npm ci`/`npm install`
// (prepare), `npm start`, `npm test` and `npm run build:cli`.
//
// Then it runs the CLI once on a small scenario (ip, a capture, pings and a
// short flood) and keeps V8's code cache of that run,
// dist-cli/skbwalk.code-cache: the bytecode of the script and of every
// function the run called, which bin/skbwalk.mjs hands to V8 so that a run
// starts without parsing and compiling them (see there).
//
// esbuild is a devDependency: where only dependencies are installed
// (`npm ci --omit=dev` in a copy that was built before), there is nothing to
// build with, and the files already built are used as they are.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist-cli/skbwalk.cjs`;
const codeCache = `${root}dist-cli/skbwalk.code-cache`;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (existsSync(outfile)) {
    console.log('build-cli: esbuild is not installed (dev dependencies omitted); using the CLI built before');
    process.exit(0);
  }
  console.error('build-cli: esbuild is not installed and dist-cli/skbwalk.cjs was never built; run `npm install` first');
  process.exit(1);
}

// A cache of the previous bundle would be refused; without one the warm-up compiles from scratch.
rmSync(codeCache, { force: true });
// The module the CLI was built as before it had a code cache: nothing runs it now, and it would be stale.
rmSync(`${root}dist-cli/skbwalk.mjs`, { force: true });
await esbuild.build({
  entryPoints: [`${root}src/cli/main.ts`],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'warning',
  legalComments: 'none',
});

const WARM_UP = `ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.1.1.1/24 dev veth0
ip link set veth0 up
ip -n ns1 addr add 10.1.1.2/24 dev veth1
ip -n ns1 link set veth1 up
tcpdump -i veth0
ping -c 2 10.1.1.2
ping -f -c 100 -q 10.1.1.2
`;
const dir = mkdtempSync(join(tmpdir(), 'skbwalk-build-cli-'));
try {
  writeFileSync(join(dir, 'warm-up.sh'), WARM_UP);
  const warm = spawnSync(
    process.execPath,
    [`${root}bin/skbwalk.mjs`, 'run', join(dir, 'warm-up.sh'), '--out', join(dir, 'out')],
    { env: { ...process.env, SKBWALK_WRITE_CODE_CACHE: codeCache }, encoding: 'utf8' },
  );
  if (warm.status !== 0) {
    // The CLI works without its cache; a run that fails here is a bug the tests will show.
    console.error(`build-cli: the warm-up run failed (status ${warm.status ?? warm.signal}); no code cache\n${warm.stderr}`);
    rmSync(codeCache, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
