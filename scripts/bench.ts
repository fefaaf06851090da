// npm run bench: engine throughput and memory, reported as rates and ratios.
//   - the seed scenario: steps/s and a random-access view cost;
//   - a 20000-echo `ping -f -c 20000 -q` across a veth pair into a namespace,
//     compared with the real kernel doing the same on this machine (measured
//     here as root with iproute2 and ping; when it cannot be, the bench says
//     why and prints no ratio).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// Measure the engine as the browser runs it: one bundle, no per-module
// indirection (tsx's on-the-fly modules add getters to every call).
const dir = mkdtempSync(join(tmpdir(), 'skbwalk-bench-'));
await build({
  stdin: {
    contents:
      "import './src/engine/userspace/all_programs.ts'; export { runScenario, RunBuilder } from './src/engine/run/run.ts'; export { viewAt } from './src/engine/run/view.ts';",
    resolveDir: new URL('..', import.meta.url).pathname,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: join(dir, 'engine.mjs'),
  logLevel: 'warning',
});
const { runScenario, viewAt } = (await import(
  pathToFileURL(join(dir, 'engine.mjs')).href
)) as typeof import('../src/engine/run/run.ts') & typeof import('../src/engine/run/view.ts');

const FLOOD = `ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.1.1.1/24 dev veth0
ip link set veth0 up
ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
ping -f -c 20000 -q 10.1.1.2
`;

function peakRss(): number {
  return process.memoryUsage().rss;
}

/** The real kernel's time for the same flood: the median and best of three, or why it could not be measured. */
type RealKernel = { seconds: number; best: number; source: string } | { failed: string };

function realKernelFloodSeconds(): RealKernel {
  // Any failing command fails the script (set -e), and the clean-up keeps its
  // status: a missing ping or a refused namespace is reported, not timed.
  const script = `set -e
command -v ping >/dev/null || { echo "ping is not installed (iputils-ping)" >&2; exit 1; }
ip link set lo up
ip netns add skbwalkbench
trap 'st=$?; set +e; ip netns del skbwalkbench 2>/dev/null; ip link del skbwb0 2>/dev/null; exit $st' EXIT
ip link add skbwb0 type veth peer name skbwb1
ip link set skbwb1 netns skbwalkbench
ip addr add 10.251.1.1/24 dev skbwb0
ip link set skbwb0 up
ip netns exec skbwalkbench ip addr add 10.251.1.2/24 dev skbwb1
ip netns exec skbwalkbench ip link set skbwb1 up
ip netns exec skbwalkbench ip link set lo up
ping -c 1 -q 10.251.1.2 >/dev/null
for i in 1 2 3; do
  s=$(date +%s.%N); ping -f -c 20000 -q 10.251.1.2 >/dev/null; e=$(date +%s.%N)
  echo "$s $e"
done`;
  if (process.getuid?.() !== 0) return { failed: 'not root (it needs network namespaces and ping -f)' };
  const r = spawnSync('unshare', ['--net', 'bash', '-c', script], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { failed: `unshare: ${r.error.message}` };
  if (r.status !== 0) {
    const why = (r.stderr ?? '').trim().split('\n').pop() || `exit status ${r.status ?? r.signal}`;
    return { failed: why };
  }
  const times = r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const [s, e] = l.split(/\s+/).map(Number);
      return e - s;
    });
  if (times.length !== 3 || !times.every((t) => Number.isFinite(t) && t > 0)) {
    return { failed: `the timings made no sense: ${JSON.stringify(r.stdout.trim())}` };
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    seconds: sorted[Math.floor(sorted.length / 2)],
    best: sorted[0],
    source: `measured on this machine: median of ${times.length} runs (${sorted.map((t) => t.toFixed(2)).join(', ')} s)`,
  };
}

