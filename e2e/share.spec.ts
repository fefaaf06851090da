// Share links, embed options, the embed example page and the postMessage API,
// end to end against the built app and the real engine worker.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { test as base, expect, type BrowserContext, type Frame, type FrameLocator, type Page } from '@playwright/test';
import { decodeState, encodeState } from '../src/ui/share/urlState.ts';
import { watchProblems } from './problems.ts';
import { SEED_TOTAL } from './seed.ts';
import { scenarioText } from './scenarioEditor.ts';
import { EMPTY_STORAGE } from './storage.ts';

/** The default scenario, read from the file the app bundles. */
const SEED_SCENARIO = readFileSync(new URL('../src/scenarios/seed-veth-same-ns.sh', import.meta.url), 'utf8');

const STEP_RE = /^Step (\d+) of (\d+)$/;
/** Its kernel calls but the 26 of the inline queue helpers: format 1 links and embeds counted these. */
const SEED_CALLS = 244;

// ---------------------------------------------------------------------------
// Every request any page of a test makes must go to the app's origin (or to a
// host page's origin the test itself serves): skbwalk loads nothing from
// elsewhere, and a link or message never makes it fetch anything.

interface RequestLog {
  /** Origins allowed besides the app's own (servers the test starts). */
  allow(origin: string): void;
  /** Records the requests of another context (e.g. a fresh one). */
  watch(context: BrowserContext): void;
}

const test = base.extend<{ requests: RequestLog }>({
  requests: [
    async ({ context, baseURL }, use) => {
      const allowed = new Set([new URL(baseURL!).origin]);
      const urls: string[] = [];
      const watch = (c: BrowserContext) => c.on('request', (r) => urls.push(r.url()));
      watch(context);
      await use({ allow: (o) => allowed.add(o), watch });
      const foreign = urls.filter((u) => !/^(data|blob|about):/.test(u) && !allowed.has(new URL(u).origin));
      expect(foreign, 'requests that left the app’s origin').toEqual([]);
    },
    { auto: true },
  ],
});

/** A local HTTP server on a free port; `handler` answers each request. */
async function serve(
  handler: (path: string) => Promise<{ status: number; type: string; body: string | Buffer }>,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    handler(path).then(
      (r) => {
        res.writeHead(r.status, { 'Content-Type': r.type, 'Cache-Control': 'no-store' });
        res.end(r.body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves dist/ under `prefix` (e.g. /skbwalk/), as a plain static host would. */
async function serveDist(prefix: string) {
  const root = join(process.cwd(), 'dist');
  return serve(async (path) => {
    if (!path.startsWith(prefix)) return { status: 404, type: 'text/plain', body: 'not here' };
    let rel = path.slice(prefix.length) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep)) return { status: 403, type: 'text/plain', body: 'no' };
    try {
      return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
    } catch {
      return { status: 404, type: 'text/plain', body: 'not found' };
    }
  });
}

/** A host page on another origin that embeds `src` in an 800×500 frame and records the frame's messages and its own keys. */
async function serveHost(src: string) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A blog post</title>
<style>body{margin:16px;font:16px sans-serif} iframe{border:0;display:block}</style></head>
<body>
<h1>A blog post about veth</h1>
<p><button id="host-button" type="button">a button of the host page</button></p>
<iframe id="embed" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" title="skbwalk" width="800" height="500"></iframe>
<script>
  window.stepMessages = [];
  window.hostKeys = [];
  const frame = document.getElementById('embed');
  window.addEventListener('message', (e) => { if (e.source === frame.contentWindow) window.stepMessages.push(e.data); });
  window.addEventListener('keydown', (e) => window.hostKeys.push(e.key));
  window.send = (m) => frame.contentWindow.postMessage(m, new URL(frame.src).origin);
</script>
</body></html>`;
  return serve(async () => ({ status: 200, type: 'text/html; charset=utf-8', body: html }));
}

async function seedLink(
  step: number,
  extra: { skb?: number; panels?: string[]; theme?: 'light' | 'dark' } = {},
): Promise<string> {
  return encodeState({ v: 4, scenario: SEED_SCENARIO, step, ...extra });
}

/** A link as skbwalk wrote it before steps counted returns (format 1: the same bytes, steps counting calls). */
async function seedLinkV1(call: number): Promise<string> {
  return (await encodeState({ v: 4, scenario: SEED_SCENARIO, step: call })).replace(/^#s=4\./, '#s=1.');
}

/** A link as skbwalk wrote it before the inline queue helpers were calls (format 2: the same bytes, their steps not counted). */
async function seedLinkV2(step: number): Promise<string> {
  return (await encodeState({ v: 4, scenario: SEED_SCENARIO, step })).replace(/^#s=4\./, '#s=2.');
}

/** A link as skbwalk wrote it before ping made system calls (format 3: the same bytes, their steps not counted). */
async function seedLinkV3(step: number): Promise<string> {
  return (await encodeState({ v: 4, scenario: SEED_SCENARIO, step })).replace(/^#s=4\./, '#s=3.');
}

/** The state in the page's fragment, or null if it holds none (yet). */
async function hashState(page: Page) {
  const r = await decodeState(await page.evaluate(() => location.hash));
  return r.ok ? r.state : null;
}

test('a share link opens the scenario at its step', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(`./${await seedLink(91)}`);
  await expect(page.getByRole('status')).toHaveText(`Step 91 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn')).toHaveText('veth_xmit');
  expect(problems).toEqual([]);
});

