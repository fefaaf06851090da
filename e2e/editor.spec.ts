// The scenario editor, end to end on the built app: problems at their lines,
// runs that follow the text, the Terminal's prompts, and the user's own
// scenario kept through reloads, links and a second tab.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchProblems } from './problems.ts';
import { codeEditor, scenarioBox, scenarioText, setScenario } from './scenarioEditor.ts';
import { decodeState } from '../src/ui/share/urlState.ts';

const STEP_RE = /^Step (\d+) of (\d+)$/;

async function open(page: Page, url = './'): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
  await codeEditor(page);
}

async function stepOf(page: Page): Promise<[number, number]> {
  const m = STEP_RE.exec((await page.getByRole('status').textContent()) ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [-1, -1];
}

const problems = (page: Page) => page.getByRole('list', { name: 'Problems' });
const terminal = (page: Page) => page.getByRole('list', { name: 'Terminal output' });

const BROKEN = [
  '# Mistakes',
  'ip link add veth0 type veth peer name veth1',
  'ip link set veth9 up',
  'ip link show veth0 | grep UP',
  '',
].join('\n');

const FIXED = [
  '# Mistakes, fixed',
  'ip netns add far',
  'ip link add near0 type veth peer name far0 netns far',
  'ip addr add 10.9.0.1/24 dev near0',
  'ip -n far addr add 10.9.0.2/24 dev far0',
  'ip link set near0 up',
  'ip -n far link set far0 up',
  'ping -c 1 10.9.0.2',
  '',
].join('\n');

test('problems appear at their lines as you type, once each; fixing them rebuilds the run', async ({ page }) => {
  const seen = watchProblems(page);
  await open(page);
  await setScenario(page, BROKEN);
  // No Run pressed: the run follows the text.
  const list = problems(page);
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').nth(0)).toHaveText('line 3Cannot find device "veth9"');
  await expect(list.getByRole('listitem').nth(1)).toHaveText('line 4pipelines (|) are not supported');
  // Once each on the whole page outside the Terminal (not again in a banner).
  const outsideTerminal = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelector('[aria-label="Terminal output"]')?.remove();
    return clone.innerText;
  });
  expect(outsideTerminal.split('pipelines (|) are not supported').length - 1).toBe(1);
  expect(outsideTerminal.split('Cannot find device "veth9"').length - 1).toBe(1);
  // In the editor: marked in the gutter and underlined on lines 3 and 4 only.
  const lines = page.locator('.cm-content .cm-line');
  await expect(lines.nth(2).locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(lines.nth(3).locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(2);
  await expect(page.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/editor-problems.png' });
  // Clicking a problem puts the cursor on its line.
  await list.getByRole('button', { name: /line 4/ }).click();
  await expect(page.locator('.cm-lineNumbers .cm-activeLineGutter')).toHaveText('4');

  await setScenario(page, FIXED);
  await expect(page.getByTestId('dev-near0')).toBeVisible();
  await expect(problems(page)).toHaveCount(0);
  const [, total] = await stepOf(page);
  expect(total).toBeGreaterThan(50);
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  // Ctrl+Enter runs at once (and stays at the step on display).
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Step 2 of ${total}`);
  await scenarioBox(page).press('End');
  await scenarioBox(page).press('Control+Enter');
  await expect(page.getByRole('status')).toHaveText(`Step 2 of ${total}`);
  expect(seen).toEqual([]);
});

test('an empty scenario says so', async ({ page }) => {
  await open(page);
  await setScenario(page, '# nothing yet\n');
  await expect(page.getByText('The scenario is empty: it has no commands to run.')).toBeVisible();
  await expect(page.getByText('This scenario has no commands yet')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Step 0 of 0');
});

test('choosing an example runs it; the step is kept when the run is rebuilt', async ({ page }) => {
  await open(page);
  await page.getByRole('combobox', { name: 'Example scenario' }).selectOption('bridge-two-ns');
  await expect(page.getByTestId('dev-br0')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of \d+$/);
  expect(await scenarioText(page)).toContain('type bridge');
  // Nothing was saved as the user's own.
  expect(await page.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBeNull();
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Step 5 of \d+$/);
  // An edit that keeps the first calls: the rebuilt run stays at step 5.
  const box = await codeEditor(page);
  await box.press('Control+End');
  await box.pressSequentially('\nip link show\n');
  await expect(page.getByRole('status')).toHaveText(/^Step 5 of \d+$/);
  await expect(terminal(page)).toContainText('# ip link show');
  // Typing made "Your scenario" (there was none), and it is in the menu.
  expect(await page.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toContain('ip link show');
  await expect(page.getByRole('combobox', { name: 'Example scenario' })).toHaveValue('draft');
});

test('the Terminal shows each command after a prompt, and a click goes to its step', async ({ page }) => {
  await open(page);
  await setScenario(page, FIXED);
  await expect(page.getByTestId('dev-near0')).toBeVisible();
  const [, total] = await stepOf(page);
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(total));
  const term = terminal(page);
  await expect(term.getByRole('listitem').first()).toHaveText('# ip netns add far');
  const prompt = term.getByRole('button', { name: '# ping -c 1 10.9.0.2' });
  await expect(prompt).toBeVisible();
  const items = await term.getByRole('listitem').allTextContents();
  const at = items.indexOf('# ping -c 1 10.9.0.2');
  expect(items[at + 1]).toBe('PING 10.9.0.2 (10.9.0.2) 56(84) bytes of data.');
  // The reply line: a click goes to the step at which it was printed.
  await term.getByRole('button', { name: /^64 bytes from 10\.9\.0\.2/ }).click();
  const [replyStep] = await stepOf(page);
  expect(replyStep).toBeGreaterThan(0);
  expect(replyStep).toBeLessThan(total);
  // While the ping's calls run, its line is the highlighted one in the editor.
  await expect(page.locator('.cm-running-line')).toHaveText('ping -c 1 10.9.0.2');
  await page.screenshot({ path: 'test-results/editor-terminal-running-line.png' });
  // The prompt goes to the step the command started at: before its first call, nothing highlighted
  // at step 0.
  await prompt.click();
  const [pingStep] = await stepOf(page);
  expect(pingStep).toBeLessThan(replyStep);
});

test('a command continued with \\ shows whole in its prompt, each line after its own prompt', async ({ page }) => {
  await open(page);
  await setScenario(
    page,
    [
      '# Continued lines',
      'ip link add veth0 \\',
      '    type veth \\',
      '    peer name veth1',
      'ip -br addr show \\',
      '    veth0',
      '',
    ].join('\n'),
  );
  const items = terminal(page).getByRole('listitem');
  await expect(items).toHaveText(
    [
      '# ip link add veth0 \\>     type veth \\>     peer name veth1',
      '# ip -br addr show \\>     veth0',
      'veth0@veth1      DOWN           ',
    ],
    { timeout: 30_000 },
  );
  // Each line of the command is a line of its own on screen.
  const lines = items.first().locator('.prompt-line');
  await expect(lines).toHaveCount(3);
  const [a, b] = [await lines.nth(0).boundingBox(), await lines.nth(1).boundingBox()];
  expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.height - 1);
  await terminal(page).screenshot({ path: 'test-results/editor-terminal-continued.png' });
});

test('the edit survives a reload, even one right after typing', async ({ page }) => {
  await open(page);
  await setScenario(page, FIXED);
  await expect(page.getByTestId('dev-near0')).toBeVisible();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step into', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Step 3 of \d+$/);
  await page.reload();
  await expect(page.getByRole('status')).toHaveText(/^Step 3 of \d+$/, { timeout: 30_000 });
  await expect.poll(() => scenarioText(page)).toBe(FIXED);
  // An edit, then F5 before the run catches up: the URL's older run must not come back over it.
  const box = await codeEditor(page);
  await box.press('Control+End');
  await box.pressSequentially('# one more line');
  await page.reload();
  await expect(page.getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
  await expect.poll(() => scenarioText(page)).toBe(FIXED + '# one more line');
  await expect(page.getByRole('combobox', { name: 'Example scenario' })).toHaveValue('draft');
});

test('a shared link does not touch your scenario, which stays in the menu', async ({ page, context }) => {
  await open(page);
  const MINE = '# Mine\nip link add dummy0 type bridge\n';
  await setScenario(page, MINE);
  await expect(page.getByTestId('dev-dummy0')).toBeVisible();
  // Make a link of another scenario (an example) in a second tab.
  const other = await context.newPage();
  await open(other);
  await other.getByRole('combobox', { name: 'Example scenario' }).selectOption('netns-pair');
  await expect(other.getByTestId('ns-ns1')).toBeVisible();
  // The fragment is written after each paint: wait for the one of the example's run, not of the run before it.
  const NETNS_PAIR = readFileSync(new URL('../src/scenarios/netns-pair.sh', import.meta.url), 'utf8');
  await expect
    .poll(async () => {
      const r = await decodeState(await other.evaluate(() => location.hash));
      return r.ok ? r.state.scenario : null;
    })
    .toBe(NETNS_PAIR);
  const link = other.url();
  await other.close();

  const reader = await context.newPage();
  await open(reader, link);
  await expect(reader.getByTestId('ns-ns1')).toBeVisible();
  expect(await reader.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBe(MINE);
  const menu = reader.getByRole('combobox', { name: 'Example scenario' });
  await expect(menu).toHaveValue('link');
  await expect(menu.locator('option[value="draft"]')).toHaveText('Your scenario');
  // Editing the link's scenario keeps yours: the edit is a copy of its own.
  const box = await codeEditor(reader);
  await box.press('Control+End');
  await box.pressSequentially('ip link show\n');
  await expect(menu.locator('option:checked')).toHaveText('Shared link (edited)');
  expect(await reader.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBe(MINE);
  await menu.selectOption('draft');
  await expect.poll(() => scenarioText(reader)).toBe(MINE);
  await expect(reader.getByTestId('dev-dummy0')).toBeVisible();
  await reader.screenshot({ path: 'test-results/editor-your-scenario-after-link.png' });
  await reader.close();
});

test('a crashed engine keeps the scenario; Run starts it again', async ({ page }) => {
  await open(page);
  await setScenario(page, FIXED);
  await expect(page.getByTestId('dev-near0')).toBeVisible();
  // The next engine cannot start (its script fails to load): the worker errors out.
  await page.route('**/worker-*.js', (r) => r.abort());
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'the engine worker failed' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Your scenario is kept');
  expect(await scenarioText(page)).toBe(FIXED);
  expect(await page.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBe(FIXED);
  await page.unroute('**/worker-*.js');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByTestId('dev-near0')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/^Step 0 of [1-9]\d*$/);
});

test('two tabs: the last write wins and the other tab is told', async ({ page, context }) => {
  await open(page);
  await setScenario(page, '# Tab A\nip link show\n');
  const b = await context.newPage();
  await open(b);
  await expect.poll(() => scenarioText(b)).toBe('# Tab A\nip link show\n');
  // B writes last.
  await setScenario(b, '# Tab B\nip addr show\n');
  await expect(page.getByText('Another tab saved a newer version of this scenario')).toBeVisible();
  // A's text is still on A's screen until A chooses.
  expect(await scenarioText(page)).toBe('# Tab A\nip link show\n');
  expect(await page.evaluate(() => localStorage.getItem('skbwalk.scenario'))).toBe('# Tab B\nip addr show\n');
  await page.screenshot({ path: 'test-results/editor-other-tab.png' });
  await page.getByRole('button', { name: 'Load the other tab’s version' }).click();
  await expect.poll(() => scenarioText(page)).toBe('# Tab B\nip addr show\n');
  await expect(terminal(page)).toContainText('# ip addr show');
  await b.close();
});

test('hostile device names render as text everywhere', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await open(page);
  const evil = '<img src=x onerror=alert(1)>';
  // Device names are at most 15 bytes without blanks or slashes: the namespace carries the long one.
  await setScenario(
    page,
    [
      `ip netns add '${evil}'`,
      `ip link add '<b>x' type veth peer name '"><i>y' netns '${evil}'`,
      `ip link set '<b>x' up`,
      `ip link set '${evil}' up`,
      `ip -n '${evil}' link show '<script>'`,
      '',
    ].join('\n'),
  );
  await expect(problems(page)).toContainText(`Error: argument "${evil}" is wrong: "dev" not a valid ifname`);
  await expect(problems(page)).toContainText('Device "<script>" does not exist.');
  await expect(terminal(page)).toContainText(`# ip link set '${evil}' up`);
  await expect(page.getByTestId(`ns-${evil}`)).toBeVisible();
  await expect(page.getByTestId('dev-<b>x')).toBeVisible();
  await expect(page.getByTestId('dev-"><i>y')).toBeVisible();
  await expect(page.locator('main img, main i, main b, main script')).toHaveCount(0);
  // The completion offers the names as text too.
  const box = await codeEditor(page);
  await box.press('Control+End');
  await box.pressSequentially('ip netns exec ');
  await expect(page.getByRole('option', { name: evil })).toBeVisible();
  await page.screenshot({ path: 'test-results/editor-hostile-names.png' });
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
});

for (const [w, h, name] of [
  [1366, 850, 'desktop'],
  [390, 844, 'phone'],
] as const) {
  test(`the editor at ${w}×${h}`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page);
    await setScenario(page, BROKEN.replace('ip link show', 'ping -c 1 10.0.0.1\nip link show'));
    await expect(problems(page).getByRole('listitem')).toHaveCount(3);
    const box = await codeEditor(page);
    await box.scrollIntoViewIfNeeded();
    // Completion of a device name the script made.
    await box.press('Control+End');
    await box.pressSequentially('ip link set v');
    await expect(page.getByRole('listbox')).toBeVisible();
    await expect(page.getByRole('option', { name: /veth0/ })).toBeVisible();
    const panel = page.getByRole('region', { name: 'Scenario', exact: true });
    await panel.screenshot({ path: `test-results/editor-${name}.png` });
    await page.screenshot({ path: `test-results/editor-${name}-page.png`, fullPage: name === 'phone' });
    // No horizontal overflow of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
  });
}
