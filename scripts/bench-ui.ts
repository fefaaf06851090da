// npm run bench (second half): the explorer in real Chromium, reported as
// ratios and percentiles.
//   - load: navigation start -> the Topology diagram has its device nodes drawn
//     (a frame painted after they appear), median of 5 cold loads, against a
//     bare Vite + React page's first heading (bench/bare-react); then when
//     the live app has replaced the build's static picture (staticFirstView.ts)
//     and answers; and the same scenario opened by a link (the engine's worker
//     computes it);
//   - step latency: "Step into" click -> status "Step N of M" updated -> the
//     frame showing it painted, p50/p95 over 300 steps, on the seed, on the
//     five-namespace chain and on 100 namespaces; in a browser that makes a
//     frame as soon as there is something to paint (what the step costs), with
//     the main thread's CPU time per step from Chromium's trace, and at 60 Hz;
//   - playing at the highest speed for ~5 s: long tasks and frames over 20 ms;
//   - the 5-million-step run (ping -c 1000000) opened by link: the longest
//     main-thread task while it computes and arrives, and on a far jump; the
//     tab's peak memory (its renderer process's peak resident set, the engine
//     worker's heap included, and the page's own peak JS heap);
//   - JS shipped: gzip bytes of the JS the browser fetched before the live
//     app's first diagram was painted (the engine's worker included; the
//     static picture before it needs none), against the bare
//     page's; the chunks loaded later (the code editor, animation, pan and
//     zoom) and the total of dist/assets/*.js are listed beside it.
// SKBWALK_BENCH_ONLY=load,seed,chain,hundred,soak,js picks parts,
// SKBWALK_BENCH_DIST=DIR measures a build as it is (a build from before a
// change, run in turn with the worktree's), SKBWALK_BENCH_PORT the app's port.
// Its waits are long (minutes): on a shared, loaded machine the 100-namespace
// run alone can take a minute, and the bench must still measure it.
// It reports; it never fails on a missed target. It exits 1 only when the app
// cannot be measured at all (no build, no server, the page never draws).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Request } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { encodeState } from '../src/ui/share/urlState.ts';
import { SHARE_FORMAT } from '../src/ui/share/linkFormat.ts';
import { clickToPaintCpu, traceTasks, tracedTasks } from '../e2e/mainThread.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
// As playwright.config.ts launches it.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * The step latency's browser: frames are made as soon as there is something to
 * paint instead of on a 60 Hz clock, so click -> painted is what the step costs
 * (input, handlers, render, style, layout, paint), not that plus the wait for
 * the next tick of the frame clock, 0-16.7 ms by chance. A 60 Hz display
 * rounds that cost up to its next frame: a step costing at most a frame
 * interval shows at the first frame after the click, which is the target.
 */
const UNTHROTTLED_ARGS = [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'];
const VIEWPORT = { width: 1366, height: 850 };
/** Which parts to measure (SKBWALK_BENCH_ONLY=load,seed,chain,hundred,soak,js; all by default). */
const PARTS = new Set((process.env.SKBWALK_BENCH_ONLY ?? 'load,seed,chain,hundred,soak,js').split(',').map((x) => x.trim()));
/** A build of the app to measure as it is (SKBWALK_BENCH_DIST), e.g. the one before a change; by default the worktree is built. */
const PREBUILT = process.env.SKBWALK_BENCH_DIST;
/** The app's server port (SKBWALK_BENCH_PORT; 4199 by default); the bare page's is the next one, or any free one. */
const PORT = Number(process.env.SKBWALK_BENCH_PORT ?? 4199);

const LOADS = 5;
const STEPS = 300;
const PLAY_MS = 5000;
const TARGET = { loadRatio: 1.5, stepP95: 16.7, chainStepP95: 33, longTaskMs: 50, jsRatio: 2.5 };

const STATUS_RE = /^Step (\d+) of (\d+)$/;

// ---------- helpers ----------

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const kb = (x: number) => `${(x / 1024).toFixed(1)} KiB`;
const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const got = (srv.address() as { port: number }).port;
        srv.close(() => resolve(got));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0))!;
}

