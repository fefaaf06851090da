// The explorer, end to end, against the built app and the real engine worker,
// on the default (seed) scenario: a veth pair in one namespace, ping -c 2.
import { readdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { FirstRun } from '../src/engine/worker/firstRun.ts';
import { watchProblems } from './problems.ts';
import { scenarioText, setScenario } from './scenarioEditor.ts';
import { TOUR_SEEN } from './storage.ts';

const STEP_RE = /^Step (\d+) of (\d+)$/;

async function open(page: Page): Promise<number> {
  await page.goto('./');
  const status = page.getByRole('status');
  await expect(status).toHaveText(STEP_RE, { timeout: 30_000 });
  const m = STEP_RE.exec((await status.textContent()) ?? '');
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBe(0);
  return Number(m![2]);
}

async function stepOf(page: Page): Promise<number> {
  const m = STEP_RE.exec((await page.getByRole('status').textContent()) ?? '');
  return m ? Number(m[1]) : -1;
}

function currentFn(page: Page): Locator {
  return page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn');
}

async function runUntil(page: Page, fn: string): Promise<number> {
  const before = await stepOf(page);
  const field = page.getByLabel('Run until function');
  await field.fill(fn);
  await field.press('Enter');
  await expect(currentFn(page)).toHaveText(fn);
  const after = await stepOf(page);
  expect(after).toBeGreaterThan(before);
  return after;
}

test('opens the seed scenario at step 0', async ({ page }) => {
  const problems = watchProblems(page);
  const total = await open(page);
  expect(total).toBeGreaterThan(100);
  await expect(page.getByRole('heading', { level: 1, name: 'skbwalk' })).toBeVisible();
  for (const name of ['Topology', 'Call stack', 'skb', 'Events', 'Captures', 'Terminal']) {
    await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
  }
  for (const name of ['Step into', 'Step over', 'Step out', 'Step back', 'Play', 'Restart', 'Next event']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('slider', { name: 'Timeline' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Speed' })).toBeVisible();
  await expect(page.getByTestId('dev-lo')).toBeVisible();
  await expect(page.getByTestId('backlog-cpu0')).toBeVisible();
  await page.screenshot({ path: 'test-results/explorer-step0.png' });
  // By the first kernel call the script has made the veth pair.
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Step 1 of ${total}`);
  await expect(page.getByTestId('dev-veth0')).toBeVisible();
  await expect(page.getByTestId('dev-veth1')).toBeVisible();
  await expect(page.getByTestId('dev-veth0')).toContainText('192.168.1.1/24');
  await expect(page.getByTestId('dev-veth0')).toContainText('UP');
  expect(problems).toEqual([]);
});

test('Step into, clicked 141 times, walks the first ARP request into the backlog and the softirq', async ({ page }) => {
  // 141 clicks, each waiting for its view: room for a loaded machine.
  test.setTimeout(480_000);
  const problems = watchProblems(page);
  const total = await open(page);
  const status = page.getByRole('status');
  const into = page.getByRole('button', { name: 'Step into', exact: true });
  const fns: string[] = [];
  // Every call is two steps, its entry and its return (the queue helpers' too): arp_rcv is entered at step 139
  // (ping's socket, setsockopt, connect and sendto come first).
  for (let i = 1; i <= 141; i++) {
    await into.click();
    await expect(status).toHaveText(`Step ${i} of ${total}`);
    fns.push((await currentFn(page).textContent()) ?? '');
  }
  const order = [
    'dev_hard_start_xmit',
    'veth_xmit',
    'veth_forward_skb',
    'enqueue_to_backlog',
    'raise_softirq_irqoff',
    '__skb_queue_tail',
    'net_rx_action',
    'process_backlog',
    'skb_queue_splice_tail_init',
    '__skb_dequeue',
    '__netif_receive_skb_core',
    'arp_rcv',
  ];
  let last = -1;
  for (const fn of order) {
    const at = fns.indexOf(fn, last + 1);
    expect(at, `${fn} after step ${last + 1} in ${fns.join(' ')}`).toBeGreaterThan(last);
    last = at;
  }
  await page.screenshot({ path: 'test-results/explorer-step141.png' });
  expect(problems).toEqual([]);
});

/** The default scenario's run as the build shipped it to the page under test (dist/, which the preview serves). */
async function builtFirstRun(): Promise<FirstRun> {
  const assets = new URL('../dist/assets/', import.meta.url);
  const file = readdirSync(assets).find((f) => f.startsWith('_virtual_skbwalk-first-run-') && f.endsWith('.js'));
  if (!file) throw new Error('dist/assets has no first-run module: run vite build first');
  return ((await import(new URL(file, assets).href)) as { firstRun: FirstRun }).firstRun;
}

test("Run until suggests the run's functions, devices and drop reasons once the reader reaches the field", async ({ page }) => {
  await open(page);
  const field = page.getByLabel('Run until function');
  const suggestions = (kind: string) => page.locator(`datalist#breakpoint-${kind} option`);
  // Not made with the first picture.
  await expect(suggestions('functions')).toHaveCount(0);
  await field.focus();
  // Every modelled kernel function, as the run the page shows names them (the build's first run of this scenario).
  const { knownFunctions } = (await builtFirstRun()).summary;
  expect(knownFunctions).toContain('enqueue_to_backlog');
  await expect(suggestions('functions')).toHaveCount(knownFunctions.length);
  expect(await suggestions('functions').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(
    knownFunctions,
  );
  const kind = page.getByRole('combobox', { name: 'Run until what' });
  await kind.selectOption('device');
  expect(await suggestions('devices').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
    'veth0',
    'veth1',
    'lo',
  ]);
  await kind.selectOption('reason');
  expect(await suggestions('reasons').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['NO_SOCKET']);
});

test('Run until function follows the packet through the whole ping, in kernel order', async ({ page }) => {
  // Eleven searches and a jump to the end, each waiting for its view: room for a loaded machine.
  test.setTimeout(300_000);
  const problems = watchProblems(page);
  const total = await open(page);
  const order = [
    'dev_hard_start_xmit',
    'veth_xmit',
    'veth_forward_skb',
    'enqueue_to_backlog',
    'raise_softirq_irqoff',
    'net_rx_action',
    'process_backlog',
    '__netif_receive_skb_core',
    'arp_rcv',
    'icmp_rcv',
    'loopback_xmit',
  ];
  for (const fn of order) {
    await runUntil(page, fn);
    if (fn === 'raise_softirq_irqoff') {
      await expect(page.getByRole('region', { name: 'Events' })).toContainText('vec=NET_RX');
    }
    if (fn === 'icmp_rcv') await page.screenshot({ path: 'test-results/explorer-icmp_rcv.png' });
  }
  // The end of the run: both replies printed.
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(total));
  await expect(page.getByRole('status')).toHaveText(`Step ${total} of ${total}`);
  const terminal = page.getByRole('region', { name: 'Terminal' });
  await expect(terminal).toContainText('64 bytes from 192.168.1.2');
  const text = (await terminal.innerText()).split('\n').filter((l) => l.includes('64 bytes from 192.168.1.2'));
  expect(text.length).toBe(2);
  await expect(page.getByRole('region', { name: 'Captures' })).toContainText('192.168.1.1');
  await page.screenshot({ path: 'test-results/explorer-end.png' });
  expect(problems).toEqual([]);
});

test('Step back restores exactly the previous view', async ({ page }) => {
  const total = await open(page);
  const step = await runUntil(page, 'veth_xmit');
  const stack = page.getByRole('region', { name: 'Call stack' });
  const skb = page.getByRole('region', { name: 'skb', exact: true });
  const topo = page.getByTestId('dev-veth0');
  const before = [await stack.innerText(), await skb.innerText(), await topo.innerHTML()];
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Step ${step + 1} of ${total}`);
  expect(await stack.innerText()).not.toEqual(before[0]);
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Step ${step} of ${total}`);
  expect([await stack.innerText(), await skb.innerText(), await topo.innerHTML()]).toEqual(before);
});

test('Step over enqueue_to_backlog lands on its return: the skb in cpu0 backlog, NET_RX_SUCCESS on the stack', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const total = await open(page);
  const step = await runUntil(page, 'enqueue_to_backlog');
  const backlog = page.getByTestId('backlog-cpu0');
  const tokens = backlog.locator('[data-testid^="skb-"]');
  const stack = page.getByRole('region', { name: 'Call stack' });
  const frames = await stack.locator('ol.stack > li').count();
  // At the entry the queue is still empty and nothing is returned yet.
  await expect(tokens).toHaveCount(0);
  await expect(stack.locator('li[aria-current="step"] .ret')).toHaveCount(0);
  await page.getByRole('button', { name: 'Step over', exact: true }).click();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(step);
  const after = await stepOf(page);
  expect(after).toBeLessThanOrEqual(total);
  // Still enqueue_to_backlog, on the same stack, now returning with its effect done.
  await expect(currentFn(page)).toHaveText('enqueue_to_backlog');
  await expect(stack.locator('li[aria-current="step"] .ret')).toHaveText('returns NET_RX_SUCCESS');
  expect(await stack.locator('ol.stack > li').count()).toBe(frames);
  await expect(stack).toContainText('enqueue_to_backlog returns NET_RX_SUCCESS to netif_rx_internal');
  await expect(tokens).toHaveCount(1);
  const id = await tokens.first().getAttribute('data-testid');
  expect(id).toMatch(/^skb-\d+$/);
  await expect(backlog).toContainText('input_pkt_queue (1)');
  await expect(page.locator('.current-fn')).toHaveText('enqueue_to_backlog() returns NET_RX_SUCCESS');
  await page.screenshot({ path: 'test-results/explorer-backlog.png' });
  // Step back shows the previous step: __skb_queue_tail returning, which linked the skb into the queue.
  await page.getByRole('button', { name: 'Step back', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Step ${after - 1} of ${total}`);
  await expect(currentFn(page)).toHaveText('__skb_queue_tail');
  await expect(stack).toContainText('cpu0 input_pkt_queue: skb #');
  await expect(tokens).toHaveCount(1);
  // Step out from the return lands on the caller's return, with its own value.
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await page.getByRole('button', { name: 'Step out', exact: true }).click();
  await expect(currentFn(page)).toHaveText('netif_rx_internal');
  await expect(stack.locator('li[aria-current="step"] .ret')).toHaveText('returns NET_RX_SUCCESS');
  expect(problems).toEqual([]);
  // Once process_backlog has run, the queue is empty again.
  await runUntil(page, '__netif_receive_skb_core');
  await expect(backlog.locator('[data-testid^="skb-"]')).toHaveCount(0);
});

test('keyboard shortcuts step, step over and play', async ({ page }) => {
  const total = await open(page);
  const status = page.getByRole('status');
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('ArrowRight');
  await expect(status).toHaveText(`Step 1 of ${total}`);
  await page.keyboard.press('ArrowRight');
  await expect(status).toHaveText(`Step 2 of ${total}`);
  await page.keyboard.press('ArrowLeft');
  await expect(status).toHaveText(`Step 1 of ${total}`);
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(() => stepOf(page)).toBeGreaterThan(1);
  const afterOver = await stepOf(page);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(afterOver + 2);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  const paused = await stepOf(page);
  await page.waitForTimeout(400);
  expect(await stepOf(page)).toBe(paused);
  // Typing in a text field does not step.
  const field = page.getByLabel('Run until function');
  await field.click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  expect(await stepOf(page)).toBe(paused);
});

test('step over, step out, next event and restart', async ({ page }) => {
  const total = await open(page);
  const status = page.getByRole('status');
  const step = await runUntil(page, 'veth_xmit');
  const depth = await page.getByRole('region', { name: 'Call stack' }).locator('ol.stack > li').count();
  // Step over from veth_xmit's entry: its return, after everything it called.
  await page.getByRole('button', { name: 'Step over', exact: true }).click();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(step + 1);
  await expect(currentFn(page)).toHaveText('veth_xmit');
  await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .ret')).toHaveText(
    'returns NETDEV_TX_OK',
  );
  expect(await page.getByRole('region', { name: 'Call stack' }).locator('ol.stack > li').count()).toBe(depth);
  const s2 = await stepOf(page);
  // Step out: the caller's return.
  await page.getByRole('button', { name: 'Step out', exact: true }).click();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(s2);
  await expect(currentFn(page)).toHaveText('netdev_start_xmit');
  expect(await page.getByRole('region', { name: 'Call stack' }).locator('ol.stack > li').count()).toBe(depth - 1);
  const s3 = await stepOf(page);
  await page.getByRole('button', { name: 'Next event', exact: true }).click();
  await expect.poll(() => stepOf(page)).toBeGreaterThan(s3);
  // Clicking an outer frame goes back to the step that entered it.
  await runUntil(page, 'veth_xmit');
  const vethStep = await stepOf(page);
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(status).toHaveText(`Step ${vethStep + 1} of ${total}`);
  await page.getByRole('region', { name: 'Call stack' }).getByRole('button', { name: 'veth_xmit', exact: true }).click();
  await expect(status).toHaveText(`Step ${vethStep} of ${total}`);
  await expect(currentFn(page)).toHaveText('veth_xmit');
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(status).toHaveText(`Step 0 of ${total}`);
});

test('clicking an event or a capture line jumps to its step', async ({ page }) => {
  const total = await open(page);
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(total));
  await expect(page.getByRole('status')).toHaveText(`Step ${total} of ${total}`);
  const events = page.getByRole('region', { name: 'Events' });
  const first = events.locator('button.line').filter({ hasText: 'net_dev_start_xmit' }).first();
  const target = Number(await first.locator('.line-step').textContent());
  await first.click();
  await expect(page.getByRole('status')).toHaveText(`Step ${target} of ${total}`);
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(total));
  await expect(page.getByRole('status')).toHaveText(`Step ${total} of ${total}`);
  await events.getByRole('searchbox', { name: 'Filter events' }).fill('netif_rx');
  await expect(events.locator('button.line').first()).toContainText('netif_rx');
  for (const t of await events.locator('button.line .line-text').allTextContents()) expect(t).toContain('netif_rx');
  const cap = page.getByRole('region', { name: 'Captures' }).locator('button.line').first();
  const capStep = Number(await cap.locator('.line-step').textContent());
  await cap.click();
  await expect(page.getByRole('status')).toHaveText(`Step ${capStep} of ${total}`);
});

test('skb panel decodes headers and links fields and bytes', async ({ page }) => {
  await open(page);
  await runUntil(page, 'icmp_rcv');
  const skb = page.getByRole('region', { name: 'skb', exact: true });
  await expect(skb).toContainText('IPv4');
  await expect(skb).toContainText('ICMP');
  await expect(skb).toContainText('echo request');
  await expect(skb).toContainText('192.168.1.2');
  // Field -> bytes.
  await skb.locator('tr[data-field="IPv4.daddr"]').hover();
  await expect(skb.locator('.hexdump .hb.hl')).toHaveCount(4);
  // Byte -> field.
  const ttlByte = skb.locator('tr[data-field="IPv4.ttl"]');
  await page.mouse.move(0, 0);
  await expect(skb.locator('.hexdump .hb.hl')).toHaveCount(0);
  const ipStart = Number((await skb.locator('table.layer-ipv4 caption .muted').textContent())!.match(/bytes (\d+)/)![1]);
  await skb.locator(`.hexdump [data-off="${ipStart + 8}"]`).hover();
  await expect(ttlByte).toHaveClass(/hl/);
  await page.screenshot({ path: 'test-results/explorer-skb-hover.png' });
});

test('a scenario with a bad command shows an error and the app stays alive', async ({ page }) => {
  const problems = watchProblems(page);
  await open(page);
  const bad = 'frobnicate --now\nip link add veth0 type veth peer name veth1\n';
  await setScenario(page, bad);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Problems' }).filter({ hasText: 'frobnicate' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(STEP_RE);
  expect(await scenarioText(page)).toBe(bad);
  await expect(page.getByRole('heading', { level: 1, name: 'skbwalk' })).toBeVisible();
  await page.screenshot({ path: 'test-results/explorer-bad-command.png' });

  // A scenario the engine refuses outright (too big) leaves the last run on screen and the text intact.
  const huge = '# ' + 'x'.repeat(300 * 1024) + '\n';
  await page.getByRole('textbox', { name: 'Scenario' }).fill(huge);
  await expect(page.getByRole('alert').filter({ hasText: 'could not be run' })).toBeVisible();
  const saved = () => page.evaluate(() => localStorage.getItem('skbwalk.scenario')?.length);
  expect(await saved()).toBe(huge.length);
  await expect(page.getByRole('status')).toHaveText(STEP_RE);

  // And a good scenario runs again afterwards (choosing it runs it).
  await page.getByRole('combobox', { name: 'Example scenario' }).selectOption('lo-ping');
  await expect(page.getByTestId('dev-veth0')).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
  await expect(page.getByTestId('dev-lo')).toBeVisible();
  // The user's text was kept as "Your scenario".
  await page.getByRole('combobox', { name: 'Example scenario' }).selectOption('draft');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be run' })).toBeVisible();
  expect(await saved()).toBe(huge.length);
  expect(problems.filter((p) => !p.includes('Content Security Policy'))).toEqual([]);
});

test('the note is that of the command running, not of the one that printed last', async ({ page }) => {
  await open(page);
  await setScenario(
    page,
    [
      '# Ageing neighbours',
      'ip netns add ns1',
      'ip link add veth0 type veth peer name veth1',
      'ip link set veth1 netns ns1',
      'ip addr add 10.1.1.1/24 dev veth0',
      'ip link set veth0 up',
      'ip netns exec ns1 ip addr add 10.1.1.2/24 dev veth1',
      'ip netns exec ns1 ip link set veth1 up',
      '# Ping once.',
      'ping -c 1 10.1.1.2',
      'ip -n ns1 neigh show',
      '# Wait while the entries age.',
      'sleep 6',
      '',
    ].join('\n'),
  );
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.narrative-title')).toHaveText('Ageing neighbours');
  await runUntil(page, 'icmp_echo');
  await expect(page.locator('.narrative-note')).toHaveText('Ping once.');
  // The last step: the neighbour timers run during the sleep, after `ip neigh show` printed.
  const total = Number(/of (\d+)$/.exec((await page.getByRole('status').textContent()) ?? '')?.[1]);
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(total));
  await expect(page.getByRole('status')).toHaveText(`Step ${total} of ${total}`);
  await expect(page.locator('.cm-running-line')).toHaveText('sleep 6');
  await expect(page.locator('.narrative-note')).toHaveText('Wait while the entries age.');
});

test('a scenario of my own shows its title and the note of the running command', async ({ page }) => {
  await open(page);
  await setScenario(page, '# Loopback walk\ntcpdump -i lo\n# Ping ourselves once.\nping -c 1 127.0.0.1\n');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.narrative-title')).toHaveText('Loopback walk');
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
  await runUntil(page, 'loopback_xmit');
  await expect(page.locator('.narrative-note')).toHaveText('Ping ourselves once.');
  await expect(page.getByTestId('dev-lo')).toBeVisible();
  // Reloading the page keeps the text (and, since the URL holds the state, the step).
  const step = await stepOf(page);
  await page.reload();
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Step ${step} of \\d+$`));
  await expect.poll(() => scenarioText(page)).toContain('Ping ourselves once');
  // Opening the app afresh (no link) starts at step 0 with the saved text.
  await page.goto('./');
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
  await expect.poll(() => scenarioText(page)).toContain('Ping ourselves once');
});

test('netns-pair draws both namespaces with the cable between them', async ({ page }) => {
  await open(page);
  await page.getByRole('combobox', { name: 'Example scenario' }).selectOption('netns-pair');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Only the new run has ns1: until it is drawn, the status may still be the old run's.
  await expect(page.getByTestId('ns-ns1')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
  await runUntil(page, 'enqueue_to_backlog');
  await expect(page.getByTestId('dev-veth1')).toContainText('10.1.1.2/24');
  await page.screenshot({ path: 'test-results/explorer-netns-pair.png' });
});

test('bridge-two-ns draws the bridge with its ports and the namespaces', async ({ page }) => {
  await open(page);
  await page.getByRole('combobox', { name: 'Example scenario' }).selectOption('bridge-two-ns');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Choosing the example started a run and Run started another: wait for the
  // last one, or its arrival would take the reader back to step 0 mid-test.
  await expect(page.getByRole('status')).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  // Only the new run has br0: until it is drawn, the status may still be the old run's.
  await expect(page.getByTestId('dev-br0')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
  await runUntil(page, 'br_handle_frame');
  for (const id of ['dev-br0', 'dev-veth1br', 'dev-veth2br', 'dev-veth1', 'dev-veth2', 'ns-ns1', 'ns-ns2']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  await expect(page.getByTestId('dev-br0')).toContainText('bridge');
  await page.screenshot({ path: 'test-results/explorer-bridge.png' });
});

for (const [w, h] of [
  [1366, 850],
  [800, 500],
  [390, 844],
] as const) {
  test(`layout at ${w}x${h} has no horizontal scroll`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page);
    await runUntil(page, 'enqueue_to_backlog');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Stepping scrolls panels, never the page.
    await page.getByRole('button', { name: 'Step into', exact: true }).click();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(page.getByRole('button', { name: 'Step into', exact: true })).toBeVisible();
    await page.screenshot({ path: `test-results/explorer-${w}x${h}.png`, fullPage: w < 500 });
  });
}

test('dark theme and reduced motion', async ({ browser }) => {
  const ctx = await browser.newContext({
    colorScheme: 'dark',
    reducedMotion: 'reduce',
    viewport: { width: 1366, height: 850 },
    storageState: TOUR_SEEN,
  });
  const page = await ctx.newPage();
  await open(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).not.toBe('rgb(245, 246, 248)');
  await runUntil(page, 'enqueue_to_backlog');
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await page.screenshot({ path: 'test-results/explorer-dark.png' });
  await ctx.close();
});