test('a format-1 link (steps counted calls) opens at the same call', async ({ page }) => {
  const problems = watchProblems(page);
  // Call 36 of the seed run is the first veth_xmit; with returns, queue helpers and ping's system calls counted, its entry is step 91.
  await page.goto(`./${await seedLinkV1(36)}`);
  await expect(page.getByRole('status')).toHaveText(`Step 91 of ${SEED_TOTAL}`, { timeout: 30_000 });
  const current = page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"]');
  await expect(current.locator('.fn')).toHaveText('veth_xmit');
  await expect(current.locator('.ret')).toHaveCount(0);
  // The address bar now holds the same state as a format-4 link.
  await expect.poll(async () => await hashState(page)).toMatchObject({ v: 4, step: 91 });
  expect(problems).toEqual([]);
});

test('a format-2 link (before the queue helpers were calls) opens at the same call, on the same side', async ({ page }) => {
  const problems = watchProblems(page);
  const status = page.getByRole('status');
  const current = page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"]');
  // Format 2's step 217 was icmp_reply's entry; 68, enqueue_to_backlog's return.
  for (const [old, now, fn, ret] of [
    [217, 279, 'icmp_reply', null],
    [68, 108, 'enqueue_to_backlog', 'returns NET_RX_SUCCESS'],
  ] as const) {
    await page.goto(`./${await seedLinkV2(old)}`);
    await expect(status).toHaveText(`Step ${now} of ${SEED_TOTAL}`, { timeout: 30_000 });
    await expect(current.locator('.fn')).toHaveText(fn);
    if (ret) await expect(current.locator('.ret')).toHaveText(ret);
    else await expect(current.locator('.ret')).toHaveCount(0);
    await expect.poll(async () => await hashState(page)).toMatchObject({ v: 4, step: now });
  }
  expect(problems).toEqual([]);
});