async function serve(outDir: string, configFile: string | false, port: number): Promise<PreviewServer> {
  const server = await preview({
    configFile,
    root: ROOT,
    base: './',
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  return server;
}

/** gzip -9 sizes of the JS files in `dir`, each and in all. */
function gzipJs(dir: string): { raw: number; gz: number; sizes: Map<string, number> } {
  let raw = 0;
  let gz = 0;
  const sizes = new Map<string, number>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const b = readFileSync(join(dir, f));
    const z = gzipSync(b, { level: 9 }).length;
    raw += b.length;
    gz += z;
    sizes.set(f, z);
  }
  return { raw, gz, sizes };
}

// ---------- in-page probes ----------

// tsx compiles this file with esbuild's keepNames, which wraps named functions
// in a __name() helper; the functions below run in the page, so give the page one.
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

async function newContext(browser: Browser) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  await ctx.addInitScript(NAME_SHIM);
  return ctx;
}

/**
 * Installed before the page's scripts: records when each of `selectors` first
 * exists and when the frame showing it has been painted (the second rAF after
 * it appears), in ms since navigation start (performance.now()).
 */
function drawProbe(selectors: string[]): void {
  type Drawn = { seen: number; frame: number; painted: number };
  const w = window as unknown as { __drawn?: Record<string, Drawn> };
  const drawn: Record<string, Drawn> = (w.__drawn = {});
  const check = () => {
    for (const selector of selectors) {
      if (drawn[selector] || !document.querySelector(selector)) continue;
      const d: Drawn = { seen: performance.now(), frame: NaN, painted: NaN };
      drawn[selector] = d;
      requestAnimationFrame(() => {
        // The frame that paints it has begun (its paint follows the rAF callbacks).
        d.frame = performance.now();
        setTimeout(() => (d.painted = performance.now()), 0);
      });
    }
    return selectors.every((sel) => drawn[sel]);
  };
  const mo = new MutationObserver(() => {
    if (check()) mo.disconnect();
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true });
}

/** The diagram drawn: the static first view's or the live app's. */
const DIAGRAM = '[data-testid="dev-lo"]';
/** The diagram drawn by the live app (the static first view, staticFirstView.ts, replaced). */
const LIVE_DIAGRAM = '#root:not([data-static-first-view]) [data-testid="dev-lo"]';

/**
 * A cold load: when the diagram was painted (the first of `selectors`), when
 * each of the others was, and the JS files (names) fetched before the last was
 * (the live app's: what a page that answers needs).
 */
async function coldLoad(
  browser: Browser,
  url: string,
  selectors: string[],
): Promise<{ painted: number; also: number[]; js: string[] }> {
  // A fresh context each time: empty HTTP cache, empty storage (seed scenario).
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    // Requests from the page and from its dedicated workers (the engine) alike.
    const requests: Request[] = [];
    ctx.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('.js')) requests.push(r);
    });
    await page.addInitScript(drawProbe, selectors);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      (sels) => {
        const d = (window as unknown as { __drawn?: Record<string, { painted: number }> }).__drawn;
        return sels.every((sel) => Number.isFinite(d?.[sel]?.painted));
      },
      selectors,
      {
        timeout: 120_000,
        polling: 50,
      },
    );
    const [painted, frameAt, also] = await page.evaluate((sels) => {
      const d = (window as unknown as { __drawn: Record<string, { frame: number; painted: number }> }).__drawn;
      const last = d[sels[sels.length - 1]];
      return [d[sels[0]].painted, performance.timeOrigin + last.frame, sels.slice(1).map((sel) => d[sel].painted)] as const;
    }, selectors);
    // Started before the frame that paints the (live) diagram, by the browser's own clock (what the app
    // fetches once that frame is painted starts a moment later: this process hears of it too late to tell).
    const js: string[] = [];
    for (const r of [...requests]) {
      await r.response();
      if (r.timing().startTime < frameAt) js.push(new URL(r.url()).pathname.split('/').pop() ?? '');
    }
    return { painted, also: [...also], js: [...new Set(js)] };
  } finally {
    await ctx.close();
  }
}

async function openApp(browser: Browser, url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const ctx = await newContext(browser);
  // A returning reader: the first-visit tour (a modal dialog) would hide the explorer.
  await ctx.addInitScript(() => localStorage.setItem('skbwalk.tour', 'done'));
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page
    .getByRole('status')
    .filter({ hasText: /^Step 0 of \d+$/ })
    .waitFor({ timeout: 120_000 });
  await page.getByTestId('dev-lo').first().waitFor({ timeout: 120_000 });
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return { page, close: () => ctx.close() };
}

