// A scenario as a shell script to run on a real Linux machine, under the same
// conditions skbwalk (and the kernel records) assume: a fresh network
// namespace with lo up and IPv6 off, every `ip netns add` namespace likewise,
// and each `tcpdump -i DEV` a capture in the background that lasts to the end
// (the script waits a second after starting it). By default the script puts
// itself in a fresh network and mount namespace (`unshare`), so it changes
// nothing on the machine: its devices and namespaces vanish when it ends.
import { lexScript, type ScriptLine } from '../../engine/scenario/lexer.ts';

/** A word as bash reads it back unchanged. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Where the program of a command starts: after `ip netns exec NS` (nested too). */
function programAt(argv: string[]): { ns: string | null; at: number } {
  let at = 0;
  let ns: string | null = null;
  while (argv[at] === 'ip' && argv[at + 1] === 'netns' && argv[at + 2] === 'exec' && argv.length > at + 4) {
    ns = argv[at + 3];
    at += 4;
  }
  return { ns, at };
}

/** The device a `tcpdump` command captures on (`-i DEV`, `-iDEV`, `--interface=DEV`). */
function captureDevice(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a === '-i' || a === '--interface') && i + 1 < args.length) return args[i + 1];
    if (a.startsWith('--interface=')) return a.slice(12);
    if (/^-i./.test(a)) return a.slice(2);
  }
  return null;
}

export interface ScriptChanges {
  namespaces: string[];
  devices: string[];
  sysctls: string[];
  captures: string[];
}

