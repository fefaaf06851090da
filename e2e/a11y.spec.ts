// Accessibility: axe-core (WCAG 2.0 A/AA and 2.1 AA rules) on the built app,
// seed scenario, in the states a user sees most: step 0, a few steps in (call
// stack and skb panel filled), the dark theme, and a small 800x500 window.
// Fails on any "serious" or "critical" violation, listing each readably.
// axe cannot work out the background behind SVG text (it reports the topology
// labels as "incomplete"), so the diagram's text contrast is checked here too,
// with the same WCAG 1.4.3 thresholds.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const STEP_RE = /^Step (\d+) of (\d+)$/;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];

async function open(page: Page): Promise<number> {
  await page.goto('./');
  const status = page.getByRole('status');
  await expect(status).toHaveText(/^Step 0 of \d+$/, { timeout: 30_000 });
  return Number(STEP_RE.exec((await status.textContent()) ?? '')![2]);
}

/** Steps forward `n` times, waiting for each step to be on display. */
async function stepInto(page: Page, n: number, total: number): Promise<void> {
  const into = page.getByRole('button', { name: 'Step into', exact: true });
  const status = page.getByRole('status');
  for (let i = 1; i <= n; i++) {
    await into.click();
    await expect(status).toHaveText(`Step ${i} of ${total}`);
  }
}

/** Lets transitions and framer-motion animations settle so axe sees final colours. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  await page.waitForTimeout(400);
}

/** Runs to the next call of `fn` with the "Run until function" field. */
async function runUntil(page: Page, fn: string): Promise<void> {
  const field = page.getByLabel('Run until function');
  await field.fill(fn);
  await field.press('Enter');
  await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn')).toHaveText(fn);
}

/**
 * WCAG 1.4.3 contrast of every text in the Topology SVG against what is drawn
 * under its centre (fills and backgrounds composited with their opacity).
 * Returns one line per text below 4.5:1 (3:1 for large text).
 */
async function svgTextContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type C = { r: number; g: number; b: number; a: number };
    const parse = (c: string): C | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const p = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const lum = (c: C) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
    const over = (top: C, bot: C): C => ({
      r: top.r * top.a + bot.r * (1 - top.a),
      g: top.g * top.a + bot.g * (1 - top.a),
      b: top.b * top.a + bot.b * (1 - top.a),
      a: 1,
    });
    const opacity = (e: Element | null) => {
      let o = 1;
      for (; e && e !== document.documentElement; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const out: string[] = [];
    const page = parse(getComputedStyle(document.body).backgroundColor) ?? { r: 255, g: 255, b: 255, a: 1 };
    const svgBox = document.querySelector('[aria-label="Topology"] svg')?.getBoundingClientRect();
    for (const t of document.querySelectorAll<SVGTextElement>('[aria-label="Topology"] svg text')) {
      const text = t.textContent?.trim();
      const box = t.getBoundingClientRect();
      if (!text || !box.width || !box.height) continue;
      // The diagram is panned, not shrunk: text outside its visible part (or off the screen) is not seen.
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      if (!svgBox || cx < svgBox.left || cx > svgBox.right || cy < svgBox.top || cy > svgBox.bottom) continue;
      if (cx < 0 || cy < 0 || cx > innerWidth || cy > innerHeight) continue;
      // Nor is text under something else (a dialog over the diagram).
      const top = document.elementFromPoint(cx, cy);
      if (top && !top.closest('[aria-label="Topology"] svg')) continue;
      const cs = getComputedStyle(t);
      const fill = parse(cs.fill);
      if (!fill) continue;
      const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      // Text nobody can see cannot be judged: scrolled out of the window (nothing is under
      // its centre), or covered by something outside the diagram (a dialog over it).
      if (!under.length || !t.ownerSVGElement?.contains(under[0])) continue;
      const layers: C[] = [];
      for (const e of under) {
        if (e.tagName === 'text' || e.tagName === 'tspan' || e.tagName === 'title') continue;
        const s = getComputedStyle(e);
        const svgShape = e instanceof SVGElement && e.tagName !== 'svg';
        const c = parse(svgShape ? s.fill : s.backgroundColor);
        if (!c || c.a === 0) continue;
        const a = c.a * (svgShape ? Number(s.fillOpacity) * opacity(e) : 1);
        layers.push({ ...c, a });
        if (a >= 1) break;
      }
      let bg: C = { ...page, a: 1 };
      for (const l of layers.reverse()) bg = over(l, bg);
      const fg = over({ ...fill, a: fill.a * Number(cs.fillOpacity) * opacity(t) }, bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (Number(cs.fontWeight) >= 700 && size >= 18.66);
      const need = large ? 3 : 4.5;
      if (ratio < need)
        out.push(
          `    - ${ratio.toFixed(2)}:1 < ${need}:1  text.${t.getAttribute('class') ?? '(no class)'} "${text.slice(0, 40)}" fill ${cs.fill} on rgb(${[bg.r, bg.g, bg.b].map(Math.round).join(', ')})`,
        );
    }
    return out;
  });
}