/**
 * Clicks "Step into" `n` times inside the page and times each one:
 * click -> the status element's text changes to the next step (a
 * MutationObserver) -> the next paint (rAF, then a task). At the end of the run it
 * restarts (untimed) and goes on.
 */
async function stepLatencies(page: Page, n: number): Promise<{ total: number; lat: number[]; toMutation: number[] }> {
  return page.evaluate(async (count) => {
    const statusEl = document.querySelector('[role="status"]')!;
    const buttons = [...document.querySelectorAll('button')];
    const into = buttons.find((b) => b.textContent?.trim() === 'Step into')!;
    const restart = buttons.find((b) => b.textContent?.trim() === 'Restart')!;
    const re = /^Step (\d+) of (\d+)$/;
    const parse = () => re.exec(statusEl.textContent ?? '');
    const total = Number(parse()![2]);
    const frame = () => new Promise<number>((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
    const waitText = (want: string) =>
      new Promise<number>((resolve, reject) => {
        if (statusEl.textContent === want) return resolve(performance.now());
        const timer = setTimeout(() => {
          mo.disconnect();
          reject(new Error(`status never read "${want}" (reads "${statusEl.textContent}")`));
        }, 10_000);
        const mo = new MutationObserver(() => {
          if (statusEl.textContent === want) {
            const t = performance.now();
            mo.disconnect();
            clearTimeout(timer);
            resolve(t);
          }
        });
        mo.observe(statusEl, { childList: true, characterData: true, subtree: true });
      });
    const lat: number[] = [];
    const toMutation: number[] = [];
    await frame();
    while (lat.length < count) {
      const step = Number(parse()![1]);
      if (step >= total || into.disabled) {
        restart.click();
        await waitText(`Step 0 of ${total}`);
        await frame();
        continue;
      }
      const want = `Step ${step + 1} of ${total}`;
      const t0 = performance.now();
      const changed = waitText(want);
      into.click();
      const t1 = await changed;
      const t2 = await frame();
      lat.push(t2 - t0);
      toMutation.push(t1 - t0);
    }
    return { total, lat, toMutation };
  }, n);
}

/**
 * The floor of the step-latency measure: on the bare page, a text change made
 * from a task (as a worker answer arrives) -> MutationObserver -> the next
 * paint (a rAF callback, then a task after the frame it belongs to), with no
 * work at all: what the measure costs by itself, up to one frame interval.
 */
async function frameFloor(browser: Browser, url: string, n: number): Promise<number[]> {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    await page.goto(url);
    await page.locator('h1').waitFor();
    return await page.evaluate(async (count) => {
      const h1 = document.querySelector('h1')!;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
      const out: number[] = [];
      await frame();
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        const changed = new Promise<void>((resolve) => {
          const mo = new MutationObserver(() => {
            mo.disconnect();
            resolve();
          });
          mo.observe(h1, { childList: true, characterData: true, subtree: true });
        });
        setTimeout(() => (h1.textContent = `bare Vite + React ${i}`), 0);
        await changed;
        out.push((await frame()) - t0);
      }
      return out;
    }, n);
  } finally {
    await ctx.close();
  }
}

