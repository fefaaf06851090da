// Test helpers (Node only) for the external tools the suite checks against:
// tshark and tcpdump. Each is required: a test that needs one fails where it
// is missing (scripts/ensure-chromium.mjs installs both). Every tool runs
// through one queue per test file, at most TOOL_PARALLELISM at a time, so a
// file with dozens of captures never starts dozens of processes on a 2-core
// machine; the tests that use them set their own generous timeouts.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcapng } from '../src/engine/output/pcapng.ts';

export const TOOL_PARALLELISM = 2;
/** For tests that run external tools: long enough for a loaded 2-core machine. */
export const TOOL_TEST_TIMEOUT = 600_000;

export function findTool(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** Throws, naming the Debian package, when a tool the test needs is missing. */
export function requireTool(name: string, pkg = name): string {
  const path = findTool(name);
  if (!path) throw new Error(`${name} is not installed (apt-get install ${pkg}); this test needs it`);
  return path;
}

let running = 0;
const waiting: (() => void)[] = [];

/** Runs fn when fewer than TOOL_PARALLELISM others are running. */
export async function bounded<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= TOOL_PARALLELISM) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface ToolResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Runs a tool (in the queue), never throwing on a non-zero exit. */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ToolResult> {
  return bounded(
    () =>
      new Promise<ToolResult>((resolve) => {
        execFile(cmd, args, { maxBuffer: 1 << 28, encoding: 'utf8', env }, (err, stdout, stderr) => {
          const code = err ? ((err as { code?: number | string }).code ?? -1) : 0;
          resolve({
            stdout,
            stderr: stderr || (err && !stderr ? String(err) : ''),
            status: typeof code === 'number' ? code : -1,
          });
        });
      }),
  );
}

// tshark, run as root, warns on stderr that doing so is dangerous; that line
// says nothing about the file, so it is the one line of stderr let through.
const ROOT_WARNING = /^Running as user "root" and group "root"\. This could be dangerous\.$/;

/** Runs tshark with checksum validation on; stderr comes back without the root warning. */
export async function tshark(args: string[]): Promise<ToolResult> {
  const r = await runTool('tshark', ['-o', 'gui.console_open:NEVER', '-o', 'ip.check_checksum:TRUE', ...args]);
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !ROOT_WARNING.test(l))
    .join('\n');
  return { ...r, stderr };
}

