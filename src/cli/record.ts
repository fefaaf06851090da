// `skbwalk record SCENARIO.sh --out DIR`: runs a scenario on this machine's
// own kernel (Linux, as root) and records it as the kernel references are
// recorded (../shared/kernel-reference/README.md): the same files, made the
// same way, so that `skbwalk compare` can hold skbwalk's run against it.
//
// How: the script runs in a network namespace of its own (its "host"), inside
// a private mount namespace whose /run/netns is a fresh tmpfs, so the named
// namespaces it adds are seen by no one else and vanish with it; lo is up and
// IPv6 off there and in every namespace it adds. The kernel's tracepoints
// write into a tracefs instance of our own (mounted by us: `ip netns exec`
// remounts /sys), switched on only while a ping or an nc client runs. Small
// wrappers put in front of ping, nc, tcpdump and ip on the script's PATH do
// the switching, note which processes are the scenario's, and start each
// capture. The normalizations (src/engine/output/normalize*.ts) then leave out
// what is not the scenario's traffic and label what varies from run to run.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { normalizePing, normalizeTcpdump, normalizeTerminal, scriptWords } from '../engine/output/normalize.ts';
import { ephemeralPorts, normalizeTrace } from '../engine/output/normalize_trace.ts';

export const RECORD_USAGE = `usage: skbwalk record SCENARIO.sh --out DIR

Runs SCENARIO.sh on this machine's own kernel (Linux, as root, with iproute2,
iputils-ping and tcpdump; netcat-openbsd for nc lines) in a network and mount
namespace of its own, and records it into DIR as the kernel reference records
are made: trace.txt (the kernel's tracepoints while each ping or nc client
runs), terminal.txt, ping.txt, tcpdump-N-DEV.txt and tcpdump-N-DEV.pcap. SKBWALK_RAW_TRACE=FILE in the environment also saves
the raw tracepoint text there (and the scenario's pids in FILE.pids).`;

export class RecordError extends Error {}

/** The kernel's tracepoints a record reads (tracefs event directories). */
const EVENTS = [
  'net/net_dev_queue',
  'net/net_dev_start_xmit',
  'net/net_dev_xmit',
  'net/netif_rx',
  'net/netif_receive_skb',
  'napi/napi_poll',
  'skb/kfree_skb',
  'skb/consume_skb',
  'neigh/neigh_create',
  'neigh/neigh_update',
  'fib/fib_table_lookup',
  'irq/softirq_raise',
  'sock/inet_sock_set_state',
  'tcp/tcp_send_reset',
  'tcp/tcp_receive_reset',
  'tcp/tcp_retransmit_skb',
];

// The wrappers. Each notes the pid of the real program it runs in
// $SKBWALK_REC/pids: task-context events of any other process are foreign.

/** ping: tracing on while it runs; what it prints goes to the terminal and to ping.all. */
const PING_WRAPPER = `#!/bin/sh
echo 1 > "$SKBWALK_TRACE/tracing_on"
sh -c 'echo $$ >> "$SKBWALK_REC/pids"; exec "$0" "$@"' "$SKBWALK_PING" "$@" > "$SKBWALK_REC/ping.$$" 2>&1
status=$?
echo 0 > "$SKBWALK_TRACE/tracing_on"
cat "$SKBWALK_REC/ping.$$"
cat "$SKBWALK_REC/ping.$$" >> "$SKBWALK_REC/ping.all"
rm -f "$SKBWALK_REC/ping.$$"
exit $status
`;

/**
 * nc: a listener (-l) runs untraced; a client is traced while it runs and
 * 0.2 s after (what the other end still does in answer). Every nc runs on
 * CPU 0, so the two ends of a connection never run at once.
 */