test('a format-3 link (before ping made system calls) opens at the same call, on the same side', async ({ page }) => {
  const problems = watchProblems(page);
  const status = page.getByRole('status');
  const current = page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"]');
  // Format 3's step 9 was raw_sendmsg's entry (ping called it directly; now through sendto), 53 the first
  // veth_xmit's, 540 (its last) inet_release's return when ping closed its socket (now inside close()).
  for (const [old, now, fn, isReturn] of [
    [9, 47, 'raw_sendmsg', false],
    [53, 91, 'veth_xmit', false],
    [540, 593, 'inet_release', true],
  ] as const) {
    await page.goto(`./${await seedLinkV3(old)}`);
    await expect(status).toHaveText(`Step ${now} of ${SEED_TOTAL}`, { timeout: 30_000 });
    await expect(current.locator('.fn')).toHaveText(fn);
    await expect(current.locator('.ret')).toHaveCount(isReturn ? 1 : 0);
    await expect.poll(async () => await hashState(page)).toMatchObject({ v: 4, step: now });
  }
  // The system call on the way is there to step back to: sendto's entry, two steps before raw_sendmsg's.
  await page.goto(`./${await seedLinkV3(9)}`);
  await expect(status).toHaveText(`Step 47 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await expect(status).toHaveText(`Step 45 of ${SEED_TOTAL}`);
  await expect(current.locator('.fn')).toHaveText('__sys_sendto');
  expect(problems).toEqual([]);
});

test('stepping rewrites the fragment, keeps the query, and adds no history entries', async ({ page }) => {
  await page.goto(`./?panel=skb${await seedLink(10)}`);
  const status = page.getByRole('status');
  await expect(status).toHaveText(`Step 10 of ${SEED_TOTAL}`, { timeout: 30_000 });
  const historyLength = await page.evaluate(() => history.length);
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(status).toHaveText(`Step 11 of ${SEED_TOTAL}`);
  await expect.poll(async () => (await hashState(page))?.step).toBe(11);
  expect(await page.evaluate(() => location.search)).toBe('?panel=skb');
  expect(await page.evaluate(() => history.length)).toBe(historyLength);
  await page.reload();
  await expect(status).toHaveText(`Step 11 of ${SEED_TOTAL}`, { timeout: 30_000 });
});

test('a link from a newer skbwalk says so and the app still opens', async ({ page }) => {
  await page.goto('./#s=5.AAAA');
  await expect(
    page.getByText('this link was made by a newer skbwalk (format 5); this version reads formats 1, 2, 3 and 4'),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('status')).toHaveText(STEP_RE);
});

test('a truncated link says so', async ({ page }) => {
  const link = await seedLink(36);
  await page.goto(`./${link.slice(0, -20)}`);
  await expect(page.getByText(/the link is truncated/)).toBeVisible({ timeout: 30_000 });
});

test('a shared scenario does not overwrite the reader’s own saved scenario', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => localStorage.setItem('skbwalk.scenario', 'ip link show\n'));
  await page.goto(`./${await seedLink(3)}`);
  await expect(page.getByRole('status')).toHaveText(`Step 3 of ${SEED_TOTAL}`, { timeout: 30_000 });
  expect(await page.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBe('ip link show\n');
});

// ---------------------------------------------------------------------------
// Embedding

async function embedFrame(page: Page): Promise<FrameLocator> {
  await page.goto('./embed-example.html');
  const frame = page.frameLocator('#skbwalk');
  await expect(frame.getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
  return frame;
}

test('the embed example follows the prose as the reader scrolls', async ({ page }) => {
  const problems = watchProblems(page);
  await embedFrame(page);
  const caption = page.locator('#caption');
  const frame = page.frameLocator('#skbwalk');
  for (const [step, fn] of [
    [47, 'raw_sendmsg'],
    [91, 'veth_xmit'],
    [108, 'enqueue_to_backlog'],
    [126, 'net_rx_action'],
    [132, 'skb_queue_splice_tail_init'],
    [279, 'icmp_reply'],
  ] as const) {
    await page.locator(`section[data-step="${step}"]`).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await expect(caption).toHaveText(`Step ${step} of ${SEED_TOTAL}: ${fn}()`);
    if (fn === 'enqueue_to_backlog') {
      // "Parked on the CPU's queue": enqueue_to_backlog returning, its skb in the backlog.
      await expect(frame.getByTestId('backlog-cpu0').locator('[data-testid^="skb-"]')).toHaveCount(1);
      await expect(frame.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .ret')).toHaveText(
        'returns NET_RX_SUCCESS',
      );
    }
    if (fn === 'skb_queue_splice_tail_init') {
      // The backlog moved to process_queue in one go.
      await expect(frame.getByRole('list', { name: 'cpu0 process_queue' }).getByRole('listitem')).toHaveCount(1);
      await expect(frame.getByRole('list', { name: 'cpu0 input_pkt_queue' }).getByRole('listitem')).toHaveCount(0);
    }
  }
  expect(problems).toEqual([]);
});

test('the embed posts a step message when ready and after each step', async ({ page }) => {
  // Record the embed's messages from the start: the first may arrive before page.goto returns.
  await page.addInitScript(() => {
    if (window !== window.top) return;
    const w = window as unknown as { got: unknown[] };
    w.got = [];
    window.addEventListener('message', (e) => {
      const frame = document.getElementById('skbwalk') as HTMLIFrameElement | null;
      if (frame && e.source === frame.contentWindow) w.got.push(e.data);
    });
  });
  await page.goto('./embed-example.html');
  const got = () => page.evaluate(() => (window as unknown as { got: { step: number }[] }).got);
  await expect.poll(async () => (await got()).length, { timeout: 30_000 }).toBeGreaterThan(0);
  await page.evaluate(() =>
    (document.getElementById('skbwalk') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'skbwalk:goto', step: 91 }, '*'),
  );
  await expect.poll(async () => (await got()).some((m) => m.step === 91)).toBe(true);
  const messages = await got();
  // The first message (ready) is the link's step; the page's own script may send a goto of its own meanwhile.
  expect(messages[0]).toEqual({ type: 'skbwalk:step', step: 0, total: SEED_TOTAL, function: null });
  expect(messages.at(-1)).toEqual({ type: 'skbwalk:step', step: 91, total: SEED_TOTAL, function: 'veth_xmit' });
});

test('only the embedding page can drive the embed', async ({ page }) => {
  const frame = await embedFrame(page);
  await page.evaluate(() => {
    const sibling = document.createElement('iframe');
    sibling.srcdoc =
      `<script>parent.document.getElementById('skbwalk').contentWindow.postMessage({type:'skbwalk:goto',step:99},'*')</scr` +
      `ipt>`;
    document.body.appendChild(sibling);
  });
  await page.waitForTimeout(500);
  await expect(frame.getByRole('status')).not.toHaveText(`Step 99 of ${SEED_TOTAL}`);
  await page.evaluate(() =>
    (document.getElementById('skbwalk') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'skbwalk:goto', step: 99 }, '*'),
  );
  await expect(frame.getByRole('status')).toHaveText(`Step 99 of ${SEED_TOTAL}`);
});

test('the embed does not take the host page’s keys, only its own once clicked', async ({ page }) => {
  const frame = await embedFrame(page);
  const status = frame.getByRole('status');
  const before = await status.textContent();
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(300);
  await expect(status).toHaveText(before!);
  await frame.getByRole('status').click();
  await page.keyboard.press('ArrowRight');
  await expect(status).not.toHaveText(before!);
});

test('embed options: panel, controls=0, autoplay, from/to', async ({ page }) => {
  await page.goto(`./?embed=1&panel=skb&controls=0&autoplay=1&from=10&to=20${await seedLink(0)}`);
  await expect(page.getByRole('region', { name: 'skb', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Step into', exact: true })).toHaveCount(0);
  await expect
    .poll(async () => Number(STEP_RE.exec((await page.getByRole('status').textContent()) ?? '')?.[1] ?? -1), { timeout: 15_000 })
    .toBe(20);
});

// ---------------------------------------------------------------------------
// The URL is the state

async function stepOf(page: Page | Frame | FrameLocator): Promise<number> {
  const m = STEP_RE.exec((await page.getByRole('status').textContent()) ?? '');
  return m ? Number(m[1]) : -1;
}

function currentFn(page: Page | FrameLocator) {
  return page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn');
}

test('the URL alone restores the step, the current call, the skb and the open panel in a fresh browser', async ({
  page,
  browser,
  baseURL,
  requests,
}) => {
  const problems = watchProblems(page);
  await page.goto('./');
  const status = page.getByRole('status');
  await expect(status).toHaveText(`Step 0 of ${SEED_TOTAL}`, { timeout: 30_000 });
  const field = page.getByLabel('Run until function');
  await field.fill('veth_xmit');
  await field.press('Enter');
  await expect(currentFn(page)).toHaveText('veth_xmit');
  const step = (await stepOf(page)) + 2;
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(status).toHaveText(`Step ${step} of ${SEED_TOTAL}`);
  const fn = await currentFn(page).textContent();
  // Pick an skb in the topology (the current call's, which the diagram keeps in view) and open the Events panel.
  const token = page.locator('[data-testid^="skb-"][role="button"][aria-label$="the current call’s skb"]');
  const skbId = (await token.getAttribute('data-testid'))!;
  await token.click();
  await expect(token).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('region', { name: 'Events', exact: true }).getByRole('heading').click();
  await expect(page.getByRole('region', { name: 'Events', exact: true })).toHaveClass(/selected/);
  await expect.poll(async () => (await hashState(page))?.panels).toEqual(['events']);
  const url = page.url();
  expect(url.startsWith(baseURL!)).toBe(true);
  expect(url.length, url).toBeLessThan(600);
  const state = await hashState(page);
  expect(state).toMatchObject({ scenario: SEED_SCENARIO, step, skb: Number(skbId.slice(4)), panels: ['events'] });

  // A fresh browser context: no storage (not even the specs' "tour seen"), no history.
  const fresh = await browser.newContext({ storageState: EMPTY_STORAGE });
  requests.watch(fresh);
  try {
    const p2 = await fresh.newPage();
    const problems2 = watchProblems(p2);
    await p2.goto(url);
    await expect(p2.getByRole('status')).toHaveText(`Step ${step} of ${SEED_TOTAL}`, { timeout: 30_000 });
    await expect(currentFn(p2)).toHaveText(fn!);
    await expect(p2.getByRole('region', { name: 'Events', exact: true })).toHaveClass(/selected/);
    await expect(p2.getByRole('region', { name: 'Call stack', exact: true })).not.toHaveClass(/selected/);
    await expect(p2.getByTestId(skbId)).toHaveAttribute('aria-pressed', 'true');
    await p2.waitForTimeout(400);
    await p2.screenshot({ path: 'test-results/share-link-in-fresh-browser.png' });
    await expect.poll(() => scenarioText(p2)).toBe(SEED_SCENARIO);
    // Opening a link saves nothing.
    expect(await p2.evaluate(() => localStorage.length)).toBe(0);
    expect(problems2).toEqual([]);
  } finally {
    await fresh.close();
  }
  expect(problems).toEqual([]);
});

test('a seed link stays under 600 characters at every step', async ({ baseURL }) => {
  const base = `${baseURL}?embed=1&panel=skb`;
  for (let step = 0; step <= SEED_TOTAL; step++) {
    const link = await seedLink(step, { skb: 12345, panels: ['callstack'], theme: 'light' });
    expect((base + link).length, `step ${step}`).toBeLessThan(600);
  }
});

test('Back leaves the app instead of walking back through the steps', async ({ page }) => {
  await page.goto('./embed-example.html');
  await page.goto(`./${await seedLink(10)}`);
  const status = page.getByRole('status');
  await expect(status).toHaveText(`Step 10 of ${SEED_TOTAL}`, { timeout: 30_000 });
  for (let i = 11; i <= 14; i++) {
    await page.getByRole('button', { name: 'Step into', exact: true }).click();
    await expect(status).toHaveText(`Step ${i} of ${SEED_TOTAL}`);
  }
  await expect.poll(async () => (await hashState(page))?.step).toBe(14);
  await page.goBack();
  await expect(page).toHaveURL(/embed-example\.html$/);
});

test('“Copy link” copies the URL of the step on display', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
  await page.goto(`./${await seedLink(36)}`);
  await expect(page.getByRole('status')).toHaveText(`Step 36 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('status')).toHaveText(`Step 37 of ${SEED_TOTAL}`);
  // Copy at once: the button flushes the pending fragment write first.
  const button = page.getByRole('button', { name: 'Copy link' });
  await button.click();
  await expect(page.getByText('Link copied.')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  await expect(button).toHaveAttribute('data-url', copied);
  const r = await decodeState(copied);
  expect(r.ok && r.state.step).toBe(37);
});

// ---------------------------------------------------------------------------
// Broken and hostile links

test.describe('a link that cannot be read', () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['truncated', async () => (await seedLink(36)).slice(0, -30), /the link is truncated/],
    [
      'corrupted',
      async () => {
        const l = await seedLink(36);
        const i = Math.floor(l.length * 0.6);
        return l.slice(0, i) + (l[i] === 'A' ? 'B' : 'A') + l.slice(i + 1);
      },
      /the link is corrupted/,
    ],
    ['huge', async () => `#s=1.${'A'.repeat(70 * 1024)}`, /the link is too long/],
    ['from a newer skbwalk', async () => '#s=7.AAAA', /this link was made by a newer skbwalk \(format 7\)/],
    ['a script', async () => '#s=1.<script>window.pwned=1</script><img src=x onerror="window.pwned=1">', /the link is corrupted/],
    ['garbage', async () => '#%F0%9F%92%A5!!garbage&&==??', /the link holds no skbwalk state|the link is corrupted/],
  ];
  for (const [name, make, message] of cases) {
    test(`${name}: an alert, the default scenario, and the broken text to copy`, async ({ page }) => {
      const problems = watchProblems(page);
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto('./');
      await page.evaluate(() => localStorage.setItem('skbwalk.scenario', 'ip link show\n'));
      const hash = await make();
      await page.goto(`./${hash}`);
      const alert = page.getByRole('alert').filter({ hasText: 'This link could not be opened' });
      await expect(alert).toBeVisible({ timeout: 30_000 });
      await expect(alert).toContainText(message);
      // The default scenario, not a blank page (and not the reader's saved one).
      await expect(page.getByRole('status')).toHaveText(`Step 0 of ${SEED_TOTAL}`, { timeout: 30_000 });
      await expect.poll(() => scenarioText(page)).toBe(SEED_SCENARIO);
      // The broken link stays available.
      const broken = await alert.getByRole('textbox', { name: 'The broken link' }).inputValue();
      expect(broken.length).toBeGreaterThan(hash.length * 0.9);
      await expect(alert.getByRole('button', { name: 'Copy the broken link' })).toBeVisible();
      // The app works, and nothing in the link ran.
      await page.getByRole('button', { name: 'Step into', exact: true }).click();
      await expect(page.getByRole('status')).toHaveText(`Step 1 of ${SEED_TOTAL}`);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(await page.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBe('ip link show\n');
      // The address bar moves on to a good link.
      await expect.poll(async () => (await decodeState(await page.evaluate(() => location.hash))).ok).toBe(true);
      expect(problems).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------
// Embedded in a page of another origin

test.describe('embedded in a page on another origin', () => {
  async function hostPage(page: Page, requests: RequestLog, baseURL: string, query: string, step = 0, format1 = false) {
    const host = await serveHost(`${baseURL}?${query}${format1 ? await seedLinkV1(step) : await seedLink(step)}`);
    requests.allow(host.origin);
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(`${host.origin}/`);
    const frame = page.frameLocator('#embed');
    await expect(frame.getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
    // The first step message says the embed is ready.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { stepMessages: unknown[] }).stepMessages.length))
      .toBeGreaterThan(0);
    return { host, frame };
  }
  const messages = (page: Page) =>
    page.evaluate(
      () => (window as unknown as { stepMessages: { step: number; total: number; function: string | null }[] }).stepMessages,
    );
  const send = (page: Page, m: unknown) =>
    page.evaluate((msg) => (window as unknown as { send: (m: unknown) => void }).send(msg), m);

  test('postMessage drives it and it reports each step', async ({ page, baseURL, requests }) => {
    const problems = watchProblems(page);
    const { host, frame } = await hostPage(page, requests, baseURL!, 'embed=1', 47);
    try {
      expect((await messages(page))[0]).toEqual({ type: 'skbwalk:step', step: 47, total: SEED_TOTAL, function: 'raw_sendmsg' });
      await send(page, { type: 'skbwalk:goto', step: 36 });
      await expect(frame.getByRole('status')).toHaveText(`Step 36 of ${SEED_TOTAL}`);
      await send(page, { type: 'skbwalk:goto', step: 91 });
      await expect(frame.getByRole('status')).toHaveText(`Step 91 of ${SEED_TOTAL}`);
      await expect
        .poll(async () => (await messages(page)).at(-1))
        .toEqual({ type: 'skbwalk:step', step: 91, total: SEED_TOTAL, function: 'veth_xmit' });
      // Anything else is ignored.
      for (const m of [
        { type: 'skbwalk:goto', step: -1 },
        { type: 'skbwalk:goto', step: '40' },
        { type: 'skbwalk:nope' },
        'skbwalk:play',
        null,
        { type: 'skbwalk:goto', step: 1.5 },
      ])
        await send(page, m);
      await page.waitForTimeout(300);
      await expect(frame.getByRole('status')).toHaveText(`Step 91 of ${SEED_TOTAL}`);
      // Play, then pause.
      await send(page, { type: 'skbwalk:play' });
      await expect.poll(async () => (await messages(page)).at(-1)!.step).toBeGreaterThan(93);
      await send(page, { type: 'skbwalk:pause' });
      await expect(frame.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
      const paused = await stepOf(frame);
      await page.waitForTimeout(400);
      expect(await stepOf(frame)).toBe(paused);
      expect((await messages(page)).at(-1)!.step).toBe(paused);
      // Steps are reported in order, one message per step while playing.
      const steps = (await messages(page)).map((m) => m.step);
      const played = steps.slice(steps.indexOf(91));
      expect(played).toEqual(Array.from({ length: played.length }, (_, i) => 91 + i));
      // Past the end means the end.
      await send(page, { type: 'skbwalk:goto', step: 100000 });
      await expect(frame.getByRole('status')).toHaveText(`Step ${SEED_TOTAL} of ${SEED_TOTAL}`);
      expect(problems).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test('an embed opened with a format-1 link speaks format 1 step numbers', async ({ page, baseURL, requests }) => {
    const problems = watchProblems(page);
    // from/to and goto count calls, as they did when the host page was written.
    const { host, frame } = await hostPage(page, requests, baseURL!, 'embed=1&from=5&to=40', 5, true);
    try {
      await expect(frame.getByRole('status')).toHaveText(`Step 47 of ${SEED_TOTAL}`);
      expect((await messages(page))[0]).toEqual({ type: 'skbwalk:step', step: 5, total: SEED_CALLS, function: 'raw_sendmsg' });
      await send(page, { type: 'skbwalk:goto', step: 36 });
      await expect(frame.getByRole('status')).toHaveText(`Step 91 of ${SEED_TOTAL}`);
      await expect
        .poll(async () => (await messages(page)).at(-1))
        .toEqual({ type: 'skbwalk:step', step: 36, total: SEED_CALLS, function: 'veth_xmit' });
      // `to=40` ends at the last step before call 41 is entered; `from=5` starts at call 5's entry.
      await send(page, { type: 'skbwalk:goto', step: 100000 });
      await expect(frame.getByRole('status')).toHaveText(`Step 97 of ${SEED_TOTAL}`);
      await expect.poll(async () => (await messages(page)).at(-1)!.step).toBe(40);
      await send(page, { type: 'skbwalk:goto', step: 0 });
      await expect(frame.getByRole('status')).toHaveText(`Step 47 of ${SEED_TOTAL}`);
      expect(problems).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test('keys reach the embed only once it has focus', async ({ page, baseURL, requests }) => {
    const { host, frame } = await hostPage(page, requests, baseURL!, 'embed=1', 10);
    try {
      const status = frame.getByRole('status');
      await expect(status).toHaveText(`Step 10 of ${SEED_TOTAL}`);
      // The embed took no focus: the host page's keys stay with the host page.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'a button of the host page' }).focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      await expect(status).toHaveText(`Step 10 of ${SEED_TOTAL}`);
      expect(await page.evaluate(() => (window as unknown as { hostKeys: string[] }).hostKeys)).toEqual([
        'ArrowRight',
        ' ',
        'ArrowRight',
      ]);
      // Click into the embed: now its shortcuts work.
      await status.click();
      await page.keyboard.press('ArrowRight');
      await expect(status).toHaveText(`Step 11 of ${SEED_TOTAL}`);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await expect(status).toHaveText(`Step 9 of ${SEED_TOTAL}`);
      await page.keyboard.press('Space');
      await expect(frame.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
      await page.keyboard.press('Space');
      await expect(frame.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
      // Back on the host page, the keys are the host's again.
      await page.getByRole('button', { name: 'a button of the host page' }).click();
      const at = await stepOf(frame);
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      expect(await stepOf(frame)).toBe(at);
    } finally {
      await host.close();
    }
  });

  test('the compact layout fits an 800×500 frame and links to the full app at the same state', async ({
    page,
    baseURL,
    requests,
  }) => {
    const { host, frame } = await hostPage(page, requests, baseURL!, 'embed=1&panel=skb', 36);
    try {
      await expect(frame.getByRole('status')).toHaveText(`Step 36 of ${SEED_TOTAL}`);
      await expect(frame.getByRole('region', { name: 'Topology', exact: true })).toBeVisible();
      await expect(frame.getByRole('region', { name: 'skb', exact: true })).toBeVisible();
      for (const name of ['Call stack', 'Events', 'Captures', 'Terminal', 'Scenario'])
        await expect(frame.getByRole('region', { name, exact: true })).toHaveCount(0);
      for (const name of ['Step back', 'Step into', 'Play'])
        await expect(frame.getByRole('button', { name, exact: true })).toBeVisible();
      await expect(frame.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
      const f = page.frame({ url: /embed=1/ })!;
      const size = await f.evaluate(() => ({
        scrollW: document.documentElement.scrollWidth,
        clientW: document.documentElement.clientWidth,
        bodyScrollW: document.body.scrollWidth,
        innerW: window.innerWidth,
        innerH: window.innerHeight,
      }));
      expect(size.innerW).toBe(800);
      expect(size.innerH).toBe(500);
      expect(size.scrollW).toBeLessThanOrEqual(size.clientW);
      expect(size.bodyScrollW).toBeLessThanOrEqual(size.clientW);
      // Step a little so the link has to follow.
      await frame.getByRole('button', { name: 'Step into', exact: true }).click();
      await expect(frame.getByRole('status')).toHaveText(`Step 37 of ${SEED_TOTAL}`);
      const open = frame.getByRole('link', { name: 'Open in skbwalk' });
      await expect
        .poll(
          async () =>
            (await decodeState((await open.getAttribute('href')) ?? '')).ok &&
            (await decodeState((await open.getAttribute('href'))!)).ok,
        )
        .toBe(true);
      await expect
        .poll(async () => {
          const r = await decodeState((await open.getAttribute('href'))!);
          return r.ok ? r.state.step : -1;
        })
        .toBe(37);
      const href = new URL((await open.getAttribute('href'))!);
      expect(href.origin + href.pathname).toBe(new URL(baseURL!).href);
      expect(href.search).toBe('');
      await expect(open).toHaveAttribute('target', '_blank');
      await frame.locator('body').evaluate(() => new Promise((r) => setTimeout(r, 400)));
      await page.locator('#embed').screenshot({ path: 'test-results/share-embed-800x500.png' });
      // The link opens the full app at that step with the skb panel selected.
      const popup = page.waitForEvent('popup');
      await open.click();
      const full = await popup;
      await expect(full.getByRole('status')).toHaveText(`Step 37 of ${SEED_TOTAL}`, { timeout: 30_000 });
      await expect(full.getByRole('button', { name: 'Copy link' })).toBeVisible();
      await expect(full.getByRole('region', { name: 'skb', exact: true })).toHaveClass(/selected/);
      await full.close();
    } finally {
      await host.close();
    }
  });

  test('a link error in an embed keeps the embed alive', async ({ page, baseURL, requests }) => {
    const host = await serveHost(`${baseURL}?embed=1#s=1.garbage!`);
    requests.allow(host.origin);
    try {
      await page.goto(`${host.origin}/`);
      const frame = page.frameLocator('#embed');
      await expect(frame.getByRole('alert').filter({ hasText: 'This link could not be opened' })).toBeVisible({
        timeout: 30_000,
      });
      await expect(frame.getByRole('status')).toHaveText(`Step 0 of ${SEED_TOTAL}`, { timeout: 30_000 });
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { stepMessages: unknown[] }).stepMessages.length))
        .toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });
});

test('embed: controls=0 hides the controls; theme=dark darkens it', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await page.goto(`./?embed=1&controls=0&theme=dark&panel=terminal${await seedLink(120)}`);
  await expect(page.getByRole('status')).toHaveText(`Step 120 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Terminal', exact: true })).toBeVisible();
  for (const name of ['Step into', 'Step back', 'Play'])
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(15, 20, 25)');
  await expect.poll(async () => (await hashState(page))?.theme).toBe('dark');
  await page.screenshot({ path: 'test-results/share-embed-dark-controls0.png' });
});

test('speed sets the playback speed, a multiple of the normal 10 steps/s', async ({ page }) => {
  // The page's clock is Playwright's, so the pace measured is the app's own and
  // not the machine's: playback waits for each step's view, then 1000 / (10 ×
  // speed) ms. The timeline moves when a step is asked for, the status when its
  // view has come.
  const status = page.getByRole('status');
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  /**
   * Page milliseconds from the current step's view to playback asking for the
   * next step, counted a millisecond at a time after the first `quiet` ones,
   * in which it must not ask.
   */
  const msToNextStep = async (quiet: number): Promise<number> => {
    const from = Number(await timeline.inputValue());
    await page.clock.runFor(quiet);
    expect(Number(await timeline.inputValue())).toBe(from);
    for (let ms = quiet + 1; ms <= 1000; ms++) {
      await page.clock.runFor(1);
      if (Number(await timeline.inputValue()) === from) continue;
      await expect(status).toHaveText(`Step ${from + 1} of ${SEED_TOTAL}`);
      return ms;
    }
    throw new Error(`playback did not leave step ${from} in 1000 ms`);
  };
  await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') });
  // In the full app the Speed select shows a speed that is not in its list.
  await page.goto(`./?speed=0.25${await seedLink(0)}`);
  await expect(status).toHaveText(`Step 0 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await expect(page.getByRole('combobox', { name: 'Speed' })).toHaveValue('2.5');
  // From here on the page's time moves only when the test moves it.
  await page.clock.pauseAt(new Date('2026-01-01T01:00:00Z'));
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // 2.5 steps/s: 400 ms a step, counted in whole milliseconds from whichever
  // tick brought the view (one more if it came just after one).
  for (let i = 0; i < 2; i++) expect([399, 400, 401]).toContain(await msToNextStep(397));
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // An embed at 8×: 80 steps/s, 12.5 ms a step.
  await page.goto(`./?embed=1&speed=8${await seedLink(0)}`);
  await expect(status).toHaveText(`Step 0 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await page.clock.pauseAt(new Date('2026-01-01T02:00:00Z'));
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  for (let i = 0; i < 5; i++) expect([12, 13, 14]).toContain(await msToNextStep(10));
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.clock.runFor(1000);
  await expect(status).toHaveText(`Step 5 of ${SEED_TOTAL}`);
});

// ---------------------------------------------------------------------------
// The Embed dialog

test('the Embed dialog writes an iframe snippet for the step on display', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
  await page.goto(`./${await seedLink(42)}`);
  await expect(page.getByRole('status')).toHaveText(`Step 42 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed this step' });
  await expect(dialog).toBeVisible();
  const code = dialog.getByRole('textbox', { name: 'Embed code' });
  await expect(code).toHaveValue(/^<iframe /);
  await dialog.getByRole('combobox', { name: 'Panel' }).selectOption('skb');
  await dialog.getByRole('checkbox', { name: 'Autoplay' }).check();
  await dialog.getByRole('spinbutton', { name: 'To step' }).fill('60');
  const snippet = await code.inputValue();
  expect(snippet).toMatch(/ title="skbwalk: [^"]+"/);
  expect(snippet).toContain(' width="800" height="500" loading="lazy"');
  const src = /src="([^"]+)"/.exec(snippet)![1].replace(/&amp;/g, '&');
  const u = new URL(src);
  expect(u.origin + u.pathname).toBe(new URL(baseURL!).href);
  expect(Object.fromEntries(u.searchParams)).toEqual({ embed: '1', autoplay: '1', panel: 'skb', to: '60' });
  const r = await decodeState(u.hash);
  expect(r.ok && r.state.step).toBe(42);
  await page.screenshot({ path: 'test-results/share-embed-dialog.png' });
  await dialog.getByRole('button', { name: 'Copy embed code' }).click();
  await expect(dialog.getByText('Embed code copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
  // Keys typed in the dialog do not step the app.
  await page.keyboard.press('ArrowRight');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText(`Step 42 of ${SEED_TOTAL}`);
  // The snippet's src works.
  await page.goto(src);
  await expect(page.getByRole('region', { name: 'skb', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => stepOf(page), { timeout: 15_000 }).toBe(60);
});

// ---------------------------------------------------------------------------
// Hosting

test('the built app works from a sub-path of a static host, with its CSP', async ({ page, requests }) => {
  const server = await serveDist('/skbwalk/');
  requests.allow(server.origin);
  try {
    const problems = watchProblems(page);
    await page.goto(`${server.origin}/skbwalk/`);
    await expect(page.getByRole('status')).toHaveText(`Step 0 of ${SEED_TOTAL}`, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Step into', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(`Step 1 of ${SEED_TOTAL}`);
    await expect.poll(async () => (await hashState(page))?.step).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/skbwalk/');
    // A link under the sub-path, and the embed example next to the app.
    await page.goto(`${server.origin}/skbwalk/${await seedLink(36)}`);
    await expect(page.getByRole('status')).toHaveText(`Step 36 of ${SEED_TOTAL}`, { timeout: 30_000 });
    await page.goto(`${server.origin}/skbwalk/embed-example.html`);
    await expect(page.frameLocator('#skbwalk').getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
    const csp = await page.frameLocator('#skbwalk').locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});

test('a link pasted into the address bar of an open skbwalk opens too; the theme is part of the link', async ({ page }) => {
  await page.goto(`./${await seedLink(5)}`);
  const status = page.getByRole('status');
  await expect(status).toHaveText(`Step 5 of ${SEED_TOTAL}`, { timeout: 30_000 });
  const link = await seedLink(126, { theme: 'dark' });
  await page.evaluate((h) => (location.hash = h), link);
  await expect(status).toHaveText(`Step 126 of ${SEED_TOTAL}`, { timeout: 30_000 });
  await expect(currentFn(page)).toHaveText('net_rx_action');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
  // Choosing the system theme again drops it from the link.
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('');
  await expect.poll(async () => (await hashState(page))?.theme ?? 'none').toBe('none');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
  // The app's own rewrites of the fragment do not reopen the link.
  await page.keyboard.press('ArrowRight');
  await expect(status).toHaveText(`Step 127 of ${SEED_TOTAL}`);
  await expect.poll(async () => (await hashState(page))?.step).toBe(127);
  await page.waitForTimeout(300);
  await expect(status).toHaveText(`Step 127 of ${SEED_TOTAL}`);
});
