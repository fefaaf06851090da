// The gallery end to end: every example scenario opens with its narrative,
// each chapter jumps to the step its note is about and shows the note as a
// callout there; Play pauses at each note; "Next drop" and a breakpoint on a
// device stop where they say, and every search runs backward too; stepping
// never scrolls the page.
import { expect, test, type Page } from '@playwright/test';
import { watchProblems } from './problems.ts';

const STEP_RE = /^Step (\d+) of (\d+)$/;

async function stepOf(page: Page): Promise<number> {
  const m = STEP_RE.exec((await page.getByRole('status').textContent()) ?? '');
  return m ? Number(m[1]) : -1;
}

/** The gallery's scenarios as the example menu lists them: id and title. */
async function galleryOptions(page: Page): Promise<{ id: string; title: string }[]> {
  const options = page.getByRole('combobox', { name: 'Example scenario' }).locator('option');
  const all = await options.evaluateAll((els) =>
    els.map((o) => ({ id: (o as HTMLOptionElement).value, title: o.textContent ?? '' })),
  );
  return all.filter((o) => o.id !== 'draft');
}

/** Picks a gallery scenario, runs it and waits until its narrative is on display at step 0. */
async function openScenario(page: Page, id: string, title: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Example scenario' }).selectOption(id);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Choosing the example started a run and Run started another: wait for the
  // last one, or its arrival would take the reader back to step 0 mid-test.
  await expect(page.getByRole('status')).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  await expect(page.getByRole('complementary', { name: 'Note' })).toContainText(title, { timeout: 30_000 });
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
});

test('every gallery scenario tells its story: each chapter jumps to its step and shows its note there', async ({ page }) => {
  const problems = watchProblems(page);
  const scenarios = await galleryOptions(page);
  expect(scenarios.length).toBeGreaterThanOrEqual(12);
  // Each scenario is run and walked chapter by chapter: budget the test by the
  // gallery's size (a loaded machine took over 15 s for one scenario).
  test.setTimeout(60_000 * scenarios.length);
  const shots = new Set(['seed-defaults', 'docker-bridge', 'ttl-expired']);
  for (const { id, title } of scenarios) {
    await openScenario(page, id, title);
    const chapters = page.getByRole('navigation', { name: 'Chapters' }).getByRole('button');
    const n = await chapters.count();
    expect(n, id).toBeGreaterThanOrEqual(4);
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const chapter = chapters.nth(i);
      const name = ((await chapter.textContent()) ?? '').replace(/^\d+\s*/, '');
      const target = Number(/Go to step (\d+)/.exec((await chapter.getAttribute('title')) ?? '')?.[1]);
      expect(target, `${id}: chapter "${name}" has a step`).toBeGreaterThan(previous);
      previous = target;
      await chapter.click();
      await expect(page.getByRole('status')).toHaveText(new RegExp(`^Step ${target} of \\d+$`));
      await expect(chapter).toHaveAttribute('aria-current', 'step');
      const note = page.getByRole('complementary', { name: 'Note' });
      await expect(note).toContainText(`${i + 1}. ${name}`);
      await expect(note).toHaveClass(/at-step/);
      if (shots.has(id) && i === 1) await page.screenshot({ path: `test-results/gallery-${id}.png` });
    }
    // One step on, the reader is still in the last chapter, no longer at its step.
    if ((await page.getByRole('button', { name: 'Step into', exact: true }).isEnabled()) === true) {
      await page.getByRole('button', { name: 'Step into', exact: true }).click();
      await expect(page.getByRole('complementary', { name: 'Note' })).not.toHaveClass(/at-step/);
      await expect(page.getByRole('complementary', { name: 'Note' })).toContainText(`(step ${previous})`);
    }
  }
  expect(problems).toEqual([]);
});