function bench(name: string, text: string, viewSamples: number): { seconds: number; steps: number; rss: number } {
  const rss0 = peakRss();
  const t0 = performance.now();
  const run = runScenario(text);
  const seconds = (performance.now() - t0) / 1000;
  const rss = peakRss();
  const steps = run.rec.count;
  console.log(
    `${name}: ${run.rec.calls} kernel calls (${steps} steps: each call's entry and return), ${run.rec.events.length} tracepoint events, ${run.checkpoints.length} checkpoints`,
  );
  console.log(`  ${(run.rec.calls / seconds / 1e6).toFixed(2)} M calls/s (${(steps / seconds / 1e6).toFixed(2)} M steps/s)`);
  // Random access: views at evenly spread steps, backwards too.
  const t1 = performance.now();
  for (let i = 0; i < viewSamples; i++) viewAt(run, Math.floor(((viewSamples - i) * steps) / (viewSamples + 1)));
  const perView = (performance.now() - t1) / viewSamples;
  console.log(`  random-access view: ${perView.toFixed(2)} ms each (${viewSamples} samples, backwards)`);
  console.log(`  resident memory: ${(rss / 2 ** 20).toFixed(0)} MB (grew ${((rss - rss0) / 2 ** 20).toFixed(0)} MB)`);
  return { seconds, steps, rss };
}

const seed = readFileSync(new URL('../src/scenarios/seed-veth-same-ns.sh', import.meta.url), 'utf8');
const s = bench('seed scenario', seed, 50);
const f = bench('flood: ping -f -c 20000 -q over a veth pair into a namespace', FLOOD, 20);
// The CLI's path: outputs only, no step columns or checkpoints.
{
  const t0 = performance.now();
  const run = runScenario(FLOOD, { outputsOnly: true });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `  as the CLI runs it (outputs only): ${(20000 / seconds).toFixed(0)} echoes/s, ${(run.rec.calls / seconds / 1e6).toFixed(2)} M calls/s`,
  );
}
const real = realKernelFloodSeconds();
console.log(`  ${(20000 / f.seconds).toFixed(0)} echoes/s simulated (${((2 * 20000) / f.seconds).toFixed(0)} packets/s)`);
if ('failed' in real) {
  console.log(`  real kernel: not measured: ${real.failed}; no simulated/real ratio`);
} else {
  console.log(`  real kernel: ${(20000 / real.seconds).toFixed(0)} echoes/s (${real.source})`);
  console.log(
    `  simulated/real time ratio: ${(f.seconds / real.seconds).toFixed(2)}x against the kernel's median run, ${(f.seconds / real.best).toFixed(2)}x against its best (target < 4x)`,
  );
}
console.log(`  peak resident memory: ${(f.rss / 2 ** 20).toFixed(0)} MB (target < 400 MB)`);
// A megabyte over TCP between namespaces, every call a step (issue 9): time, memory, views.
{
  const tcp = readFileSync(new URL('../test/fixtures/tcp-1mb/scenario.sh', import.meta.url), 'utf8');
  const t = bench('tcp: 1 MB from nc in one namespace to nc -l in another', tcp, 20);
  console.log(`  ${(1 / t.seconds).toFixed(2)} MB/s simulated (${t.steps} steps for the megabyte)`);
}
console.log(`seed vs flood throughput ratio: ${(s.steps / s.seconds / (f.steps / f.seconds)).toFixed(2)}`);

// The CLI as users run it (bin/skbwalk.mjs, the plain-JavaScript build), from
// process start to exit with every file written: a tiny scenario's start-up
// against Node's own, and the whole flood against the real kernel's.
spawnSync(process.execPath, [new URL('./build-cli.mjs', import.meta.url).pathname], { stdio: 'inherit' });
const BIN = new URL('../bin/skbwalk.mjs', import.meta.url).pathname;
// Prints the process's peak resident memory as it exits.
const MAXRSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nbench-maxrss-kb="+process.resourceUsage().maxRSS+"\\n"))';