async function checkA11y(page: Page, state: string): Promise<void> {
  await settle(page);
  const svg = await svgTextContrast(page);
  expect(svg, `low-contrast text in the Topology diagram ${state}:\n${svg.join('\n')}\n`).toEqual([]);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
  const minor = results.violations.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.impact})`);
  if (minor.length) console.log(`a11y ${state}: minor/moderate, not failing: ${minor.join(', ')}`);
  expect(
    bad.map((v) => v.id),
    `serious/critical axe violations ${state}:\n${report}\n`,
  ).toEqual([]);
}

test.describe('accessibility (axe, WCAG 2.1 AA)', () => {
  // Several axe passes per test, each a second or more on a busy machine.
  test.describe.configure({ timeout: 120_000 });

  test('at step 0', async ({ page }) => {
    await open(page);
    await checkA11y(page, 'at step 0');
  });

  test('after a few steps (call stack and skb filled)', async ({ page }) => {
    const total = await open(page);
    await stepInto(page, 8, total);
    await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"]')).toBeVisible();
    await checkA11y(page, 'after 8 steps');
    // An skb waiting in cpu0's backlog while the softirq runs: tokens off the current call.
    await runUntil(page, 'net_rx_action');
    await checkA11y(page, 'in net_rx_action');
  });

  test('in the dark theme', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const total = await open(page);
    await checkA11y(page, 'dark, at step 0');
    await stepInto(page, 8, total);
    await checkA11y(page, 'dark, after 8 steps');
    await runUntil(page, 'net_rx_action');
    await checkA11y(page, 'dark, in net_rx_action');
  });

  test('embedded (?embed=1) in 800x500, light and dark', async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 500 });
    for (const theme of ['light', 'dark']) {
      await page.goto(`./?embed=1&panel=skb&theme=${theme}`);
      await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/, { timeout: 30_000 });
      // The embed has no breakpoint field: drive it as its host page would.
      await page.getByRole('slider', { name: 'Timeline' }).fill('36');
      await expect(page.getByRole('status')).toHaveText(/^Step 36 of \d+$/);
      await checkA11y(page, `embedded, ${theme}`);
    }
  });

  test('with the Embed dialog open, and with a broken link', async ({ page }) => {
    await open(page);
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Embed this step' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Embed code' })).toHaveValue(/^<iframe /);
    await checkA11y(page, 'with the Embed dialog open');
    await page.goto('./#s=1.broken');
    await expect(page.getByRole('alert').filter({ hasText: 'This link could not be opened' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/, { timeout: 30_000 });
    await checkA11y(page, 'with a broken link');
  });

  test('in an 800x500 window', async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 500 });
    const total = await open(page);
    await checkA11y(page, '800x500, at step 0');
    await stepInto(page, 8, total);
    await checkA11y(page, '800x500, after 8 steps');
  });
});