/** Plays at the highest speed for `durationMs`: long tasks, slow frames, steps covered. */
async function playJank(page: Page, durationMs: number) {
  const speed = page.getByRole('combobox', { name: 'Speed' });
  const values = await speed.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
  const top = Math.max(...values);
  await speed.selectOption(String(top));
  return {
    speed: top,
    ...(await page.evaluate(async (duration) => {
      const longTasks: number[] = [];
      const po = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      po.observe({ type: 'longtask', buffered: false });
      const statusEl = document.querySelector('[role="status"]')!;
      const play = document.querySelector<HTMLButtonElement>('button.play')!;
      const stepNow = () => Number(/^Step (\d+)/.exec(statusEl.textContent ?? '')?.[1] ?? 0);
      let frames = 0;
      let slow = 0;
      let maxFrame = 0;
      let steps = 0;
      let last = stepNow();
      let restarts = 0;
      const start = performance.now();
      play.click();
      await new Promise<void>((resolve) => {
        let prev = performance.now();
        const tick = (t: number) => {
          const d = t - prev;
          prev = t;
          frames++;
          if (d > 20) slow++;
          maxFrame = Math.max(maxFrame, d);
          const s = stepNow();
          if (s > last) steps += s - last;
          last = s;
          // Stopped at the end of the run: play again (starts over from step 0).
          if (play.textContent?.trim() === 'Play' && !play.disabled) {
            restarts++;
            play.click();
          }
          if (t - start < duration) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      if (play.textContent?.trim() === 'Pause') play.click();
      await new Promise((r) => setTimeout(r, 100));
      po.disconnect();
      const elapsed = performance.now() - start;
      return { elapsed, frames, slow, maxFrame, steps, restarts, longTasks };
    }, durationMs)),
  };
}

/** The generated 100-namespace topology: a veth pair from the host into each, one ping. */
function hundredNamespaces(): string {
  const lines = ['# 100 namespaces, each with a veth pair to the host; one ping into ns42'];
  for (let k = 1; k <= 100; k++) {
    lines.push(
      `ip netns add ns${k}`,
      `ip link add v${k} type veth peer name p${k} netns ns${k}`,
      `ip addr add 10.0.${k}.1/24 dev v${k}`,
      `ip link set v${k} up`,
      `ip -n ns${k} addr add 10.0.${k}.2/24 dev p${k}`,
      `ip -n ns${k} link set p${k} up`,
    );
  }
  lines.push('ping -c 1 10.0.42.2');
  return lines.join('\n') + '\n';
}

async function loadScenario(page: Page, text: string, drawn: string): Promise<number> {
  const before = await page.getByRole('status').textContent();
  await page.getByRole('textbox', { name: 'Scenario' }).fill(text);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(
    ([prev, sel]) => {
      const t = document.querySelector('[role="status"]')?.textContent ?? '';
      return /^Step 0 of \d+$/.test(t) && t !== prev && document.querySelector(sel) !== null;
    },
    [before, drawn] as const,
    { timeout: 300_000, polling: 50 },
  );
  return Number(STATUS_RE.exec((await page.getByRole('status').textContent()) ?? '')![2]);
}

/** ping -c 1000000 stops at the limit of 5000000 kernel calls (the issue's 5-million-step run). */
const SOAK = `# a million pings
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 10.1.1.1/24 dev veth0
ip link set veth0 up
ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
ping -c 1000000 10.1.1.2
`;

/** The peak resident set of every renderer process the browser has now (VmHWM, Linux), in bytes. */
async function rendererPeaks(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    return processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => {
        try {
          const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1];
          return kb ? Number(kb) * 1024 : 0;
        } catch {
          return 0; // the process has gone
        }
      });
  } finally {
    await cdp.detach();
  }
}

/**
 * The 5-million-step run opened in the running app (a link set as the
 * fragment): the longest main-thread task while it computes and arrives, and
 * while the timeline jumps far into it; the tab's peak memory meanwhile.
 */
async function soakRun(browser: Browser, url: string) {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    // The page's JS heap, read every 250 ms (the engine's heap is its worker's: counted in the process's).
    const cdp = await ctx.newCDPSession(page);
    let heapPeak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { usedSize } = (await cdp.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 }))) as {
          usedSize: number;
        };
        heapPeak = Math.max(heapPeak, usedSize);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url);
    await page
      .getByRole('status')
      .filter({ hasText: /^Step 0 of \d+$/ })
      .waitFor({ timeout: 30_000 });
    const longest = async () => {
      const tasks = await page.evaluate(() => {
        const w = window as unknown as { __longTasks: number[] };
        const t = w.__longTasks;
        w.__longTasks = [];
        return t;
      });
      return Math.max(0, ...tasks);
    };
    await longest();
    const fragment = await encodeState({ v: 2, scenario: SOAK, step: 0 });
    const t0 = Date.now();
    await page.evaluate((hash) => (location.hash = hash), fragment);
    await page
      .getByRole('status')
      .filter({ hasText: /^Step 0 of \d{7,}$/ })
      .waitFor({ timeout: 600_000 });
    const runMs = Date.now() - t0;
    const total = Number(STATUS_RE.exec((await page.getByRole('status').textContent()) ?? '')![2]);
    const arrival = await longest();
    const far = Math.floor(total * 0.9);
    const t1 = Date.now();
    await page.getByRole('slider', { name: 'Timeline' }).fill(String(far));
    await page
      .getByRole('status')
      .filter({ hasText: `Step ${far} of ${total}` })
      .waitFor({ timeout: 120_000 });
    const jumpMs = Date.now() - t1;
    const jump = await longest();
    sampling = false;
    await sampler;
    // Every renderer of this browser is this context's now (the earlier contexts are closed): the largest is the tab's.
    const processPeak = Math.max(0, ...(await rendererPeaks(browser)));
    return { total, runMs, arrival, jumpMs, jump, heapPeak, processPeak };
  } finally {
    await ctx.close();
  }
}