function timedProcess(args: string[]): { seconds: number; maxRssMB: number; status: number | null; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', MAXRSS_HOOK, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  const m = /bench-maxrss-kb=(\d+)/.exec(r.stderr ?? '');
  return { seconds, maxRssMB: m ? Number(m[1]) / 1024 : NaN, status: r.status, stderr: r.stderr ?? '' };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cliDir = mkdtempSync(join(tmpdir(), 'skbwalk-bench-cli-'));
try {
  const tiny = join(cliDir, 'tiny.sh');
  writeFileSync(tiny, 'ip link add veth0 type veth peer name veth1\nip link set veth0 up\nip -br link\n');
  const nodeAlone: number[] = [];
  const tinyRuns: number[] = [];
  for (let i = 0; i < 7; i++) {
    nodeAlone.push(timedProcess(['-e', '0']).seconds);
    const r = timedProcess([BIN, 'run', tiny, '--out', join(cliDir, 'tiny-out')]);
    if (r.status !== 0) throw new Error(`skbwalk run failed: ${r.stderr}`);
    tinyRuns.push(r.seconds);
  }
  console.log('CLI (bin/skbwalk.mjs run, plain JavaScript, process start to exit)');
  console.log(
    `  tiny scenario: ${(median(tinyRuns) * 1000).toFixed(0)} ms median of ${tinyRuns.length} (node -e 0 alone: ${(median(nodeAlone) * 1000).toFixed(0)} ms; skbwalk adds ${((median(tinyRuns) - median(nodeAlone)) * 1000).toFixed(0)} ms; target well under 500 ms)`,
  );
  const flood = join(cliDir, 'flood.sh');
  writeFileSync(flood, FLOOD);
  const floodRuns: { seconds: number; maxRssMB: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const r = timedProcess([BIN, 'run', flood, '--out', join(cliDir, 'flood-out')]);
    if (r.status !== 0) throw new Error(`skbwalk run failed: ${r.stderr}`);
    floodRuns.push(r);
  }
  const cliReal = realKernelFloodSeconds();
  const cliSeconds = median(floodRuns.map((r) => r.seconds));
  const cliBest = Math.min(...floodRuns.map((r) => r.seconds));
  const cliRss = Math.max(...floodRuns.map((r) => r.maxRssMB));
  console.log(
    `  flood (ping -f -c 20000 -q into a namespace, every file written): ${cliSeconds.toFixed(2)} s median of ${floodRuns.length} (${floodRuns.map((r) => r.seconds.toFixed(2)).join(', ')} s)`,
  );
  if ('failed' in cliReal) {
    console.log(`  real kernel, same flood: not measured: ${cliReal.failed}; no CLI/real ratio`);
  } else {
    console.log(`  real kernel, same flood, measured just after: ${cliReal.seconds.toFixed(2)} s (${cliReal.source})`);
    console.log(
      `  CLI/real time ratio: ${(cliSeconds / cliReal.seconds).toFixed(2)}x median to median, ${(cliBest / cliReal.best).toFixed(2)}x best to best (target < 4x)`,
    );
  }
  console.log(`  CLI peak resident memory: ${cliRss.toFixed(0)} MB (target < 400 MB)`);
} finally {
  rmSync(cliDir, { recursive: true, force: true });
}

// Output modes: ping -f without -q prints a dot per echo and "\b \b" per
// reply on one unfinished line; that must cost about what -q costs (< 2x).
const DOTS = FLOOD.replace('ping -f -c 20000 -q', 'ping -f -c 20000');
const t0 = performance.now();
runScenario(DOTS);
const dotsSeconds = (performance.now() - t0) / 1000;
console.log(
  `flood without -q (dots): ${dotsSeconds.toFixed(2)} s, ${(dotsSeconds / f.seconds).toFixed(2)}x the -q run (target < 2x)`,
);

// Soak: the 5-million-call run (ping -c 1000000 stops at the step limit),
// simulated in the slices the worker and the CLI use; the longest slice is
// the longest the engine keeps its thread without a break.
{
  const { RunBuilder } = (await import(pathToFileURL(join(dir, 'engine.mjs')).href)) as typeof import('../src/engine/run/run.ts');
  const SOAK = FLOOD.replace('ping -f -c 20000 -q', 'ping -c 1000000');
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let longest = 0;
  const start = performance.now();
  const builder = new RunBuilder(SOAK);
  for (;;) {
    const t = performance.now();
    const done = builder.advance(100_000);
    longest = Math.max(longest, performance.now() - t);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (done) break;
  }
  const run = builder.result();
  const seconds = (performance.now() - start) / 1000;
  console.log(`soak: ping -c 1000000: ${builder.calls} kernel calls (${run.rec.count} steps) in ${seconds.toFixed(1)} s`);
  console.log(`  ${run.stoppedBy ?? 'ran to the end'}`);
  console.log(
    `  peak resident memory: ${(peak / 2 ** 20).toFixed(0)} MB (grew ${((peak - rss0) / 2 ** 20).toFixed(0)} MB); ` +
      `${run.checkpoints.length} checkpoints, ${run.rec.events.length} events`,
  );
  console.log(`  longest slice of 100000 steps: ${longest.toFixed(0)} ms (the worker reports progress after each)`);
}
