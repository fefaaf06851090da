// The build's static first view (src/ui/staticFirstView.ts): the default page
// draws the diagram at step 0 before any script has run, the live app takes it
// over showing the same step, and a page opening on anything else never shows
// it.
import { expect, test, type Page } from '@playwright/test';
import { watchProblems } from './problems.ts';

interface Seen {
  /** The frame's time (ms since navigation start). */
  at: number;
  /** #root still holds the static picture. */
  static: boolean;
  /** #root is displayed. */
  shown: boolean;
  /** The Topology's lo device is in the page. */
  diagram: boolean;
  status: string;
}

/** Installed before the page's scripts: what #root is at each frame, from the first. */
function watchRoot(): void {
  const w = window as unknown as { __seen: Seen[] };
  w.__seen = [];
  const look = () => {
    const root = document.getElementById('root');
    if (!root) return;
    w.__seen.push({
      at: Math.round(performance.now()),
      static: root.hasAttribute('data-static-first-view'),
      shown: getComputedStyle(root).display !== 'none',
      diagram: document.querySelector('[data-testid="dev-lo"]') !== null,
      status: document.querySelector('[role="status"].step-status')?.textContent ?? '',
    });
  };
  const frame = () => {
    look();
    if (w.__seen.length < 2000) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function framesSeen(page: Page): Promise<Seen[]> {
  return page.evaluate(() => (window as unknown as { __seen: Seen[] }).__seen);
}

const liveStatus = (page: Page) => page.getByRole('status').filter({ hasText: /^Step 0 of \d+$/ });

test('without scripts, the default page shows the first step as a picture, and says it needs JavaScript', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 850 } });
  try {
    const page = await ctx.newPage();
    await page.goto('./');
    // (Playwright's text search leaves <noscript> out.)
    await expect(page.locator('noscript > p')).toHaveText(
      'skbwalk needs JavaScript to step through the kernel. What follows is a picture of its first step.',
    );
    await expect(page.locator('noscript > p')).toBeVisible();
    const root = page.locator('#root');
    await expect(root).toHaveAttribute('inert', '');
    await expect(root).toHaveAttribute('aria-hidden', 'true');
    for (const dev of ['lo', 'veth0', 'veth1']) await expect(page.getByTestId(`dev-${dev}`)).toBeVisible();
    await expect(page.locator('.step-status')).toHaveText(/^Step 0 of \d+$/);
    await expect(page).toHaveTitle(/^Step 0\/\d+ · .+ — skbwalk$/);
    await page.screenshot({ path: 'test-results/static-first-view-nojs.png' });
  } finally {
    await ctx.close();
  }
});

test('the default page draws the diagram before the live app, which takes it over at the same step', async ({ page }) => {
  const problems = watchProblems(page);
  await page.addInitScript(watchRoot);
  await page.goto('./');
  await expect(liveStatus(page)).toBeVisible();
  // The live app is reached by role (the picture is hidden from assistive technology) and answers.
  const root = page.locator('#root');
  await expect(root).not.toHaveAttribute('data-static-first-view');
  await expect(root).not.toHaveAttribute('inert');
  await expect(root).not.toHaveAttribute('aria-hidden');
  const seen = await framesSeen(page);

  // From its first frame the page shows the diagram, and it never stops showing it.
  expect(seen[0]).toMatchObject({ static: true, shown: true, diagram: true });
  expect(seen.filter((s) => !s.shown || !s.diagram)).toEqual([]);
  // The step the picture shows is the step the live app starts at.
  const live = await liveStatus(page).textContent();
  expect(new Set(seen.map((s) => s.status))).toEqual(new Set([live]));

  await page.getByRole('button', { name: 'Step into' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Step 1 of \d+$/ })).toBeVisible();
  expect(problems).toEqual([]);
});

const opening: { what: string; url: string; storage: Record<string, string> }[] = [
  { what: 'a link', url: './#s=not-a-link', storage: {} },
  { what: 'an embed', url: './?embed=1', storage: {} },
  { what: 'the reader’s own text', url: './', storage: { 'skbwalk.scenario': 'ip link show\n' } },
];
for (const { what, url, storage } of opening) {
  test(`a page opening on ${what} never shows the static picture`, async ({ page }) => {
    const problems = watchProblems(page);
    await page.addInitScript((entries: Record<string, string>) => {
      for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
    }, storage);
    await page.addInitScript(watchRoot);
    await page.goto(url);
    await expect(page.locator('#root')).not.toHaveAttribute('data-static-first-view');
    const seen = await framesSeen(page);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.static && s.shown)).toEqual([]);
    // The link is not one: its error is the live app's, not a blank page.
    if (what === 'a link') await expect(page.getByRole('alert')).toContainText('link');
    expect(problems).toEqual([]);
  });
}