// ---------- main ----------

/** The five-namespace chain of issue 7 (a pings b across two routers), as diagram.spec draws it. */
const CHAIN = readFileSync(join(ROOT, 'test/fixtures/diagram/chain-five-ns.sh'), 'utf8');

/** A scenario to step through: null for the seed (the page as it opens), or a script and a device it draws. */
interface Stepped {
  name: string;
  script: { text: string; drawn: string } | null;
  target: number;
}

/** Opens the app on `s` (the seed, or the script run from the editor): the page and the run's step count. */
async function openScenario(browser: Browser, url: string, s: Stepped) {
  const app = await openApp(browser, url);
  const t0 = Date.now();
  const total = s.script ? await loadScenario(app.page, s.script.text, s.script.drawn) : 0;
  return { ...app, total, runMs: Date.now() - t0 };
}

/**
 * Step latency in the unthrottled browser, with the main thread's tasks traced:
 * their CPU time per step (the thread's own clock: what a step costs whatever
 * else the machine runs) and the longest task's.
 */
async function tracedStepping(browser: Browser, url: string, s: Stepped) {
  const app = await openScenario(browser, url, s);
  try {
    await traceTasks(browser, app.page, true);
    const steps = await stepLatencies(app.page, STEPS);
    const tasks = await tracedTasks(browser);
    return {
      ...steps,
      cpu: clickToPaintCpu(tasks),
      maxTaskCpu: Math.max(...tasks.map((t) => t.cpu)),
      runMs: app.runMs,
    };
  } finally {
    await app.close();
  }
}

/** At 60 Hz: step latency as before (the wait for the frame clock included), then playing at the highest speed. */
async function steppingAt60Hz(browser: Browser, url: string, s: Stepped) {
  const app = await openScenario(browser, url, s);
  try {
    const steps = await stepLatencies(app.page, STEPS);
    await app.page
      .getByRole('button', { name: 'Restart', exact: true })
      .click()
      .catch(() => undefined);
    await traceTasks(browser, app.page);
    const play = await playJank(app.page, PLAY_MS);
    const playCpu = Math.max(...(await tracedTasks(browser)).map((t) => t.cpu));
    return { steps, play, playCpu, total: steps.total };
  } finally {
    await app.close();
  }
}

const out: string[] = [];
const say = (s: string) => {
  console.log(s);
  out.push(s);
};

const servers: PreviewServer[] = [];
let browser: Browser | null = null;
let unthrottled: Browser | null = null;
const bareDir = mkdtempSync(join(tmpdir(), 'skbwalk-bare-react-'));
let status = 0;