test('Next drop lands on a kfree_skb step with its reason, then on the next one', async ({ page }) => {
  await openScenario(page, 'link-down-peer', 'one end of the cable down');
  const effects = page.getByRole('list', { name: /this call's tracepoints/ });
  await page.getByRole('button', { name: 'Next drop' }).click();
  await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn')).toHaveText(
    'kfree_skb_reason',
  );
  await expect(effects).toContainText(/kfree_skb skb=\d+ location=__dev_queue_xmit reason=QDISC_DROP/);
  const first = await stepOf(page);
  // The events panel, filtered to drops, lists exactly the drops so far.
  await page.getByRole('combobox', { name: 'Event kind' }).selectOption('kfree_skb');
  await expect(page.getByRole('list', { name: 'Tracepoint events' }).getByRole('listitem')).toHaveCount(1);
  for (let k = 2; k <= 3; k++) {
    await page.getByRole('button', { name: 'Next drop' }).click();
    await expect(page.getByRole('list', { name: 'Tracepoint events' }).getByRole('listitem')).toHaveCount(k);
  }
  await page.getByRole('button', { name: 'Next drop' }).click();
  await expect(effects).toContainText(/reason=NEIGH_FAILED/);
  expect(await stepOf(page)).toBeGreaterThan(first);
  await page.getByRole('button', { name: 'Next drop' }).click();
  await expect(page.getByText('No drop (kfree_skb) after this step.')).toBeVisible();
});

test('a breakpoint on a device stops at its next packet; one on a drop reason at that drop', async ({ page }) => {
  await openScenario(page, 'netns-pair', 'veth pair host ↔ namespace');
  await page.getByRole('combobox', { name: 'Run until what' }).selectOption('device');
  const field = page.getByLabel('Run until device');
  await field.fill('ns1/veth1');
  await field.press('Enter');
  const effects = page.getByRole('list', { name: /this call's tracepoints/ });
  await expect(effects).toContainText(/(net_dev_queue|netif_receive_skb) skb=\d+ dev=veth1 /);
  const first = await stepOf(page);
  expect(first).toBeGreaterThan(0);
  // The current call is on veth1: "Next packet on" follows the same device.
  const next = page.getByRole('button', { name: /^Next packet on / });
  await expect(next).toHaveText('Next packet on ns1/veth1');
  await next.click();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(first);
  await expect(effects).toContainText(/(net_dev_queue|netif_receive_skb) skb=\d+ dev=veth1 /);
  // The events panel filtered to that device shows only its lines.
  await page.getByRole('combobox', { name: 'Event device' }).selectOption('ns1/veth1');
  const lines = page.getByRole('list', { name: 'Tracepoint events' }).getByRole('listitem');
  expect(await lines.count()).toBeGreaterThan(1);
  for (const t of await lines.allTextContents()) expect(t).toContain('dev=veth1');

  await page.getByRole('combobox', { name: 'Run until what' }).selectOption('reason');
  const reason = page.getByLabel('Run until drop reason');
  await reason.fill('NO_SOCKET');
  await reason.press('Enter');
  await expect(effects).toContainText(/kfree_skb skb=\d+ location=ping_rcv reason=NO_SOCKET/);
  await reason.fill('OTHERHOST');
  await reason.press('Enter');
  await expect(page.getByText('No packet is dropped with reason OTHERHOST in this run.')).toBeVisible();
});

for (const [w, h] of [
  [390, 844],
  [1100, 700],
] as const) {
  test(`the chapters and the callout fit a ${w}x${h} window`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openScenario(page, 'router-no-forward', 'the same router with forwarding off');
    const chapters = page.getByRole('navigation', { name: 'Chapters' }).getByRole('button');
    await chapters.nth(2).click();
    const note = page.getByRole('complementary', { name: 'Note' });
    await expect(note).toHaveClass(/at-step/);
    await expect(note).toContainText('IP_INADDRERRORS');
    // Stepping does not scroll the page: the note under the chapters is still in view.
    await expect(note).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    await page.screenshot({ path: `test-results/gallery-callout-${w}x${h}.png` });
  });
}

test('every search runs backward too: previous drop, previous packet on a device, run back until, previous matching event', async ({
  page,
}) => {
  await openScenario(page, 'link-down-peer', 'one end of the cable down');
  const effects = page.getByRole('list', { name: /this call's tracepoints/ });
  // Forward to the NEIGH_FAILED drop, the last one, noting each drop on the way.
  const drops: number[] = [];
  for (let k = 0; k < 4; k++) {
    await page.getByRole('button', { name: 'Next drop' }).click();
    await expect.poll(() => stepOf(page)).toBeGreaterThan(drops.at(-1) ?? 0);
    drops.push(await stepOf(page));
  }
  await expect(effects).toContainText(/reason=NEIGH_FAILED/);
  // Back through the same drops, with the button, Shift+click and Shift+D.
  await page.getByRole('button', { name: 'Previous drop' }).click();
  await expect.poll(() => stepOf(page)).toBe(drops[2]);
  await page.getByRole('button', { name: 'Next drop' }).click({ modifiers: ['Shift'] });
  await expect.poll(() => stepOf(page)).toBe(drops[1]);
  await page.getByRole('heading', { name: 'Topology' }).click();
  await page.keyboard.press('Shift+D');
  await expect.poll(() => stepOf(page)).toBe(drops[0]);
  await expect(effects).toContainText(/reason=QDISC_DROP/);
  await page.getByRole('button', { name: 'Previous drop' }).click();
  await expect(page.getByText('No drop (kfree_skb) before this step.')).toBeVisible();

  // Run until, both ways: the ARP probes (neigh_probe) around the first drop.
  const field = page.getByLabel('Run until function');
  await field.fill('neigh_probe');
  await field.press('Enter');
  await expect.poll(() => stepOf(page)).toBeGreaterThan(drops[0]);
  const probes = [await stepOf(page)];
  await field.press('Enter');
  await expect.poll(() => stepOf(page)).toBeGreaterThan(probes[0]);
  probes.push(await stepOf(page));
  await field.press('Shift+Enter');
  await expect.poll(() => stepOf(page)).toBe(probes[0]);
  await page.getByRole('button', { name: 'Run back until' }).click();
  await expect.poll(() => stepOf(page)).toBeLessThan(drops[0]);
  await page.getByRole('button', { name: 'Run back until' }).click();
  await expect(page.getByText('neigh_probe is not called before this step.')).toBeVisible();

  // The events filter: the previous and next step with a matching event.
  await page.getByRole('combobox', { name: 'Event kind' }).selectOption('kfree_skb');
  const previousMatch = page.getByRole('button', { name: 'Previous matching event' });
  const nextMatch = page.getByRole('button', { name: 'Next matching event' });
  await expect(previousMatch).toBeDisabled();
  await nextMatch.click();
  await expect.poll(() => stepOf(page)).toBe(drops[0]);
  await nextMatch.click();
  await expect.poll(() => stepOf(page)).toBe(drops[1]);
  await previousMatch.click();
  await expect.poll(() => stepOf(page)).toBe(drops[0]);
  await expect(page.getByRole('list', { name: 'Tracepoint events' }).getByRole('listitem')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/gallery-search-backward.png' });
});

test('a breakpoint on a device runs backward as well as forward', async ({ page }) => {
  await openScenario(page, 'netns-pair', 'veth pair host ↔ namespace');
  await page.getByRole('combobox', { name: 'Run until what' }).selectOption('device');
  const field = page.getByLabel('Run until device');
  await field.fill('ns1/veth1');
  await field.press('Enter');
  const next = page.getByRole('button', { name: /^Next packet on / });
  await expect(next).toHaveText('Next packet on ns1/veth1');
  const first = await stepOf(page);
  await next.click();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(first);
  const second = await stepOf(page);
  await page.getByRole('button', { name: 'Previous packet on ns1/veth1' }).click();
  await expect.poll(() => stepOf(page)).toBe(first);
  await page.getByRole('heading', { name: 'Topology' }).click();
  await page.keyboard.press('p');
  await expect.poll(() => stepOf(page)).toBe(second);
  await page.keyboard.press('Shift+P');
  await expect.poll(() => stepOf(page)).toBe(first);
  await field.press('Shift+Enter');
  await expect(page.getByText('No packet on ns1/veth1 before this step.')).toBeVisible();
});

test("Play pauses at each note's callout, and goes on from there", async ({ page }) => {
  await openScenario(page, 'lo-ping', 'ping over loopback (lo)');
  const chapters = page.getByRole('navigation', { name: 'Chapters' }).getByRole('button');
  const at = async (i: number) => Number(/Go to step (\d+)/.exec((await chapters.nth(i).getAttribute('title')) ?? '')?.[1]);
  const [first, second] = [await at(0), await at(1)];
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
  const play = page.getByRole('button', { name: /^(Play|Pause)$/ });
  const note = page.getByRole('complementary', { name: 'Note' });
  await play.click();
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Step ${first} of \\d+$`), { timeout: 60_000 });
  await expect(play).toHaveText('Play');
  await expect(note).toHaveClass(/at-step/);
  await expect(note).toContainText(`1. ${((await chapters.nth(0).textContent()) ?? '').replace(/^\d+\s*/, '')}`);
  // It stays there: the reader has time to read.
  await page.waitForTimeout(300);
  expect(await stepOf(page)).toBe(first);
  await play.click();
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Step ${second} of \\d+$`), { timeout: 60_000 });
  await expect(play).toHaveText('Play');
  await expect(note).toHaveClass(/at-step/);
});

for (const [w, h] of [
  [1366, 850],
  [390, 844],
] as const) {
  test(`stepping at ${w}x${h} scrolls the editor to the running line, never the page`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openScenario(page, 'ttl-expired', 'TTL running out on the way');
    await expect(page.locator('.cm-content[aria-label="Scenario"]')).toBeVisible();
    // The reader looks at the top of the page (the chapters, the diagram) and steps with the keys.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole('heading', { name: 'Topology' }).click();
    const effects = page.getByRole('list', { name: /this call's tracepoints/ });
    // The first drop is in the first ping (line 34 of 37), the second in the second ping.
    await page.keyboard.press('d');
    await expect(effects).toContainText('reason=IP_INHDR');
    await page.keyboard.press('d');
    await expect(effects).toContainText('reason=NO_SOCKET');
    // The editor follows within a frame of the view: give it time, then the page must not have moved.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    // In the Scenario panel, the running line has been scrolled into view.
    await page.locator('.panel-scenario').scrollIntoViewIfNeeded();
    const running = page.locator('.cm-running-line');
    await expect(running).toHaveText('ip netns exec h1 ping -c 1 -t 3 10.3.3.2');
    const line = (await running.boundingBox())!;
    for (const box of ['.panel-scenario .panel-body', '.panel-scenario .cm-scroller']) {
      const shown = (await page.locator(box).boundingBox())!;
      expect(line.y, box).toBeGreaterThanOrEqual(shown.y - 1);
      expect(line.y + line.height, box).toBeLessThanOrEqual(shown.y + shown.height + 1);
    }
    await page.screenshot({ path: `test-results/gallery-editor-follow-${w}x${h}.png` });
  });
}
