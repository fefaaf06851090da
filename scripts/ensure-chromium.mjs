#!/usr/bin/env node
// Makes sure the system tools the test suite needs are present:
//   - /usr/bin/chromium  (Debian package `chromium`; Playwright drives it,
//                         since it cannot download its own browsers here)
//   - tshark             (Debian package `tshark`; the pcap and pcapng checks)
//   - tcpdump            (Debian package `tcpdump`; the tcpdump text checks)
// When something is missing and we run as root, it is installed with apt-get
// (non-interactively). Otherwise a clear error is printed and we exit 1.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const log = (msg) => console.log(`[ensure-chromium] ${msg}`);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const extra of ['/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
    if (!dirs.includes(extra)) dirs.push(extra);
  }
  return dirs.map((d) => join(d, cmd)).find(isExecutable) ?? null;
}

function run(cmd, args, input) {
  log(`running: ${[cmd, ...args].join(' ')}`);
  const res = spawnSync(cmd, args, {
    stdio: [input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'],
    input,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (res.error) {
    console.error(`[ensure-chromium] failed to start ${cmd}: ${res.error.message}`);
    process.exit(1);
  }
  if (res.status !== 0) {
    console.error(`[ensure-chromium] ${cmd} ${args.join(' ')} exited with status ${res.status ?? res.signal}`);
    process.exit(1);
  }
}

const tools = [
  { name: 'chromium', pkg: 'chromium', find: () => (isExecutable(CHROMIUM) ? CHROMIUM : null) },
  { name: 'tshark', pkg: 'tshark', find: () => onPath('tshark') },
  { name: 'tcpdump', pkg: 'tcpdump', find: () => onPath('tcpdump') },
];

const missing = [];
for (const tool of tools) {
  const found = tool.find();
  if (found) log(`${tool.name}: found at ${found}`);
  else {
    log(`${tool.name}: missing (Debian package \`${tool.pkg}\`)`);
    missing.push(tool);
  }
}

if (missing.length > 0) {
  const pkgs = missing.map((t) => t.pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `\n[ensure-chromium] ERROR: missing ${missing.map((t) => t.name).join(' and ')}.\n` +
        `The tests need Debian's chromium (at ${CHROMIUM}), tshark and tcpdump. Install them with:\n\n` +
        `  sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}\n\n` +
        `(or run \`npm test\` as root and they will be installed automatically).\n`,
    );
    process.exit(1);
  }
  if (!onPath('apt-get')) {
    console.error(
      `[ensure-chromium] ERROR: missing ${pkgs.join(', ')} and apt-get is not available; ` +
        `install Debian's ${pkgs.join(' and ')} package(s) by hand.`,
    );
    process.exit(1);
  }

  log(`installing ${pkgs.join(', ')} with apt-get (running as root)`);
  run('apt-get', ['update']);
  if (pkgs.includes('tshark')) {
    // Avoid the interactive "should non-superusers be able to capture" prompt.
    run('debconf-set-selections', [], 'wireshark-common wireshark-common/install-setuid boolean false\n');
  }
  run('apt-get', ['install', '-y', ...pkgs]);

  for (const tool of missing) {
    const found = tool.find();
    if (!found) {
      console.error(`[ensure-chromium] ERROR: ${tool.name} still missing after installing ${tool.pkg}`);
      process.exit(1);
    }
    log(`${tool.name}: installed at ${found}`);
  }
}

log('all required system tools present');
