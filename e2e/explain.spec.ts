// What explains the kernel to a reader: the skb panel showing any packet the
// reader picks (with its life, each entry a link to its step), the current
// call's explanation always in view, the first-visit tour, the glossary
// popovers and the tab title. Against the built app, seed scenario.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchProblems } from './problems.ts';
import { EMPTY_STORAGE, TOUR_SEEN } from './storage.ts';

const STEP_RE = /^Step (\d+) of (\d+)$/;
const SEED_TITLE = 'The seed article: a veth pair in one namespace,…';

async function open(page: Page, url = './'): Promise<number> {
  await page.goto(url);
  const status = page.getByRole('status');
  await expect(status).toHaveText(/^Step 0 of \d+$/, { timeout: 30_000 });
  return Number(STEP_RE.exec((await status.textContent()) ?? '')![2]);
}

async function stepOf(page: Page): Promise<number> {
  const m = STEP_RE.exec((await page.getByRole('status').textContent()) ?? '');
  return m ? Number(m[1]) : -1;
}

function currentFn(page: Page): Locator {
  return page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn');
}

async function runUntil(page: Page, fn: string): Promise<number> {
  const field = page.getByLabel('Run until function');
  await field.fill(fn);
  await field.press('Enter');
  await expect(currentFn(page)).toHaveText(fn);
  return stepOf(page);
}

function skbPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'skb', exact: true });
}

function token(page: Page, id: number): Locator {
  return page.getByRole('region', { name: 'Topology' }).getByRole('button', { name: new RegExp(`^skb #${id}(\\D|$)`) });
}

// A loaded two-core machine runs the engine, the browser and the server: give each test room.
test.describe.configure({ timeout: 120_000 });