/** What the scenario creates and sets, as its commands say. */
export function scenarioChanges(lines: ScriptLine[]): ScriptChanges {
  const changes: ScriptChanges = { namespaces: [], devices: [], sysctls: [], captures: [] };
  const add = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const l of lines) {
    if (l.error) continue;
    const { at } = programAt(l.argv);
    let argv = l.argv.slice(at);
    if (argv[0] === 'ip') {
      // Options before the object: -n NS, -br, -4, ...
      let i = 1;
      while (i < argv.length && argv[i].startsWith('-')) i += argv[i] === '-n' || argv[i] === '-netns' ? 2 : 1;
      argv = ['ip', ...argv.slice(i)];
      if (argv[1] === 'netns' && argv[2] === 'add' && argv[3]) add(changes.namespaces, argv[3]);
      if ((argv[1] === 'link' || argv[1] === 'l') && (argv[2] === 'add' || argv[2] === 'a')) {
        const nameAt = argv[3] === 'name' || argv[3] === 'dev' ? 4 : 3;
        if (argv[nameAt]) add(changes.devices, argv[nameAt]);
        const peer = argv.indexOf('peer');
        if (peer > 0 && argv[peer + 1] === 'name' && argv[peer + 2]) add(changes.devices, argv[peer + 2]);
      }
    } else if (argv[0] === 'sysctl') {
      for (const a of argv.slice(1)) if (a.includes('=')) add(changes.sysctls, a.split('=')[0]);
    } else if (l.redirect && argv[0] === 'echo') {
      const path = l.redirect.path;
      if (path.startsWith('/proc/sys/')) add(changes.sysctls, path.slice(10).replace(/\//g, '.'));
    } else if (argv[0] === 'tcpdump') {
      const dev = captureDevice(argv.slice(1));
      if (dev) add(changes.captures, dev);
    }
  }
  return changes;
}

const list = (items: string[]): string => (items.length ? items.join(', ') : 'none');

/** The scenario as a runnable bash script for a real Linux machine. */
export function realMachineScript(scenario: string, title = 'a skbwalk scenario'): string {
  const lines = lexScript(scenario);
  const byLine = new Map(lines.map((l) => [l.line, l]));
  const changes = scenarioChanges(lines);
  const needs = ['root', 'bash', 'iproute2 (ip)', 'iputils-ping (ping)', 'tcpdump', 'util-linux (unshare)'];
  if (lines.some((l) => l.argv.includes('ifconfig'))) needs.push('net-tools (ifconfig)');
  if (lines.some((l) => l.argv.includes('sysctl'))) needs.push('procps (sysctl)');
  const head = [
    '#!/bin/bash',
    `# ${title.replace(/\n/g, ' ')}`,
    '#',
    '# Exported from skbwalk (the Linux kernel moving a packet, one call at a',
    '# time), to run on a real Linux machine and compare with what skbwalk shows:',
    '#   sudo bash this-script.sh            # writes its captures into ./skbwalk-out',
    '#   SKBWALK_OUT=DIR sudo bash this-script.sh',
    '#',
    `# Needs: ${needs.join(', ')}.`,
    '#   Debian/Ubuntu: apt-get install iproute2 iputils-ping tcpdump util-linux',
    '#',
    '# What it changes: by default nothing on this machine. It runs itself in a',
    '# fresh network namespace and a private mount namespace (`unshare --net',
    '# --mount`), where everything below is made and vanishes when it ends, as',
    '# in skbwalk: lo up, IPv6 off, every namespace it adds likewise.',
    `#   namespaces it creates: ${list(changes.namespaces)}`,
    `#   devices it creates:    ${list(changes.devices)}`,
    `#   sysctls it sets:       ${list(changes.sysctls)}`,
    `#   captures (tcpdump):    ${list(changes.captures)}`,
    '# With SKBWALK_IN_PLACE=1 it runs in the namespace it was started in instead',
    '# and changes that namespace (and its /run/netns): do that only in a',
    '# throwaway one (`unshare -n`) or a virtual machine.',
    '',
    'set -u',
    'if [ "$(id -u)" != 0 ]; then echo "$0: run it as root (sudo bash $0)" >&2; exit 1; fi',
    'for tool in ip ping tcpdump unshare; do',
    '  command -v "$tool" >/dev/null || { echo "$0: $tool is missing" >&2; exit 1; }',
    'done',
    'if [ -z "${SKBWALK_IN_PLACE:-}" ]; then',
    "  # A fresh network namespace (the scenario's host) and a /run/netns of its own.",
    '  exec unshare --net --mount --propagation private env SKBWALK_IN_PLACE=1 SKBWALK_FRESH=1 bash "$0" "$@"',
    'fi',
    'if [ -n "${SKBWALK_FRESH:-}" ]; then',
    '  mkdir -p /run/netns && mount -t tmpfs skbwalk-netns /run/netns',
    'fi',
    'ip link set lo up',
    'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
    '',
    'out="${SKBWALK_OUT:-skbwalk-out}"',
    'mkdir -p "$out"',
    'captures=()',
    '# At the end, stop the captures and print what each one saw.',
    'finish() {',
    '  [ ${#captures[@]} -eq 0 ] && return',
    '  sleep 0.5',
    '  kill "${captures[@]}" 2>/dev/null',
    '  wait "${captures[@]}" 2>/dev/null',
    '  for f in "$out"/tcpdump-*.pcap; do',
    '    echo "== $f"',
    '    tcpdump -nn -e -r "$f" 2>/dev/null',
    '  done',
    '}',
    'trap finish EXIT',
    '',
    '# ---- the scenario ----',
  ];
  const body: string[] = [];
  let capture = 0;
  const source = scenario.split('\n');
  if (source[source.length - 1] === '') source.pop();
  source.forEach((text, i) => {
    const l = byLine.get(i + 1);
    if (!l || l.error) {
      body.push(text);
      return;
    }
    const { ns, at } = programAt(l.argv);
    const argv = l.argv.slice(at);
    if (argv[0] === 'tcpdump') {
      const dev = captureDevice(argv.slice(1)) ?? 'any';
      const file = `"$out"/tcpdump-${capture}-${shellQuote(dev).replace(/\//g, '_')}.pcap`;
      capture++;
      const prefix = l.argv.slice(0, at).map(shellQuote).join(' ');
      body.push(`# ${text.trim()}: a capture that lasts to the end`);
      body.push(
        `${prefix ? prefix + ' ' : ''}${argv.map(shellQuote).join(' ')} --immediate-mode -U -w ${file} >/dev/null 2>&1 &`,
      );
      body.push('captures+=($!)');
      body.push('sleep 1');
      return;
    }
    body.push(text);
    if (ns === null && argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'add' && argv[3]) {
      const name = shellQuote(argv[3]);
      body.push(`ip netns exec ${name} ip link set lo up`);
      body.push(`ip netns exec ${name} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`);
    }
  });
  return [...head, ...body, ''].join('\n');
}