try {
  const appDist = PREBUILT ?? DIST;
  if (PREBUILT) console.log(`UI bench: measuring the build in ${PREBUILT}; building the bare Vite + React page...`);
  else {
    console.log('UI bench: building the app (vite build) and the bare Vite + React page...');
    await build({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'warn' });
  }
  await build({
    configFile: join(ROOT, 'bench/bare-react/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: bareDir, emptyOutDir: true },
  });

  const appPort = await freePort(PORT);
  servers.push(await serve(appDist, join(ROOT, 'vite.config.ts'), appPort));
  const barePort = await freePort(PORT - 1);
  servers.push(await serve(bareDir, false, barePort));
  const APP = `http://127.0.0.1:${appPort}/`;
  const BARE = `http://127.0.0.1:${barePort}/`;

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  unthrottled = await chromium.launch({ executablePath: CHROMIUM, args: UNTHROTTLED_ARGS });
  console.log(`UI bench: Chromium ${browser.version()}, app at ${APP}, bare page at ${BARE}`);
  const load = loadavg();
  say('');
  say('==================== skbwalk UI bench ====================');
  say(
    `Chromium ${browser.version()} (headless, --disable-gpu), viewport ${VIEWPORT.width}x${VIEWPORT.height}; load average at the start ${load.map((x) => x.toFixed(1)).join(' ')}`,
  );
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');

  // 1. Load to first drawn diagram vs the bare page's heading (interleaved, cold).
  // The JS files any of the counted loads fetched before its diagram was painted.
  const firstViewJs = new Set<string>();
  if (PARTS.has('load') || PARTS.has('js')) {
    // Warm the servers and the OS file cache once; those loads are not counted.
    await coldLoad(browser, APP, [DIAGRAM]);
    await coldLoad(browser, BARE, ['h1']);
    // The same scenario opened by a link: the page cannot use the run the build computed for
    // the default page, so the engine's worker computes it (as for any link or edited text).
    const seedText = readFileSync(join(ROOT, 'src/scenarios/seed-veth-same-ns.sh'), 'utf8');
    const LINKED = `${APP}${await encodeState({ v: SHARE_FORMAT, scenario: seedText, step: 0 })}`;
    const appLoads: number[] = [];
    const liveLoads: number[] = [];
    const linkLoads: number[] = [];
    const bareLoads: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const app = await coldLoad(browser, APP, [DIAGRAM, LIVE_DIAGRAM]);
      appLoads.push(app.painted);
      liveLoads.push(app.also[0]);
      for (const f of app.js) firstViewJs.add(f);
      // (The page holds the static picture, hidden, until the live app replaces it: only the live one counts.)
      linkLoads.push((await coldLoad(browser, LINKED, [LIVE_DIAGRAM])).painted);
      bareLoads.push((await coldLoad(browser, BARE, ['h1'])).painted);
    }
    const loadRatio = median(appLoads) / median(bareLoads);
    const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const vsBare = (xs: number[]) => `${ms(median(xs))}, ${(median(xs) / median(bareLoads)).toFixed(2)}x  [${list(xs)}]`;
    say(`load -> first drawn diagram (median of ${LOADS} cold loads, nav start -> frame painted):`);
    say(`  skbwalk Topology devices drawn: ${ms(median(appLoads))}  [${list(appLoads)}]`);
    say(`  bare Vite+React first heading:  ${ms(median(bareLoads))}  [${list(bareLoads)}]`);
    say(`  ratio: ${loadRatio.toFixed(2)}x (target <= ${TARGET.loadRatio}x) [${ok(loadRatio <= TARGET.loadRatio)}]`);
    say(`  the live app drawn over the build's static picture (it answers from then on): ${vsBare(liveLoads)}`);
    say(`  the same scenario opened by a link (run by the engine's worker): ${vsBare(linkLoads)}`);
  }

  // 2. Step latency and playing: the seed, the five-namespace chain, 100 namespaces.
  const scenarios: Stepped[] = [
    { name: 'seed', script: null, target: TARGET.stepP95 },
    { name: 'chain', script: { text: CHAIN, drawn: '[data-testid="dev-vb"]' }, target: TARGET.chainStepP95 },
    { name: 'hundred', script: { text: hundredNamespaces(), drawn: '[data-testid="dev-v100"]' }, target: NaN },
  ].filter((s) => PARTS.has(s.name));
  if (scenarios.length) {
    const floor = await frameFloor(unthrottled, BARE, STEPS);
    const floor60 = await frameFloor(browser, BARE, STEPS);
    say(
      'step latency: "Step into" clicked -> status "Step N of M" updated -> the frame showing it painted, p50/p95 of 300 steps;',
    );
    say(
      '  frames made when there is something to paint (what the step costs; target p95 <= 16.7 ms seed, 33 ms chain), then at 60 Hz (that plus the wait for the frame clock)',
    );
    say(
      `  floor (bare page, text change -> painted, no work): p50 ${ms(median(floor))} p95 ${ms(quantile(floor, 0.95))}; at 60 Hz p50 ${ms(median(floor60))} p95 ${ms(quantile(floor60, 0.95))}`,
    );
    for (const s of scenarios) {
      const r = await tracedStepping(unthrottled, APP, s);
      const p95 = quantile(r.lat, 0.95);
      const verdict = Number.isFinite(s.target) ? ` [${ok(p95 <= s.target)}]` : '';
      say(
        `  ${s.name} (${r.total} steps${s.script ? `, run in ${r.runMs} ms` : ''}): p50 ${ms(median(r.lat))}  p95 ${ms(p95)}  max ${ms(Math.max(...r.lat))}  (click->status p50 ${ms(median(r.toMutation))}, p95 ${ms(quantile(r.toMutation, 0.95))})${verdict}`,
      );
      say(
        `      main thread CPU from the click to the end of the frame showing it: p50 ${ms(median(r.cpu))} p95 ${ms(quantile(r.cpu, 0.95))} (${r.cpu.length} clicks; the tasks' own clock, which the machine's load does not inflate); longest task ${ms(r.maxTaskCpu)} CPU`,
      );
      const at60 = await steppingAt60Hz(browser, APP, s);
      say(
        `      at 60 Hz: p50 ${ms(median(at60.steps.lat))}  p95 ${ms(quantile(at60.steps.lat, 0.95))}  max ${ms(Math.max(...at60.steps.lat))}`,
      );
      const p = at60.play;
      const maxTask = p.longTasks.length ? Math.max(...p.longTasks) : 0;
      say(
        `      playing at ${p.speed} steps/s for ${PLAY_MS / 1000} s: longest main-thread task ${ms(at60.playCpu)} CPU [${ok(at60.playCpu <= TARGET.longTaskMs)}]; ${p.longTasks.length} long tasks by the wall clock, max ${ms(maxTask)}, ${p.longTasks.filter((d) => d > TARGET.longTaskMs).length} over ${TARGET.longTaskMs} ms; ${p.frames} frames (${((p.frames * 1000) / p.elapsed).toFixed(0)} fps), ${p.slow} over 20 ms, slowest ${ms(p.maxFrame)}; ${p.steps} steps shown${p.restarts ? `, ran off the end ${p.restarts}x` : ''}`,
      );
    }
  }

  // 3. The 5-million-step run.
  if (PARTS.has('soak')) {
    const soak = await soakRun(browser, APP);
    say(`the 5-million-step run (ping -c 1000000, ${soak.total} steps), opened by link in the running app:`);
    say(
      `  computed and shown in ${(soak.runMs / 1000).toFixed(1)} s; longest main-thread task meanwhile ${ms(soak.arrival)} (the issue: one 4.2 s task)`,
    );
    say(
      `  jump to step ${Math.floor(soak.total * 0.9)}: view in ${soak.jumpMs} ms, longest task ${ms(soak.jump)} (the issue: 1.4-4.3 s)`,
    );
    say(
      `  peak memory: the tab's renderer process ${mib(soak.processPeak)} resident (the engine's worker included), the page's JS heap ${mib(soak.heapPeak)}`,
    );
  }

  // 4. JS shipped: what the cold loads fetched before the live app's diagram was painted.
  if (PARTS.has('js')) {
    const appJs = gzipJs(join(appDist, 'assets'));
    const bareJs = gzipJs(join(bareDir, 'assets'));
    const files = [...appJs.sizes].sort((a, b) => b[1] - a[1]);
    const first = files.filter(([f]) => firstViewJs.has(f));
    const later = files.filter(([f]) => !firstViewJs.has(f));
    const firstGz = first.reduce((n, [, z]) => n + z, 0);
    const list = (fs: [string, number][]) => fs.map(([f, z]) => `${f} ${kb(z)}`).join(', ') || 'none';
    const jsRatio = firstGz / bareJs.gz;
    say('JS shipped (gzip -9):');
    say(`  skbwalk, fetched before the live app's first diagram was painted: ${kb(firstGz)} (${list(first)})`);
    say(`  skbwalk, loaded after the first view: ${kb(appJs.gz - firstGz)} (${list(later)})`);
    say(
      `  skbwalk, all of assets/*.js: ${kb(appJs.gz)} (${kb(appJs.raw)} raw), ${(appJs.gz / bareJs.gz).toFixed(2)}x the bare page`,
    );
    say(`  bare Vite+React: ${kb(bareJs.gz)} (${kb(bareJs.raw)} raw)`);
    say(`  first view ratio: ${jsRatio.toFixed(2)}x (target <= ${TARGET.jsRatio}x) [${ok(jsRatio <= TARGET.jsRatio)}]`);
  }
  const end = loadavg();
  say(`load average at the end ${end.map((x) => x.toFixed(1)).join(' ')}`);
  say('==========================================================');
} catch (err) {
  console.error(`UI bench: could not measure the app: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  status = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await unthrottled?.close().catch(() => undefined);
  for (const s of servers) await s.close().catch(() => undefined);
  rmSync(bareDir, { recursive: true, force: true });
}
process.exit(status);