test.describe('with the tour seen', () => {
  test.use({ storageState: TOUR_SEEN, viewport: { width: 1366, height: 850 } });

  test('a picked skb stays in the skb panel whatever the current call, by click and by Enter', async ({ page }) => {
    const problems = watchProblems(page);
    const total = await open(page);
    await runUntil(page, '__neigh_create'); // veth0's neighbour, for the echo request (#1)
    await runUntil(page, '__neigh_create'); // veth1's, while the ARP request (#3) is received
    const panel = skbPanel(page);
    await expect(panel.getByRole('heading').first()).toHaveText('skb');
    await token(page, 1).click();
    await expect(panel.getByRole('heading').first()).toHaveText(/^skb #1 · ICMP echo request/);
    await expect(panel).toContainText('picked in the Topology');
    await expect(panel.locator('tr[data-field="ICMP.sequence"] td')).toHaveText('1');
    // Another call, another current skb: the panel keeps #1.
    const at = await stepOf(page);
    await page.getByRole('button', { name: 'Step into', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(`Step ${at + 1} of ${total}`);
    await expect(panel.getByRole('heading').first()).toHaveText(/^skb #1 · ICMP echo request/);
    // Keyboard: focus the ARP request's token and press Enter.
    await token(page, 3).focus();
    await page.keyboard.press('Enter');
    await expect(panel.getByRole('heading').first()).toHaveText(/^skb #3 · ARP request/);
    await page.screenshot({ path: 'test-results/explain-picked-skb.png' });
    // Back to the current call's skb.
    await panel.getByRole('button', { name: "Show the current call's skb" }).click();
    await expect(panel).not.toContainText('picked in the Topology');
    expect(problems).toEqual([]);
  });

  test("the life list tells the echo request's life and each entry jumps to its step", async ({ page }) => {
    const total = await open(page);
    await runUntil(page, '__neigh_create');
    await token(page, 1).click();
    const life = skbPanel(page).getByRole('region', { name: 'Life of skb #1' });
    await expect(life.getByRole('listitem')).toHaveText([
      'step 52 allocated in raw_sendmsg',
      'step 68 waits on neighbour 192.168.1.2 (veth0) until ARP resolves it in __neigh_event_send',
      'step 70 cloned as skb #2 in skb_clone',
      'step 218 handed to veth0 for transmit (net_dev_queue) in __dev_queue_xmit',
      'step 233 received on veth1 (netif_rx) in netif_rx_internal',
      'step 237 queued on cpu0 input_pkt_queue (the backlog) in enqueue_to_backlog',
      "step 241 transmitted by veth0's driver, rc 0 (net_dev_xmit) in netdev_start_xmit",
      'step 259 moved to cpu0 process_queue in process_backlog',
      'step 263 taken up the stack from veth1 (netif_receive_skb) in __netif_receive_skb_core',
      'step 328 freed at icmp_rcv, not a drop (consume_skb) in consume_skb',
    ]);
    // Queued on the backlog: the step shows #1 in cpu0's input_pkt_queue.
    await life.getByRole('button', { name: /^Step 237: queued on cpu0 input_pkt_queue/ }).click();
    await expect(page.getByRole('status')).toHaveText(`Step 237 of ${total}`);
    await expect(page.getByTestId('backlog-cpu0').getByRole('button', { name: /^skb #1(\D|$)/ })).toBeVisible();
    await expect(life.locator('li.here')).toContainText('queued on cpu0 input_pkt_queue');
    // That step is enqueue_to_backlog returning: its value is pinned with the explanation.
    await expect(page.getByRole('region', { name: 'Current call' }).locator('.explanation')).toContainText(
      'enqueue_to_backlog returns NET_RX_SUCCESS to netif_rx_internal',
    );
    // Freed: the step is the consume_skb call, on #1.
    await life.getByRole('button', { name: /^Step 328: / }).click();
    await expect(page.getByRole('status')).toHaveText(`Step 328 of ${total}`);
    await expect(currentFn(page)).toHaveText('consume_skb');
    // Before it exists, the panel says so and keeps its life.
    await life.getByRole('button', { name: /^Step 52: / }).click();
    await expect(page.getByRole('status')).toHaveText(`Step 52 of ${total}`);
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('status')).toHaveText(`Step 51 of ${total}`);
    await expect(skbPanel(page)).toContainText('skb #1 does not exist yet at this step: it is allocated at step 52.');
    await page.screenshot({ path: 'test-results/explain-life.png' });
  });

  test('the tab title names the step and the scenario', async ({ page }) => {
    const total = await open(page);
    await expect(page).toHaveTitle(`Step 0/${total} · ${SEED_TITLE} — skbwalk`);
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveTitle(`Step 1/${total} · ${SEED_TITLE} — skbwalk`);
  });

  test('glossary words open by click and by keyboard, with an elixir link', async ({ page }) => {
    await open(page);
    await runUntil(page, '__neigh_create');
    const current = page.getByRole('region', { name: 'Current call' });
    const word = current.getByRole('button', { name: 'neighbour', exact: true });
    await word.click();
    const pop = page.getByRole('dialog', { name: 'neighbour (glossary)' });
    await expect(pop).toBeVisible();
    await expect(pop.getByRole('link')).toHaveAttribute('href', 'https://elixir.bootlin.com/linux/v6.18/A/ident/neighbour');
    await page.keyboard.press('Escape');
    await expect(pop).toBeHidden();
    await expect(word).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(pop).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(pop).toBeHidden();
    // Every word of the glossary, from Help.
    await page.getByRole('button', { name: 'Help' }).click();
    const tour = page.getByRole('dialog', { name: 'Tour' });
    for (let i = 0; i < 5; i++) await tour.getByRole('button', { name: 'Next' }).click();
    const glossary = tour.getByRole('list', { name: 'Glossary' });
    const expected: [string, string][] = [
      ['skb', 'sk_buff'],
      ['softnet_data', 'softnet_data'],
      ['backlog', 'enqueue_to_backlog'],
      ['NAPI', 'napi_struct'],
      ['NET_RX', 'NET_RX_SOFTIRQ'],
      ['neighbour', 'neighbour'],
    ];
    await expect(glossary.getByRole('button')).toHaveText(expected.map(([w]) => w));
    for (const [w, ident] of expected) {
      await glossary.getByRole('button', { name: w, exact: true }).click();
      await expect(page.getByRole('dialog', { name: `${w} (glossary)` }).getByRole('link')).toHaveAttribute(
        'href',
        `https://elixir.bootlin.com/linux/v6.18/A/ident/${ident}`,
      );
      await page.getByRole('dialog', { name: `${w} (glossary)` }).press('Escape');
    }
    await page.screenshot({ path: 'test-results/explain-glossary.png' });
  });
});

for (const [name, width, height] of [
  ['desktop', 1366, 850],
  ['tablet', 1024, 768],
  ['small tablet', 720, 900],
  ['phone', 390, 844],
] as const) {
  test.describe(`at ${width}×${height}`, () => {
    test.use({ storageState: TOUR_SEEN, viewport: { width, height } });

    test(`the current call's explanation is in view at every step of the seed (${name})`, async ({ page }) => {
      test.setTimeout(1_200_000);
      const total = await open(page);
      const status = page.getByRole('status');
      const current = page.getByRole('region', { name: 'Current call' });
      await expect(current.locator('.explanation')).toBeInViewport({ ratio: 1 });
      for (let step = 0; step <= total; step++) {
        if (step > 0) {
          await page.keyboard.press('ArrowRight');
          await expect(status).toHaveText(`Step ${step} of ${total}`);
        }
        // The explanation and the first change, whole, inside the window and every box that clips them.
        const hidden = await current.evaluate((box) => {
          const clipped = (el: Element): boolean => {
            const r = el.getBoundingClientRect();
            if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return true;
            for (let a = el.parentElement; a; a = a.parentElement) {
              const style = getComputedStyle(a);
              if (style.overflow !== 'visible') {
                const c = a.getBoundingClientRect();
                if (r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5 || r.left < c.left - 0.5 || r.right > c.right + 0.5)
                  return true;
              }
              // A fixed box (the phone layout pins the current call) is clipped by nothing above it.
              if (style.position === 'fixed') break;
            }
            return false;
          };
          const parts = [box.querySelector('.explanation'), box.querySelector('.step-effects li')].filter((e) => e !== null);
          return parts.filter(clipped).map((e) => e.textContent);
        });
        expect(hidden, `step ${step}`).toEqual([]);
        if (step === 199) await page.screenshot({ path: `test-results/explain-current-call-${name.replace(' ', '-')}.png` });
      }
    });
  });
}

test.describe('the tour', () => {
  test.use({ storageState: EMPTY_STORAGE, viewport: { width: 1366, height: 850 } });

  test('shows on a first visit, walks six stops (one on the legend), and is not shown again', async ({ page }) => {
    const problems = watchProblems(page);
    await open(page);
    const tour = page.getByRole('dialog', { name: 'Tour' });
    await expect(tour).toBeVisible();
    const titles: string[] = [];
    for (let i = 1; i <= 6; i++) {
      await expect(tour.locator('.tour-count')).toHaveText(`${i} of 6`);
      titles.push((await tour.getByRole('heading').textContent()) ?? '');
      if (i === 3) {
        // The legend stop: the legend is outlined and in view, and the card does not cover it.
        const legend = page.locator('.topology-legend');
        await expect(legend).toHaveClass(/tour-target/);
        await expect(legend).toBeInViewport();
        const a = (await legend.boundingBox())!;
        const b = (await tour.boundingBox())!;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, 'the card covers the legend').toBe(false);
      }
      await page.screenshot({ path: `test-results/explain-tour-${i}.png` });
      await tour.getByRole('button', { name: i < 6 ? 'Next' : 'Done' }).click();
    }
    expect(titles).toEqual([
      'Step through the kernel',
      'The machine',
      'What the colours mean',
      'The current call',
      'The packet',
      'Words, and help',
    ]);
    await expect(tour).toBeHidden();
    await expect(page.getByRole('button', { name: 'Help' })).toBeFocused();
    // A new visit (the address without the state the page wrote into it).
    await page.goto('about:blank');
    await page.goto('./');
    await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/, { timeout: 30_000 });
    await page.waitForTimeout(500);
    await expect(tour).toBeHidden();
    // Help brings it back.
    await page.getByRole('button', { name: 'Help' }).click();
    await expect(tour).toBeVisible();
    await expect(tour.locator('.tour-count')).toHaveText('1 of 6');
    expect(problems).toEqual([]);
  });

  test('can be skipped (button or Escape), and skipping is remembered', async ({ page }) => {
    await open(page);
    const tour = page.getByRole('dialog', { name: 'Tour' });
    await tour.getByRole('button', { name: 'Next' }).click();
    await tour.getByRole('button', { name: 'Skip tour' }).click();
    await expect(tour).toBeHidden();
    expect(await page.evaluate(() => localStorage.getItem('skbwalk.tour'))).toBe('done');
    await page.goto('about:blank');
    await page.goto('./');
    await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/, { timeout: 30_000 });
    await page.waitForTimeout(500);
    await expect(tour).toBeHidden();
    // Escape skips too.
    await page.evaluate(() => localStorage.clear());
    await page.goto('about:blank');
    await page.goto('./');
    await expect(tour).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await expect(tour).toBeHidden();
    expect(await page.evaluate(() => localStorage.getItem('skbwalk.tour'))).toBe('done');
  });

  test('is not shown in an embed, nor when opening a shared link', async ({ page }) => {
    await open(page, './?embed=1');
    await page.waitForTimeout(500);
    await expect(page.getByRole('dialog', { name: 'Tour' })).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    // A link made at step 3.
    await open(page);
    await page.getByRole('dialog', { name: 'Tour' }).getByRole('button', { name: 'Skip tour' }).click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('status')).toHaveText(/^Step 3 of/);
    await expect(page).toHaveURL(/#s=/);
    const link = page.url();
    await page.evaluate(() => localStorage.clear());
    await page.goto('about:blank');
    await page.goto(link);
    await expect(page.getByRole('status')).toHaveText(/^Step 3 of/, { timeout: 30_000 });
    await page.waitForTimeout(500);
    await expect(page.getByRole('dialog', { name: 'Tour' })).toHaveCount(0);
  });

  for (const [name, width, height] of [
    ['720x480', 720, 480],
    ['phone', 390, 844],
  ] as const) {
    test(`fits the screen at ${name}`, async ({ page }) => {
      await page.setViewportSize({ width, height });
      await open(page);
      const tour = page.getByRole('dialog', { name: 'Tour' });
      for (let i = 1; i <= 6; i++) {
        await expect(tour).toBeInViewport({ ratio: 1 });
        await page.screenshot({ path: `test-results/explain-tour-${name}-${i}.png` });
        if (i < 6) await tour.getByRole('button', { name: 'Next' }).click();
      }
    });
  }
});