/** Writes bytes to a fresh temporary file, calls fn with its path, removes it. */
export async function withTempFile<T>(name: string, bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'skbwalk-test-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Problems tshark reports for a capture file (pcap or pcapng): anything on
 * stderr, expert-info warnings and errors (`-z expert,warn`), malformed
 * packets, bad checksums (IPv4 header checksums checked too), or a wrong
 * packet count.
 */
export async function tsharkProblems(path: string, packets: number): Promise<string[]> {
  const problems: string[] = [];
  const r = await tshark(['-r', path, '-V', '-z', 'expert,warn']);
  if (r.status !== 0) problems.push(`tshark exited ${r.status}`);
  if (r.stderr) problems.push(`stderr: ${r.stderr}`);
  const expert = r.stdout.search(/^(Errors|Warns) \(\d+\)/m);
  if (expert >= 0) problems.push(`expert: ${r.stdout.slice(expert).trim()}`);
  for (const line of r.stdout.split('\n')) {
    if (/incorrect|Bad checksum|Malformed|status: Bad/i.test(line)) problems.push(line.trim());
  }
  const count = r.stdout.split('\n').filter((l) => /^Frame \d+:/.test(l)).length;
  if (count !== packets) problems.push(`tshark read ${count} frames of ${packets}`);
  return problems;
}

/**
 * What tshark decodes of each frame, on the fields two runs of one scenario
 * agree on: everything but the timestamps, IP ids, checksum values and
 * payload bytes (ping's payload starts with the time it was sent). MACs and
 * ICMP ids become labels by first appearance in the capture, as in the
 * tcpdump text; checksums are checked (their status is compared); IGMP
 * reports are left out (a bridge sends them when it will).
 */
const DECODED_FIELDS = [
  'frame.len',
  'frame.cap_len',
  'frame.protocols',
  'eth.dst',
  'eth.src',
  'eth.type',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.hw_mac',
  'arp.dst.proto_ipv4',
  'ip.hdr_len',
  'ip.dsfield',
  'ip.len',
  'ip.flags',
  'ip.frag_offset',
  'ip.ttl',
  'ip.proto',
  'ip.src',
  'ip.dst',
  'ip.checksum.status',
  'icmp.type',
  'icmp.code',
  'icmp.checksum.status',
  'icmp.ident',
  'icmp.seq',
  'icmp.mtu',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.hdr_len',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.window_size_value',
  'tcp.option_kind',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.sack_perm',
  'tcp.len',
  'data.len',
];

export interface NamedCapture {
  name: string;
  frames: Uint8Array[];
}

/**
 * tshark's decode of many captures at once: they go into one pcapng (an
 * interface each), read by a single tshark run; returns each capture's lines.
 */
export async function tsharkDecode(captures: NamedCapture[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(captures.map((c) => [c.name, []]));
  const labels = captures.map(() => ({
    macs: new Map<string, string>(),
    ids: new Map<string, string>(),
    ports: new Map<string, string>(),
    seqs: new Map<string, string>(),
  }));
  const all = writePcapng(
    captures.map((c, index) => ({
      index,
      devName: c.name,
      devUid: index,
      netUid: 0,
      netName: '',
      startStep: 0,
      // One capture after another: pcapng orders packets by step, and two
      // captures' fragments with the same IP id must not interleave (tshark
      // would reassemble across them).
      packets: c.frames.map((bytes, k) => ({
        step: index * 1_000_000 + k,
        time: k * 1000,
        bytes,
        skb: k + 1,
        outgoing: true,
      })),
    })),
  );
  await withTempFile('all.pcapng', all, async (path) => {
    const args = ['-r', path, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-e', 'frame.interface_id'];
    for (const f of DECODED_FIELDS) args.push('-e', f);
    const r = await tshark(args);
    if (r.status !== 0 || r.stderr) throw new Error(`tshark failed (${r.status}): ${r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      if (!line) continue;
      const [iface, ...values] = line.split('|');
      const i = Number(iface);
      if (values[DECODED_FIELDS.indexOf('frame.protocols')]?.includes(':igmp')) continue;
      const { macs, ids, ports, seqs } = labels[i];
      // tshark numbers a flow's sequence from its start, but not the TCP header an ICMP error quotes.
      const quotesTcp = values[DECODED_FIELDS.indexOf('frame.protocols')]?.includes(':icmp:ip:tcp');
      const label = (map: Map<string, string>, prefix: string, keep: (v: string) => boolean) => (v: string) =>
        v
          .split(',')
          .map((x) => {
            if (!x || keep(x)) return x;
            if (!map.has(x)) map.set(x, `${prefix}${map.size + 1}`);
            return map.get(x)!;
          })
          .join(',');
      const mac = label(macs, 'M', (x) => x === 'ff:ff:ff:ff:ff:ff' || x === '00:00:00:00:00:00');
      const fields = DECODED_FIELDS.map((name, k) => {
        const v = values[k] ?? '';
        if (name.startsWith('eth.') && name !== 'eth.type') return mac(v);
        if (name.endsWith('hw_mac')) return mac(v);
        if (name === 'icmp.ident') return label(ids, 'I', () => false)(v);
        // The kernel picks a client's port: ports are compared by first appearance.
        if (name === 'tcp.srcport' || name === 'tcp.dstport') return label(ports, 'P', () => false)(v);
        // Its numbers are the random initial ones: compared by first appearance.
        if (quotesTcp && (name === 'tcp.seq' || name === 'tcp.ack')) return label(seqs, 'S', (x) => x === '0')(v);
        return v;
      });
      out.get(captures[i].name)!.push(DECODED_FIELDS.map((name, k) => `${name}=${fields[k]}`).join(' '));
    }
  });
  return out;
}
