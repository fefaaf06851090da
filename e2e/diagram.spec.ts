// The Topology diagram against the built app: the contracts other tests and
// readers rely on (queues as lists of skbs, tokens that open their skb,
// devices named "DEV in NS" with the current one marked), readable text at
// every size, nothing overflowing its box, and screenshots of every bundled
// scenario at three sizes, kept as test artifacts.
import { readFileSync } from 'node:fs';
import { expect, test, type Frame, type Page, type TestInfo } from '@playwright/test';

// The gallery's scripts, read from their .sh files (Playwright cannot load
// Vite's ?raw imports), in the gallery's order: the seed first.
const SCENARIOS = [
  'seed-veth-same-ns',
  'seed-defaults',
  'netns-pair',
  'lo-ping',
  'ns-to-host',
  'bridge-two-ns',
  'docker-bridge',
  'router-forward',
  'router-no-forward',
  'ping-unowned-address',
  'link-down-peer',
  'big-frag',
  'ttl-expired',
  'udp-netns-hello',
  'tcp-netns-hello',
  'tcp-refused',
].map((id) => ({ id, text: readFileSync(new URL(`../src/scenarios/${id}.sh`, import.meta.url), 'utf8') }));
import { encodeState } from '../src/ui/share/urlState.ts';
import { watchProblems } from './problems.ts';

const STEP_RE = /^Step (\d+) of (\d+)$/;
const CHAIN = readFileSync(new URL('../test/fixtures/diagram/chain-five-ns.sh', import.meta.url), 'utf8');
// eth0 in two namespaces, as every pair of containers has: names repeat, devices do not.
const TWO_ETH0 = `# Two containers cabled eth0 to eth0, one pinging the other
ip netns add a
ip netns add b
ip link add eth0 type veth peer name eth0 netns b
ip link set eth0 netns a
ip -n a addr add 10.7.0.1/24 dev eth0
ip -n b addr add 10.7.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip netns exec a ping -c 1 10.7.0.2
`;

const topology = (p: Page | Frame) => p.getByRole('region', { name: 'Topology', exact: true });

async function stepOf(p: Page | Frame): Promise<number> {
  const m = STEP_RE.exec((await p.getByRole('status').textContent()) ?? '');
  return m ? Number(m[1]) : -1;
}

async function totalOf(p: Page | Frame): Promise<number> {
  const m = STEP_RE.exec((await p.getByRole('status').textContent()) ?? '');
  return m ? Number(m[2]) : -1;
}

