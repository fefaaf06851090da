// Downloads, end to end: each file the Download menu offers, taken as a user
// takes it and checked with the tools it is meant for (tshark, tcpdump, bash)
// and against the kernel's own record of the same scenario.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchProblems } from './problems.ts';
import { normalizeTerminal } from '../src/engine/output/normalize.ts';

const STEP_RE = /^Step (\d+) of (\d+)$/;

// Each test downloads several files and runs tshark, tcpdump and bash on them: on a
// loaded 2-core machine that takes longer than Playwright's default 30 s.
test.describe.configure({ timeout: 300_000 });
const FIXTURES = new URL('../test/fixtures/kernel/', import.meta.url);
const fixture = (folder: string, name: string): string => readFileSync(new URL(`${folder}/${name}`, FIXTURES), 'utf8');

async function open(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('status')).toHaveText(STEP_RE, { timeout: 30_000 });
}

/** Opens the Download menu, clicks the item whose file name matches, returns the downloaded file. */
async function download(page: Page, name: RegExp | string): Promise<{ name: string; path: string }> {
  const menu = page.locator('.export-menu');
  if (!(await menu.locator('details').evaluate((d: HTMLDetailsElement) => d.open))) await menu.locator('summary').click();
  const item = menu.getByRole('button', { name });
  const [dl] = await Promise.all([page.waitForEvent('download'), item.click()]);
  const path = await dl.path();
  expect(path).toBeTruthy();
  await expect(menu.locator('.export-status')).toHaveText(`Downloaded ${dl.suggestedFilename()}.`);
  return { name: dl.suggestedFilename(), path: path! };
}