const NC_WRAPPER = `#!/bin/sh
for arg in "$@"; do
  case "$arg" in -l|-[!-]*l*) echo $$ >> "$SKBWALK_REC/pids"; exec taskset -c 0 "$SKBWALK_NC" "$@";; esac
done
echo 1 > "$SKBWALK_TRACE/tracing_on"
sh -c 'echo $$ >> "$SKBWALK_REC/pids"; exec taskset -c 0 "$0" "$@"' "$SKBWALK_NC" "$@" > "$SKBWALK_REC/nc.$$" 2>&1
status=$?
sleep 0.2
echo 0 > "$SKBWALK_TRACE/tracing_on"
cat "$SKBWALK_REC/nc.$$"
rm -f "$SKBWALK_REC/nc.$$"
exit $status
`;

/** ip: a namespace it adds starts as the host does, lo up and IPv6 off. */
const IP_WRAPPER = `#!/bin/sh
"$SKBWALK_IP" "$@" || exit $?
if [ "$1" = netns ] && [ "$2" = add ]; then
  "$SKBWALK_IP" netns exec "$3" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  "$SKBWALK_IP" netns exec "$3" ip link set lo up
fi
`;

/** tcpdump -i DEV: capture N starts in the background, writing cap-N-DEV.pcap, and the script waits 1 s. */
const TCPDUMP_WRAPPER = `#!/bin/sh
dev=""
while [ $# -gt 0 ]; do
  case "$1" in -i) dev="$2"; shift 2;; -i*) dev="\${1#-i}"; shift;; *) shift;; esac
done
n=$(ls "$SKBWALK_REC" | grep -c '^cap-.*pcap$')
file="$SKBWALK_REC/cap-$n-$dev.pcap"
setsid "$SKBWALK_TCPDUMP" -i "$dev" --immediate-mode -U -w "$file" >/dev/null 2>&1 &
echo $! > "$SKBWALK_REC/cap-$n-$dev.pid"
sleep 1
`;