/** Opens the full app on a scenario (by link, so nothing of the reader's is touched) at a step. */
async function openAt(page: Page, scenario: string, step = 0, query = ''): Promise<void> {
  await page.goto(`./${query}${await encodeState({ v: 1, scenario, step })}`);
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Step ${step} of \\d+$`), { timeout: 30_000 });
}

async function runUntil(page: Page, fn: string): Promise<number> {
  const field = page.getByLabel('Run until function');
  await field.fill(fn);
  await field.press('Enter');
  await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn')).toHaveText(fn);
  return stepOf(page);
}

async function stepInto(p: Page | Frame): Promise<number> {
  const before = await stepOf(p);
  await p.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(p.getByRole('status')).toHaveText(new RegExp(`^Step ${before + 1} of \\d+$`));
  return before + 1;
}

function callStackFns(page: Page): Promise<string[]> {
  return page.getByRole('region', { name: 'Call stack' }).locator('.fn').allTextContents();
}

/** Every text of the diagram: its rendered font size in CSS px and its box height on screen. */
function labelSizes(p: Page | Frame): Promise<{ minFont: number; minHeight: number; count: number; smallest: string }> {
  return p.evaluate(() => {
    let minFont = Infinity;
    let minHeight = Infinity;
    let smallest = '';
    let count = 0;
    for (const t of document.querySelectorAll<SVGTextElement>('svg.topology text')) {
      const text = t.textContent?.trim();
      if (!text) continue;
      const m = t.getScreenCTM();
      if (!m) continue;
      const k = Math.hypot(m.a, m.b);
      const font = parseFloat(getComputedStyle(t).fontSize) * k;
      const h = t.getBoundingClientRect().height;
      count++;
      if (font < minFont) {
        minFont = font;
        smallest = text;
      }
      minHeight = Math.min(minHeight, h);
    }
    return { minFont, minHeight, count, smallest };
  });
}

/** Texts that stick out of the box drawn around them (devices, stack layers, CPUs, pills, tokens, namespaces). */
function overflows(p: Page | Frame): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const within = (box: SVGGraphicsElement, texts: Iterable<SVGGraphicsElement>, what: string) => {
      const b = box.getBBox();
      for (const t of texts) {
        const r = t.getBBox();
        if (!t.textContent?.trim()) continue;
        if (r.x < b.x - 0.5 || r.y < b.y - 0.5 || r.x + r.width > b.x + b.width + 0.5 || r.y + r.height > b.y + b.height + 0.5)
          out.push(`${what}: "${t.textContent}" (${Math.round(r.x + r.width - b.x - b.width)} px past the right edge)`);
      }
    };
    const svg = document.querySelector('svg.topology')!;
    for (const g of svg.querySelectorAll<SVGGElement>('g.dev'))
      within(g.querySelector('.dev-box')!, g.querySelectorAll(':scope > text'), g.getAttribute('aria-label') ?? 'device');
    for (const g of svg.querySelectorAll<SVGGElement>('g.layer'))
      within(g.querySelector('.layer-box')!, g.querySelectorAll('text'), 'stack layer');
    for (const g of svg.querySelectorAll<SVGGElement>('g.cpu'))
      within(
        g.querySelector('.cpu-box')!,
        g.querySelectorAll(':scope > text, .queue > text'),
        g.getAttribute('data-testid') ?? 'cpu',
      );
    for (const g of svg.querySelectorAll<SVGGElement>('g.flag'))
      within(g.querySelector('rect')!, g.querySelectorAll('text'), 'NET_RX pill');
    for (const g of svg.querySelectorAll<SVGGElement>('g.ns'))
      within(g.querySelector('.ns-box')!, g.querySelectorAll('text'), 'namespace');
    for (const g of svg.querySelectorAll<SVGGElement>('g.skb-token'))
      within(g.querySelector('.skb-body')!, g.querySelectorAll('text'), g.getAttribute('aria-label') ?? 'token');
    return out;
  });
}

async function attachShot(testInfo: TestInfo, name: string, page: Page): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.waitForTimeout(800); // let tokens finish travelling
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.describe('Topology contracts', () => {
  test.describe.configure({ timeout: 180_000 });

  test('the skb enqueue_to_backlog queues is an item of cpu0 input_pkt_queue, then of process_queue, until __skb_dequeue takes it', async ({
    page,
  }) => {
    const problems = watchProblems(page);
    await openAt(page, SCENARIOS[0].text);
    await runUntil(page, 'enqueue_to_backlog');
    const current = topology(page).getByRole('button', { name: /the current call’s skb$/ });
    await expect(current).toHaveCount(1);
    const id = /^skb #(\d+) /.exec((await current.getAttribute('aria-label')) ?? '')![1];
    expect(await current.getAttribute('aria-label')).toMatch(/^skb #\d+ ARP request who-has 192\.168\.1\.2 tell 192\.168\.1\.1/);
    const input = topology(page).getByRole('list', { name: 'cpu0 input_pkt_queue', exact: true });
    const proc = topology(page).getByRole('list', { name: 'cpu0 process_queue', exact: true });
    await expect(input).toHaveCount(1);
    await expect(proc).toHaveCount(1);
    // At enqueue_to_backlog's return step (Step over from its entry), the call
    // is still on the stack and the skb it queued is drawn in the queue.
    const item = input.getByRole('listitem', { name: new RegExp(`^skb #${id} `) });
    await expect(item).toHaveCount(0);
    const entry = await stepOf(page);
    await page.getByRole('button', { name: 'Step over', exact: true }).click();
    await expect.poll(() => stepOf(page)).toBeGreaterThan(entry);
    const queuedAt = await stepOf(page);
    await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn')).toHaveText(
      'enqueue_to_backlog',
    );
    await expect(page.getByRole('region', { name: 'Call stack' })).toContainText('returns NET_RX_SUCCESS');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAccessibleName(new RegExp(`^skb #${id} ARP request`));
    await expect(item.getByRole('button')).toHaveAccessibleName(new RegExp(`^skb #${id} `));
    // process_backlog moves input_pkt_queue to process_queue in one go
    // (skb_queue_splice_tail_init, still on the stack at its return: the skb
    // is an item of process_queue), then takes it off with __skb_dequeue.
    let splicedAt = -1;
    for (let i = 0; i < 60 && splicedAt < 0; i++) {
      await stepInto(page);
      if ((await item.count()) === 0) splicedAt = await stepOf(page);
    }
    expect(splicedAt).toBeGreaterThan(queuedAt);
    const stack = page.getByRole('region', { name: 'Call stack' });
    expect((await callStackFns(page)).slice(-2)).toEqual(['process_backlog', 'skb_queue_splice_tail_init']);
    await expect(input.getByRole('listitem')).toHaveCount(0);
    await expect(proc.getByRole('listitem')).toHaveCount(1);
    await expect(proc.getByRole('listitem')).toHaveAccessibleName(new RegExp(`^skb #${id} ARP request`));
    // __skb_dequeue's entry: still queued; its return: out of the queue, returned, drawn on veth1.
    await stepInto(page);
    await expect(stack.locator('li[aria-current="step"] .fn')).toHaveText('__skb_dequeue');
    await expect(proc.getByRole('listitem')).toHaveCount(1);
    await stepInto(page);
    await expect(stack.locator('li[aria-current="step"] .ret')).toHaveText(`returns skb #${id}`);
    await expect(proc.getByRole('listitem')).toHaveCount(0);
    await expect(topology(page).getByRole('button', { name: new RegExp(`^skb #${id} `) })).toHaveCount(1);
    await expect(topology(page).getByTestId(`skb-${id}`)).toHaveAttribute('data-anchor', /^dev:/);
    expect(problems).toEqual([]);
  });

  test('sockets: each namespace draws its sockets by id with state and ports, a listener its accept queue, and the data an item of the receiving socket’s receive queue', async ({
    page,
  }, testInfo) => {
    const problems = watchProblems(page);
    const text = (id: string) => SCENARIOS.find((s) => s.id === id)!.text;
    await openAt(page, text('tcp-netns-hello'));
    // The handshake is done: the child waits on the listener's accept queue; the client is connected.
    await runUntil(page, 'tcp_data_queue');
    const listener = topology(page).getByRole('group', { name: 'TCP socket 0.0.0.0:8080 in b, LISTEN', exact: true });
    await expect(listener).toBeVisible();
    const accept = listener.getByRole('list', { name: 'TCP socket 0.0.0.0:8080 in b accept queue', exact: true });
    await expect(accept.getByRole('listitem')).toHaveCount(1);
    await expect(accept.getByRole('listitem').first()).toHaveAccessibleName(/^socket \d+ from 10\.81\.0\.1:\d+$/);
    await expect(
      topology(page).getByRole('group', { name: /^TCP socket 10\.81\.0\.1:\d+ to 10\.81\.0\.2:8080 in host, ESTAB$/ }),
    ).toBeVisible();
    // The line of data: at tcp_data_queue's return it is in the child's receive queue.
    await runUntil(page, 'tcp_data_queue');
    await page.getByRole('button', { name: 'Step over', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .ret')).toHaveCount(1);
    const child = topology(page).getByRole('list', {
      name: /^TCP socket 10\.81\.0\.2:8080 to 10\.81\.0\.1:\d+ in b receive queue$/,
    });
    await expect(child.getByRole('listitem')).toHaveCount(1);
    await expect(child.getByRole('listitem').first()).toHaveAccessibleName(/^skb #\d+ TCP /);
    await attachShot(testInfo, 'sockets-tcp', page);
    // UDP: the datagram in the listener's receive queue at __udp_enqueue_schedule_skb's return.
    await openAt(page, text('udp-netns-hello'));
    await runUntil(page, '__udp_enqueue_schedule_skb');
    await page.getByRole('button', { name: 'Step over', exact: true }).click();
    const udp = topology(page).getByRole('list', { name: 'UDP socket 0.0.0.0:9090 in b receive queue', exact: true });
    await expect(udp.getByRole('listitem')).toHaveCount(1);
    await expect(udp.getByRole('listitem').first()).toHaveAccessibleName(/^skb #\d+ UDP /);
    await attachShot(testInfo, 'sockets-udp', page);
    expect(problems).toEqual([]);
  });

  test('TCP: the data tcp_sendmsg_locked queues is an item of the client’s write queue, then of its retransmit queue once sent, until the ACK frees it', async ({
    page,
  }, testInfo) => {
    const problems = watchProblems(page);
    await openAt(page, SCENARIOS.find((s) => s.id === 'tcp-netns-hello')!.text);
    const client = /^TCP socket 10\.81\.0\.1:\d+ to 10\.81\.0\.2:8080 in host /;
    const queue = (name: string) =>
      topology(page).getByRole('list', { name: new RegExp(`${client.source.slice(0, -1)} ${name}$`) });
    const write = queue('write queue');
    const rtx = queue('retransmit queue');
    // nc writes its line: tcp_sendmsg_locked queues it (__skb_queue_tail); at the helper's return it is in the write queue.
    await runUntil(page, 'tcp_sendmsg_locked');
    await expect(write).toHaveCount(1);
    await expect(rtx).toHaveCount(1);
    await runUntil(page, '__skb_queue_tail');
    await page.getByRole('button', { name: 'Step over', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .ret')).toHaveCount(1);
    expect(await callStackFns(page)).toContain('tcp_sendmsg_locked');
    await expect(write.getByRole('listitem')).toHaveCount(1);
    await expect(rtx.getByRole('listitem')).toHaveCount(0);
    const name = (await write.getByRole('listitem').getAttribute('aria-label')) ?? '';
    expect(name).toMatch(/^skb #\d+ 6 bytes without headers yet$/);
    const id = /^skb #(\d+) /.exec(name)![1];
    await attachShot(testInfo, 'tcp-write-queue', page);
    // tcp_write_xmit sends it: the skb moves to the retransmit queue while tcp_transmit_skb sends a clone of it.
    for (let i = 0; i < 10 && (await write.getByRole('listitem').count()) > 0; i++) await stepInto(page);
    await expect(write.getByRole('listitem')).toHaveCount(0);
    await expect(rtx.getByRole('listitem')).toHaveCount(1);
    await expect(rtx.getByRole('listitem')).toHaveAccessibleName(new RegExp(`^skb #${id} `));
    expect((await callStackFns(page)).slice(-2)).toEqual(['tcp_write_xmit', 'tcp_transmit_skb']);
    await expect(topology(page).getByTestId(`skb-${id}`)).toHaveAttribute('data-anchor', /^sock:\d+:\d+:rtx$/);
    await attachShot(testInfo, 'tcp-rtx-queue', page);
    // It stays there until the peer's ACK covers it: __kfree_skb frees it off the queue.
    for (let i = 0; i < 20 && (await rtx.getByRole('listitem').count()) > 0; i++) await runUntil(page, '__kfree_skb');
    await expect(rtx.getByRole('listitem')).toHaveCount(0);
    expect(await callStackFns(page)).toContain('tcp_ack');
    await expect(topology(page).getByRole('button', { name: new RegExp(`^skb #${id} .*the current call’s skb$`) })).toHaveCount(
      1,
    );
    expect(problems).toEqual([]);
  });

  test('the skb panel’s Life follows a TCP segment into and out of the sockets’ queues, and a UDP datagram through its socket, each entry a link to its step', async ({
    page,
  }) => {
    const problems = watchProblems(page);
    const text = (id: string) => SCENARIOS.find((s) => s.id === id)!.text;
    const skbPanel = page.getByRole('region', { name: 'skb', exact: true });
    const current = page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn');
    const lifeOf = async (id: string) => {
      const life = skbPanel.getByRole('region', { name: `Life of skb #${id}`, exact: true });
      await expect(life).toBeVisible();
      return life;
    };
    const entries = (life: Awaited<ReturnType<typeof lifeOf>>) => life.locator('li .life-text').allTextContents();
    // TCP: the line of data as the server's child socket receives it: pick its token in the receive queue.
    await openAt(page, text('tcp-netns-hello'));
    await runUntil(page, 'tcp_data_queue');
    await runUntil(page, 'tcp_data_queue');
    await page.getByRole('button', { name: 'Step over', exact: true }).click();
    const recvQ = topology(page).getByRole('list', {
      name: /^TCP socket 10\.81\.0\.2:8080 to 10\.81\.0\.1:\d+ in b receive queue$/,
    });
    await recvQ.getByRole('button', { name: /^skb #\d+ / }).click();
    const data = /^skb #(\d+) /.exec((await recvQ.getByRole('listitem').getAttribute('aria-label')) ?? '')![1];
    await expect(skbPanel.getByRole('heading').first()).toHaveText(new RegExp(`^skb #${data}\\b`));
    const dataLife = await lifeOf(data);
    const sock = (name: string) => new RegExp(`^${name} TCP socket \\d+'s `);
    expect(await entries(dataLife)).toEqual([
      `cloned from skb #${Number(data) - 1}`,
      'handed to veth0 for transmit (net_dev_queue)',
      'received on veth1 (netif_rx)',
      'queued on cpu0 input_pkt_queue (the backlog)',
      "transmitted by veth0's driver, rc 0 (net_dev_xmit)",
      'moved to cpu0 process_queue',
      'taken up the stack from veth1 (netif_receive_skb)',
      expect.stringMatching(/^queued on TCP socket \d+'s receive queue$/),
      expect.stringMatching(/^taken off TCP socket \d+'s receive queue, read by the program$/),
      'freed at tcp_recvmsg_locked (no tracepoint fires)',
    ]);
    // Each entry is a link to its step: the read takes it off the queue in tcp_recvmsg_locked.
    const read = dataLife.getByRole('button', { name: /^Step \d+: taken off TCP socket/ });
    const readStep = Number(/^Step (\d+):/.exec((await read.getAttribute('aria-label')) ?? '')![1]);
    await read.click();
    await expect(page.getByRole('status')).toHaveText(new RegExp(`^Step ${readStep} of \\d+$`));
    expect(await callStackFns(page)).toContain('tcp_recvmsg_locked');
    await expect(recvQ.getByRole('listitem', { name: new RegExp(`^skb #${data} `) })).toHaveCount(0);
    // The original the clone was sent from: the client's write queue, then its retransmit queue until acknowledged.
    await dataLife.getByRole('button', { name: /^Step \d+: cloned from skb/ }).click();
    await page
      .getByRole('button', { name: new RegExp(`^skb #${Number(data) - 1} `) })
      .first()
      .click();
    const sentLife = await lifeOf(String(Number(data) - 1));
    expect(await entries(sentLife)).toEqual([
      'allocated',
      expect.stringMatching(sock('queued on')),
      expect.stringMatching(sock('queued on')),
      `cloned as skb #${data}`,
      expect.stringMatching(/^acknowledged: taken off TCP socket \d+'s retransmit queue$/),
      'freed at tcp_ack (no tracepoint fires)',
    ]);
    const queues = (await entries(sentLife)).slice(1, 3).map((t) => /'s (.*)$/.exec(t)![1]);
    expect(queues).toEqual(['write queue (written, not yet sent)', 'retransmit queue (sent, kept until acknowledged)']);
    // The handshake's last ACK made the child and queued it on the listener's accept queue.
    await openAt(page, text('tcp-netns-hello'));
    await runUntil(page, 'tcp_v4_syn_recv_sock');
    await expect(current).toHaveText('tcp_v4_syn_recv_sock');
    const ack = /^skb #(\d+) /.exec(
      (await topology(page)
        .getByRole('button', { name: /the current call’s skb$/ })
        .getAttribute('aria-label')) ?? '',
    )![1];
    expect(await entries(await lifeOf(ack))).toContainEqual(
      expect.stringMatching(/^completed the handshake: child socket \d+ queued on listening socket \d+'s accept queue$/),
    );
    // UDP: the datagram into the listener's receive queue, out by its read, freed without a tracepoint.
    await openAt(page, text('udp-netns-hello'));
    await runUntil(page, '__udp_enqueue_schedule_skb');
    const dgram = /^skb #(\d+) /.exec(
      (await topology(page)
        .getByRole('button', { name: /the current call’s skb$/ })
        .getAttribute('aria-label')) ?? '',
    )![1];
    expect((await entries(await lifeOf(dgram))).slice(-3)).toEqual([
      expect.stringMatching(/^queued on UDP socket \d+'s receive queue$/),
      expect.stringMatching(/^taken off UDP socket \d+'s receive queue, read by the program$/),
      'freed at skb_consume_udp (no tracepoint fires)',
    ]);
    expect(problems).toEqual([]);
  });

  test('every token is named "skb #N …", and a click or Enter selects its skb', async ({ page }) => {
    await openAt(page, SCENARIOS[0].text);
    await runUntil(page, 'arp_rcv');
    // An ARP request in the softirq while the echo request waits on the neighbour: several tokens.
    const tokens = topology(page).getByRole('button', { name: /^skb #\d+ / });
    const n = await tokens.count();
    expect(n).toBeGreaterThanOrEqual(2);
    const skbPanel = page.getByRole('region', { name: 'skb', exact: true });
    for (let i = 0; i < n; i++) {
      const t = tokens.nth(i);
      const id = /^skb #(\d+) /.exec((await t.getAttribute('aria-label')) ?? '')![1];
      if (i % 2 === 0) await t.click();
      else {
        await t.focus();
        await page.keyboard.press('Enter');
      }
      await expect(t).toHaveAttribute('aria-pressed', 'true');
      await expect(topology(page).getByRole('button', { name: /^skb #/, pressed: true })).toHaveCount(1);
      // The skb panel names the skb it shows in its first heading.
      await expect(skbPanel.getByRole('heading').first()).toHaveText(new RegExp(`^skb #${id}\\b`));
      // The step does not move: selecting is not navigating.
      expect(await callStackFns(page)).toContain('arp_rcv');
    }
    // Hovering shows a one-line summary.
    await tokens.first().hover();
    await expect(topology(page).locator('.skb-tip text')).toHaveText(/^skb #\d+: .+ · \d+ bytes/);
  });

  test('eth0 in two namespaces: two boxes, only the one the current call works on is marked, at every step', async ({ page }) => {
    test.setTimeout(480_000);
    await openAt(page, TWO_ETH0);
    const total = await totalOf(page);
    expect(total).toBeGreaterThan(40);
    const ethA = topology(page).getByRole('group', { name: 'eth0 in a', exact: true });
    const ethB = topology(page).getByRole('group', { name: 'eth0 in b', exact: true });
    await page.getByRole('slider', { name: 'Timeline' }).fill('1');
    await expect(ethA).toHaveCount(1);
    await expect(ethB).toHaveCount(1);
    // Step through the whole run inside the page (one round trip, not one per step).
    const perStep = await page.evaluate(async (last) => {
      const status = () => document.querySelector('[role="status"]')?.textContent ?? '';
      const into = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Step into')!;
      const out: string[][] = [];
      for (let s = 1; s <= last; s++) {
        if (s > 1) into.click();
        const want = `Step ${s} of `;
        for (let i = 0; i < 2000 && !status().startsWith(want); i++) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const marked = document.querySelectorAll('svg.topology [aria-current="location"]');
        out.push([status(), ...[...marked].map((m) => m.getAttribute('aria-label') ?? '?')]);
      }
      return out;
    }, total);
    const seen = new Set<string>();
    perStep.forEach(([status, ...marked], i) => {
      expect(status, 'the page reached the step').toBe(`Step ${i + 1} of ${total}`);
      expect(marked.length, `devices marked at step ${i + 1}: ${marked.join(', ')}`).toBeLessThanOrEqual(1);
      for (const m of marked) seen.add(m);
    });
    expect(seen).toContain('eth0 in a');
    expect(seen).toContain('eth0 in b');
  });
});

/** The diagram's pan and zoom, read from the transform of its drawing. */
async function transformOf(page: Page): Promise<{ x: number; y: number; k: number }> {
  const t = (await page.locator('svg.topology > g').first().getAttribute('transform')) ?? '';
  const m = /translate\(([-\d.e]+),\s*([-\d.e]+)\)\s*scale\(([-\d.e]+)\)/.exec(t);
  if (!m) throw new Error(`no pan and zoom in "${t}"`);
  return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
}

/**
 * Whether Follow shows the current call inside the diagram's panel (not only
 * the window): its skb's token whole, and its device at least in part (when
 * both do not fit, where the skb is comes first).
 */
function currentCallShown(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.topology')!.getBoundingClientRect();
    const dev = document.querySelector('svg.topology [aria-current="location"] .dev-box')?.getBoundingClientRect();
    const tok = [...document.querySelectorAll('svg.topology g.skb-token')]
      .find((t) => t.getAttribute('aria-label')?.endsWith('the current call’s skb'))
      ?.getBoundingClientRect();
    if (!dev || !tok) return false;
    const whole = tok.left >= svg.left && tok.top >= svg.top && tok.right <= svg.right && tok.bottom <= svg.bottom;
    const part = dev.right > svg.left && dev.left < svg.right && dev.bottom > svg.top && dev.top < svg.bottom;
    return whole && part;
  });
}

test.describe('Follow, pan, zoom and Reset view', () => {
  test('Follow keeps the current device in view and can be turned off; dragging pans, the wheel zooms, Reset view goes back', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1366, height: 850 });
    const problems = watchProblems(page);
    await openAt(page, CHAIN);
    const total = await totalOf(page);
    const follow = topology(page).getByRole('button', { name: 'Follow', exact: true });
    const reset = topology(page).getByRole('button', { name: 'Reset view', exact: true });
    const dev = topology(page).locator('[aria-current="location"]');
    await expect(follow).toHaveAttribute('aria-pressed', 'true');
    // The last ip_forward of the run (the reply crossing a router), found backward from the end: every
    // neighbour is known by then, so the picture keeps its shape over the next steps.
    await page.getByRole('slider', { name: 'Timeline' }).fill(String(total));
    await expect(page.getByRole('status')).toHaveText(`Step ${total} of ${total}`);
    const field = page.getByLabel('Run until function');
    await field.fill('ip_forward');
    await field.press('Shift+Enter');
    const current = page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn');
    await expect(current).toHaveText('ip_forward');
    await expect(dev).toHaveCount(1);
    await expect.poll(() => currentCallShown(page)).toBe(true);
    // Reset view: the picture at its first place and scale, whatever Follow did.
    await follow.click();
    await expect(follow).toHaveAttribute('aria-pressed', 'false');
    await reset.click();
    const start = await transformOf(page);
    // Dragging pans by as much as the pointer moved, at the same scale.
    const svg = (await page.locator('svg.topology').boundingBox())!;
    const cx = svg.x + svg.width / 2;
    const cy = svg.y + svg.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 120, cy - 40, { steps: 6 });
    await page.mouse.up();
    const dragged = await transformOf(page);
    expect(dragged.x).toBeCloseTo(start.x - 120, 0);
    expect(dragged.y).toBeCloseTo(start.y - 40, 0);
    expect(dragged.k).toBeCloseTo(start.k, 5);
    // Follow off: stepping leaves the view where the reader put it.
    for (let i = 0; i < 3; i++) await stepInto(page);
    expect(await transformOf(page)).toEqual(dragged);
    // The wheel zooms in.
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await transformOf(page)).k).toBeGreaterThan(dragged.k);
    await reset.click();
    await expect.poll(() => transformOf(page)).toEqual(start);
    // Follow on: back at that ip_forward, its device is brought into view again.
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 300, cy + 200, { steps: 6 });
    await page.mouse.up();
    await follow.click();
    await expect(follow).toHaveAttribute('aria-pressed', 'true');
    await field.fill('ip_forward');
    await field.press('Shift+Enter');
    await expect(current).toHaveText('ip_forward');
    await expect.poll(() => currentCallShown(page)).toBe(true);
    expect(problems).toEqual([]);
  });
});

test.describe('readable at any size', () => {
  test.describe.configure({ timeout: 240_000 });

  test('the five-namespace chain at 1366×850: no label under 11 px, nothing overflows, the view follows the packet', async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width: 1366, height: 850 });
    await openAt(page, CHAIN);
    for (const name of ['netns a', 'netns r1', 'netns r2', 'netns b', 'host namespace'])
      await expect(topology(page).locator('.ns-name', { hasText: name })).toHaveCount(1);
    for (const fn of ['icmp_rcv', 'ip_forward', 'enqueue_to_backlog']) {
      await runUntil(page, fn);
      const sizes = await labelSizes(page);
      expect(sizes.count).toBeGreaterThan(30);
      expect(sizes.minFont, `smallest label "${sizes.smallest}" at ${fn}`).toBeGreaterThanOrEqual(11);
      expect(sizes.minHeight).toBeGreaterThanOrEqual(11);
      expect(await overflows(page)).toEqual([]);
      // The device the current call works on is in view.
      const dev = topology(page).locator('[aria-current="location"]');
      if (await dev.count()) await expect(dev).toBeInViewport();
      await attachShot(testInfo, `chain-five-ns-${fn}-1366x850`, page);
    }
  });

  for (const s of [...SCENARIOS.map((x) => ({ id: x.id, text: x.text })), { id: 'chain-five-ns', text: CHAIN }]) {
    test(`${s.id} in a 720×480 iframe: no label under 11 px`, async ({ page, baseURL }, testInfo) => {
      await page.setViewportSize({ width: 760, height: 520 });
      const probe = await page.context().newPage();
      await openAt(probe, s.text);
      const total = await totalOf(probe);
      await probe.close();
      const step = Math.floor(total / 3);
      const src = `${baseURL}?embed=1${await encodeState({ v: 1, scenario: s.text, step })}`;
      await page.setContent(`<iframe id="embed" src="${src}" width="720" height="480" style="border:0"></iframe>`);
      const frame = page.frame({ url: /embed=1/ })!;
      await expect(frame.getByRole('status')).toHaveText(`Step ${step} of ${total}`, { timeout: 30_000 });
      for (let i = 0; i < 3; i++) {
        const sizes = await labelSizes(frame);
        expect(sizes.minFont, `smallest label "${sizes.smallest}" at step ${step + i}`).toBeGreaterThanOrEqual(11);
        expect(await overflows(frame)).toEqual([]);
        if (i < 2) await stepInto(frame);
      }
      await attachShot(testInfo, `${s.id}-embed-720x480`, page);
    });
  }
});

// Each bundled scenario at a queue step (the backlog moved to process_queue),
// a cable step (a packet arriving at the peer of the device that sent it) and
// a drop step (the first kfree_skb_reason), at 1366×850, in a 720×480 embed
// and on a phone: readable, nothing overflowing; the pictures are kept in
// test-results/screens/ to be looked at.
const SIZES = [
  { name: '1366x850', width: 1366, height: 850, query: '' },
  { name: 'embed-720x480', width: 720, height: 480, query: '?embed=1' },
  { name: 'phone-390x844', width: 390, height: 844, query: '' },
] as const;

async function keyStepsOf(page: Page, text: string): Promise<{ kind: string; step: number; fn: string }[]> {
  await page.setViewportSize({ width: 1366, height: 850 });
  await openAt(page, text);
  const out: { kind: string; step: number; fn: string }[] = [];
  const field = page.getByLabel('Run until function');
  const current = page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn');
  const notice = page.locator('.notice');
  // A search lands on its function, or says it found nothing (at step 0 there is no current frame to read).
  const landed = async (fn: string, missed: RegExp): Promise<boolean> => {
    const miss = notice.getByText(missed);
    await expect.poll(async () => (await miss.count()) > 0 || (await stepOf(page)) > 0).toBe(true);
    return (await miss.count()) === 0 && (await current.textContent()) === fn;
  };
  const find = async (fn: string): Promise<boolean> => {
    await page.getByRole('slider', { name: 'Timeline' }).fill('0');
    await expect(page.getByRole('status')).toHaveText(/^Step 0 of/);
    await field.fill(fn);
    await field.press('Enter');
    return landed(fn, new RegExp(`^${fn} is not`));
  };
  if (await find('skb_queue_splice_tail_init')) {
    await page.getByRole('button', { name: 'Step over', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Call stack' })).toContainText('skb_queue_splice_tail_init');
    out.push({ kind: 'queue', step: await stepOf(page), fn: 'skb_queue_splice_tail_init' });
  }
  for (const fn of ['veth_forward_skb', 'loopback_xmit']) {
    if (await find(fn)) {
      out.push({ kind: 'cable', step: await stepOf(page), fn });
      break;
    }
  }
  await page.getByRole('slider', { name: 'Timeline' }).fill('0');
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of/);
  await page.getByRole('button', { name: 'Next drop', exact: true }).click();
  if (await landed('kfree_skb_reason', /^No drop/)) out.push({ kind: 'drop', step: await stepOf(page), fn: 'kfree_skb_reason' });
  return out;
}

test.describe('screenshots of every bundled scenario', () => {
  test.describe.configure({ timeout: 480_000 });
  for (const s of SCENARIOS) {
    test(`${s.id} at a queue, a cable and a drop step, at 1366×850, in a 720×480 embed and on a phone`, async ({ page }) => {
      const problems = watchProblems(page);
      const steps = await keyStepsOf(page, s.text);
      expect(steps.map((k) => k.kind)).toContain('queue');
      expect(steps.map((k) => k.kind)).toContain('cable');
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        for (const k of steps) {
          await openAt(page, s.text, k.step, size.query);
          await expect(page.getByRole('region', { name: 'Call stack' }).locator('li[aria-current="step"] .fn')).toHaveText(k.fn);
          const sizes = await labelSizes(page);
          expect(sizes.minFont, `${size.name} ${k.kind}: smallest label "${sizes.smallest}"`).toBeGreaterThanOrEqual(11);
          expect(await overflows(page), `${size.name} ${k.kind}`).toEqual([]);
          // Every token is someone: named "skb #N …", and a button.
          const tokens = await page
            .locator('svg.topology g.skb-token')
            .evaluateAll((els) => els.map((e) => `${e.getAttribute('role')} ${e.getAttribute('aria-label')}`));
          expect(tokens.length, `${size.name} ${k.kind}: tokens`).toBeGreaterThan(0);
          expect(tokens.filter((t) => !/^button skb #\d+ \S/.test(t))).toEqual([]);
          await page.waitForTimeout(800); // let tokens finish travelling
          await page.screenshot({ path: `test-results/screens/${s.id}-${k.kind}-${size.name}.png` });
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