/** tshark's stderr, without the warning it prints whenever it runs as root. */
function tshark(args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync('tshark', ['-o', 'ip.check_checksum:TRUE', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(r.error, 'tshark must be installed (apt-get install tshark)').toBeUndefined();
  expect(r.status).toBe(0);
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l.trim() && !/^Running as user "root" and group "root"\. This could be dangerous\.$/.test(l))
    .join('\n');
  return { stdout: r.stdout, stderr };
}

/** Problems tshark reports: warnings on stderr, expert warnings and errors, bad checksums, malformed frames. */
function tsharkProblems(path: string): string[] {
  const r = tshark(['-r', path, '-V', '-z', 'expert,warn']);
  const problems = r.stderr ? [r.stderr] : [];
  const expert = r.stdout.search(/^(Errors|Warns) \(\d+\)/m);
  if (expert >= 0) problems.push(r.stdout.slice(expert).trim());
  for (const line of r.stdout.split('\n'))
    if (/incorrect|Bad checksum|Malformed|status: Bad/i.test(line)) problems.push(line.trim());
  return problems;
}

test('downloads the seed run: its pcap, trace, terminal, diagram and a script for a real machine', async ({ page }) => {
  const problems = watchProblems(page);
  await open(page);

  // The capture: tshark reads it without a word, and tcpdump prints what the kernel's capture printed.
  const pcap = await download(page, /^tcpdump-0-veth0\.pcap/);
  expect(pcap.name).toBe('tcpdump-0-veth0.pcap');
  expect(tsharkProblems(pcap.path)).toEqual([]);
  const frames = tshark(['-r', pcap.path, '-T', 'fields', '-e', 'frame.number']).stdout.trim().split('\n');
  const kernelText = fixture('seed-veth-same-ns', 'tcpdump-0-veth0.txt');
  expect(frames.length).toBe(kernelText.trim().split('\n').length);
  const ours = execFileSync('tcpdump', ['-nn', '-e', '-t', '-r', pcap.path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const label = (text: string) => {
    const macs = new Map<string, string>();
    const ids = new Map<string, string>();
    return text
      .replace(/\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, (m) =>
        m === 'ff:ff:ff:ff:ff:ff' || m === '00:00:00:00:00:00'
          ? m
          : (macs.get(m) ?? (macs.set(m, `M${macs.size + 1}`), `M${macs.size}`)),
      )
      .replace(/\bid (\d+)/g, (_m, n: string) => `id ${ids.get(n) ?? (ids.set(n, `I${ids.size + 1}`), `I${ids.size}`)}`);
  };
  expect(label(ours)).toBe(kernelText);

  // trace.txt: as `skbwalk run` writes it, which for the seed is what the kernel wrote.
  const trace = await download(page, /^trace\.txt/);
  expect(trace.name).toBe('trace.txt');
  expect(readFileSync(trace.path, 'utf8')).toBe(fixture('seed-veth-same-ns', 'trace.txt'));

  // The terminal, with real MACs and times: the kernel's terminal once normalized as the recorder does.
  const terminal = await download(page, /^terminal\.txt/);
  const terminalText = readFileSync(terminal.path, 'utf8');
  expect(terminalText).toMatch(/link\/ether (?:[0-9a-f]{2}:){5}[0-9a-f]{2} brd ff:ff:ff:ff:ff:ff/);
  expect(normalizeTerminal(terminalText)).toBe(fixture('seed-veth-same-ns', 'terminal.txt'));

  // The diagram as SVG: one standalone document, styles inlined, the devices' names as text.
  const svg = await download(page, /\.svg/);
  expect(svg.name).toMatch(/^the-seed-article-a-veth-pair-in-step-0\.svg$/);
  const svgText = readFileSync(svg.path, 'utf8');
  expect(svgText.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
  expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svgText).not.toMatch(/\sclass="/);
  expect(svgText).toMatch(/style="[^"]*fill:/);
  for (const name of ['lo', 'veth0', 'veth1']) expect(svgText).toContain(`>${name}<`);
  // It renders on its own, at its size (as an image: no stylesheet, no script).
  const size = await page.evaluate(
    async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      return { w: img.naturalWidth, h: img.naturalHeight };
    },
    `data:image/svg+xml;base64,${Buffer.from(svgText).toString('base64')}`,
  );
  const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svgText) ?? [];
  expect(size).toEqual({ w: Number(w), h: Number(h) });
  expect(size.w).toBeGreaterThan(200);

  // The PNG: twice the SVG's size.
  const png = await download(page, /\.png/);
  const bytes = readFileSync(png.path);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([2 * Number(w), 2 * Number(h)]);

  // The script for a real machine: says what it needs and changes, and bash reads it.
  const script = await download(page, /\.sh/);
  expect(script.name).toMatch(/^the-seed-article-a-veth-pair-in\.sh$/);
  const sh = readFileSync(script.path, 'utf8');
  expect(sh.split('\n').slice(0, 2)).toEqual([
    '#!/bin/bash',
    '# The seed article: a veth pair in one namespace, rp_filter off, accept_local on, ping bound to veth0.',
  ]);
  expect(sh).toContain(
    '# Needs: root, bash, iproute2 (ip), iputils-ping (ping), tcpdump, util-linux (unshare), net-tools (ifconfig).',
  );
  expect(sh).toContain('#   devices it creates:    veth0, veth1');
  expect(sh).toContain('#   sysctls it sets:       net.ipv4.conf.all.rp_filter, net.ipv4.conf.veth0.rp_filter');
  expect(sh).toContain('tcpdump -i veth0 --immediate-mode -U -w "$out"/tcpdump-0-veth0.pcap >/dev/null 2>&1 &');
  expect(sh).toContain('\nping -c 2 -I veth0 192.168.1.2\n');
  const bash = spawnSync('bash', ['-n', script.path], { encoding: 'utf8' });
  expect(bash.stderr).toBe('');
  expect(bash.status).toBe(0);

  await page.screenshot({ path: 'test-results/exports-menu.png' });
  expect(problems).toEqual([]);
});

test('downloads every capture of the bridge scenario as one pcapng, an interface each', async ({ page }) => {
  const problems = watchProblems(page);
  await open(page);
  await page.getByLabel('Example scenario').selectOption({ label: 'a bridge between two namespaces' });
  const run = page.getByRole('button', { name: 'Run', exact: true });
  if (await run.isVisible()) await run.click();
  const captures = page.getByRole('region', { name: 'Captures', exact: true });
  await expect(captures.getByRole('heading', { name: /^tcpdump -i veth2br/ })).toBeVisible({ timeout: 30_000 });
  const all = await download(page, /\.pcapng/);
  expect(all.name).toMatch(/\.pcapng$/);
  expect(tsharkProblems(all.path)).toEqual([]);
  const perInterface = tshark(['-r', all.path, '-T', 'fields', '-e', 'frame.interface_name'])
    .stdout.trim()
    .split('\n')
    .reduce((m, dev) => m.set(dev, (m.get(dev) ?? 0) + 1), new Map<string, number>());
  // As many packets on each interface as the kernel's capture on that device holds (IGMP aside).
  const kernelCount = (file: string) => fixture('bridge-two-ns', file).trim().split('\n').length;
  expect(perInterface).toEqual(
    new Map([
      ['br0', kernelCount('tcpdump-0-br0.txt')],
      ['veth2br', kernelCount('tcpdump-1-veth2br.txt')],
    ]),
  );
  const capinfos = tshark(['-r', all.path, '-z', 'io,phs', '-q']);
  expect(capinfos.stderr).toBe('');
  expect(problems).toEqual([]);
});