/** The scenario's host: lo up, IPv6 off, an empty /run/netns of its own; then the script. */
const PROLOGUE =
  'mkdir -p /run/netns && mount -t tmpfs skbwalk-netns /run/netns && ' +
  'ip link set lo up; sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ' +
  'exec bash "$0"';

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function which(cmd: string): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const extra of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) if (!dirs.includes(extra)) dirs.push(extra);
  for (const d of dirs) {
    const p = join(d, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** The Debian package of each program a recording may need. */
const PACKAGES: Record<string, string> = {
  ip: 'iproute2',
  ping: 'iputils-ping',
  tcpdump: 'tcpdump',
  nc: 'netcat-openbsd',
  unshare: 'util-linux',
  taskset: 'util-linux',
  mount: 'mount',
  sysctl: 'procps',
  ifconfig: 'net-tools',
};

/** Programs the scenario needs: always ip, ping, tcpdump and the namespace tools; nc and ifconfig when it uses them. */
function requiredTools(script: string): string[] {
  const tools = ['ip', 'ping', 'tcpdump', 'unshare', 'mount', 'sysctl'];
  if (/(^|[\s;|&(])nc(\s|$)/m.test(script)) tools.push('nc', 'taskset');
  if (/(^|[\s;|&(])ifconfig(\s|$)/m.test(script)) tools.push('ifconfig');
  return tools;
}

interface RecordArgs {
  scenario: string;
  outDir: string;
}

function parseArgs(argv: string[]): RecordArgs | null {
  let scenario: string | null = null;
  let outDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return null;
    if (a === '--out' || a === '-o') {
      outDir = argv[++i] ?? null;
      if (!outDir) throw new RecordError('--out needs a directory');
    } else if (a.startsWith('--out=')) outDir = a.slice(6);
    else if (a.startsWith('-')) throw new RecordError(`unknown option "${a}"\n${RECORD_USAGE}`);
    else if (scenario === null) scenario = a;
    else throw new RecordError(`more than one scenario given ("${scenario}", "${a}")`);
  }
  if (!scenario) throw new RecordError(`no scenario given\n${RECORD_USAGE}`);
  if (!outDir) throw new RecordError('no output directory given (--out DIR)');
  return { scenario, outDir };
}

/** What stops a recording on this machine, before anything is changed; null when nothing does. */
export function recordPreconditions(script: string): string | null {
  if (process.platform !== 'linux') return `recording needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'recording needs root (it makes namespaces and reads the kernel tracepoints)';
  const missing = requiredTools(script).filter((t) => !which(t));
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => PACKAGES[t] ?? t))];
    return `missing ${missing.join(', ')}: apt-get install -y ${pkgs.join(' ')}`;
  }
  return null;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new RecordError(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0)
    throw new RecordError(`${cmd} ${args.join(' ')} failed: ${(r.stderr || '').trim() || `status ${r.status}`}`);
}

/** Python's text mode reads \r\n and \r as \n (the reference recorder reads program output so). */
const universalNewlines = (text: string): string => text.replace(/\r\n?/g, '\n');

export interface Recording {
  files: Map<string, string | Uint8Array>;
  /** The script's exit status (as bash's). */
  status: number;
  /** The raw tracefs text, to study a record. */
  raw: string;
  /** The scenario's ping and nc processes (task-context events of others are foreign). */
  pids: string[];
}

/** Runs the scenario at `scenarioPath` on this kernel; returns the record's files. */
export function recordScenario(scenarioPath: string): Recording {
  const script = readFileSync(scenarioPath, 'utf8');
  const work = mkdtempSync(join(tmpdir(), 'skbwalk-record-'));
  const tracefs = join(work, 'tracefs');
  const rec = join(work, 'rec');
  mkdirSync(tracefs);
  mkdirSync(rec);
  let mounted = false;
  const instance = join(tracefs, 'instances', `skbwalk${process.pid}`);
  let raw: string;
  let terminal: string;
  let status: number;
  try {
    run('mount', ['-t', 'tracefs', 'nodev', tracefs]);
    mounted = true;
    mkdirSync(instance);
    for (const ev of EVENTS) {
      const enable = join(instance, 'events', ev, 'enable');
      if (!existsSync(enable)) throw new RecordError(`this kernel has no tracepoint ${ev}`);
      writeFileSync(enable, '1');
    }
    writeFileSync(join(instance, 'tracing_on'), '0');
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const wrappers: [string, string][] = [
      ['ping', PING_WRAPPER],
      ['nc', NC_WRAPPER],
      ['tcpdump', TCPDUMP_WRAPPER],
      ['ip', IP_WRAPPER],
    ];
    for (const [name, body] of wrappers) {
      writeFileSync(join(bin, name), body);
      chmodSync(join(bin, name), 0o755);
    }
    const env = {
      ...process.env,
      SKBWALK_TRACE: instance,
      SKBWALK_REC: rec,
      SKBWALK_PING: which('ping') ?? 'ping',
      SKBWALK_NC: which('nc') ?? 'nc',
      SKBWALK_TCPDUMP: which('tcpdump') ?? 'tcpdump',
      SKBWALK_IP: which('ip') ?? 'ip',
      PATH: bin + delimiter + (process.env.PATH ?? ''),
    };
    // Standard output and error into one file: the order a terminal shows.
    const outFile = join(work, 'terminal.raw');
    const fd = openSync(outFile, 'w');
    try {
      const r = spawnSync(
        'unshare',
        ['--net', '--mount', '--propagation', 'private', 'bash', '-c', PROLOGUE, resolve(scenarioPath)],
        { env, stdio: ['ignore', fd, fd] },
      );
      if (r.error) throw new RecordError(`cannot run unshare: ${r.error.message}`);
      status = r.status ?? 128;
    } finally {
      closeSync(fd);
    }
    terminal = readFileSync(outFile, 'utf8');
    sleepMs(500);
    raw = readFileSync(join(instance, 'trace'), 'utf8');
  } finally {
    sleepMs(500);
    for (const f of readdirSync(rec).sort()) {
      if (!f.endsWith('.pid')) continue;
      const pid = Number(readFileSync(join(rec, f), 'utf8').trim());
      try {
        if (pid > 0) process.kill(pid, 'SIGTERM');
      } catch {
        // the capture already ended
      }
    }
    sleepMs(300);
    try {
      if (existsSync(instance)) rmdirSync(instance);
    } catch {
      // tracefs refuses while a capture's reader is still open; the unmount below still goes ahead
    }
    if (mounted) spawnSync('umount', [tracefs], { stdio: 'ignore' });
  }
  try {
    const words = scriptWords(script);
    const pidsFile = join(rec, 'pids');
    const pids = new Set(existsSync(pidsFile) ? readFileSync(pidsFile, 'utf8').split(/\s+/).filter(Boolean) : []);
    const files = new Map<string, string | Uint8Array>();
    files.set('trace.txt', normalizeTrace(raw, words, pids));
    files.set('terminal.txt', normalizeTerminal(universalNewlines(terminal), words, ephemeralPorts(raw, words)));
    const pingAll = join(rec, 'ping.all');
    files.set('ping.txt', normalizePing(universalNewlines(existsSync(pingAll) ? readFileSync(pingAll, 'utf8') : '')));
    for (const f of readdirSync(rec).sort()) {
      if (!f.endsWith('.pcap')) continue;
      const stem = f.slice(0, -5).replace('cap-', 'tcpdump-');
      const path = join(rec, f);
      files.set(`${stem}.pcap`, new Uint8Array(readFileSync(path)));
      const text = spawnSync('tcpdump', ['-nn', '-e', '-r', path], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 1 << 28,
      }).stdout;
      files.set(`${stem}.txt`, normalizeTcpdump(universalNewlines(text ?? ''), words));
    }
    return { files, status, raw, pids: [...pids] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The files a previous record left in DIR (so a new record never mixes with an old one). */
function isRecordFile(name: string): boolean {
  return ['trace.txt', 'terminal.txt', 'ping.txt'].includes(name) || /^tcpdump-\d+-.+\.(txt|pcap)$/.test(name);
}

export function recordMain(argv: string[], out: (s: string) => void): number {
  const args = parseArgs(argv);
  if (!args) {
    out(RECORD_USAGE + '\n');
    return 0;
  }
  let script: string;
  try {
    script = readFileSync(args.scenario, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RecordError(
      `cannot read ${args.scenario}: ${code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
    );
  }
  if (script.includes('\0')) throw new RecordError(`${args.scenario} is not a text file`);
  const why = recordPreconditions(script);
  if (why) throw new RecordError(why);
  try {
    mkdirSync(args.outDir, { recursive: true });
    for (const f of readdirSync(args.outDir)) if (isRecordFile(f)) rmSync(join(args.outDir, f));
  } catch (e) {
    throw new RecordError(`cannot write to ${args.outDir}: ${(e as Error).message}`);
  }
  const recording = recordScenario(args.scenario);
  for (const [name, data] of recording.files) writeFileSync(join(args.outDir, name), data);
  // To study a record (or make a test fixture of its normalization): the raw trace and the scenario's pids.
  const rawFile = process.env.SKBWALK_RAW_TRACE;
  if (rawFile) {
    writeFileSync(rawFile, recording.raw);
    writeFileSync(`${rawFile}.pids`, recording.pids.join('\n') + '\n');
  }
  const captures = [...recording.files.keys()].filter((n) => n.endsWith('.pcap')).length;
  out(
    `recorded ${args.scenario} into ${args.outDir}: trace.txt, terminal.txt, ping.txt` +
      (captures ? ` and ${captures} capture${captures === 1 ? '' : 's'}` : '') +
      ` (the script exited with status ${recording.status})\n`,
  );
  return 0;
}
