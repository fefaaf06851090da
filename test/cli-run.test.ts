// `skbwalk run` as a user runs it: a child process, with bounded time (the
// machine may be loaded: the timeouts are generous, and never the default).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPcap } from '../src/engine/output/pcap.ts';
import { recordScriptPath } from './records.ts';

const BIN = new URL('../bin/skbwalk.mjs', import.meta.url).pathname;
const SEED = recordScriptPath('seed-veth-same-ns');
const TIMEOUT = 180_000;

const FLOOD = (count: number, quiet: boolean) =>
  'ip netns add ns1\nip link add veth0 type veth peer name veth1\nip link set veth1 netns ns1\n' +
  'ip addr add 10.1.1.1/24 dev veth0\nip link set veth0 up\n' +
  'ip -n ns1 addr add 10.1.1.2/24 dev veth1\nip -n ns1 link set veth1 up\n' +
  `tcpdump -i veth0\nping -f -c ${count}${quiet ? ' -q' : ''} 10.1.1.2\n`;

interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { onSpawn?: (kill: (sig: NodeJS.Signals) => void) => void } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    opts.onSpawn?.((sig) => child.kill(sig));
  });
}

const skbwalk = (...args: string[]) => run(process.execPath, [BIN, ...args]);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'skbwalk-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('skbwalk run checks before it works', () => {
  it('reads at most 256 KiB + 1 of the script: run /dev/zero ends at once', { timeout: TIMEOUT }, async () => {
    const r = await skbwalk('run', '/dev/zero', '--out', join(tmp, 'zero'));
    expect(r).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'skbwalk: /dev/zero is larger than the 256 KiB a scenario may be\n',
    });
    expect(existsSync(join(tmp, 'zero'))).toBe(false);
  });

  it('refuses a script that is not text, or a folder', { timeout: TIMEOUT }, async () => {
    const bin = join(tmp, 'binary.sh');
    writeFileSync(bin, 'ip link\0\n');
    expect((await skbwalk('run', bin, '--out', join(tmp, 'b'))).stderr).toBe(`skbwalk: ${bin} is not a text file\n`);
    expect((await skbwalk('run', tmp, '--out', join(tmp, 'b'))).stderr).toBe(`skbwalk: cannot read ${tmp}: Is a directory\n`);
  });

  it('refuses --out under /proc before simulating (it used to hang)', { timeout: TIMEOUT }, async () => {
    const r = await skbwalk('run', SEED, '--out', '/proc/sys/x');
    expect(r).toMatchObject({
      status: 2,
      stderr: 'skbwalk: cannot write to /proc/sys/x: it is under /proc, which holds no files\n',
    });
  });

  it('refuses --out under /sys', { timeout: TIMEOUT }, async () => {
    const r = await skbwalk('run', SEED, '--out', '/sys/kernel/skbwalk-out');
    expect(r).toMatchObject({
      status: 2,
      stderr: 'skbwalk: cannot write to /sys/kernel/skbwalk-out: it is under /sys, which holds no files\n',
    });
  });

  it('says "Not a directory" for --out /dev/full and for a file', { timeout: TIMEOUT }, async () => {
    expect(await skbwalk('run', SEED, '--out', '/dev/full')).toMatchObject({
      status: 2,
      stderr: 'skbwalk: cannot write to /dev/full: Not a directory\n',
    });
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    expect((await skbwalk('run', SEED, '--out', file)).stderr).toBe(`skbwalk: cannot write to ${file}: Not a directory\n`);
    const below = join(file, 'sub');
    expect((await skbwalk('run', SEED, '--out', below)).stderr).toBe(`skbwalk: cannot write to ${below}: Not a directory\n`);
  });

  it('accepts --seed 0 to 2^32-1 and refuses the rest', { timeout: TIMEOUT }, async () => {
    for (const bad of ['4294967296', '-1', '1e3', '']) {
      const r = await skbwalk('run', SEED, '--out', join(tmp, 'seed'), '--seed', bad);
      expect(r.status, bad).toBe(2);
      expect(r.stderr, bad).toBe(
        bad === ''
          ? 'skbwalk: --seed needs a whole number\n'
          : `skbwalk: --seed ${bad}: not a whole number from 0 to 4294967295\n`,
      );
    }
    for (const good of ['0', '4294967295']) {
      const r = await skbwalk('run', SEED, '--out', join(tmp, `seed-${good}`), '--seed', good);
      expect(r, good).toMatchObject({ status: 0, stderr: '' });
    }
  });
});

describe('skbwalk run keeps its work bounded', () => {
  it('runs ping -f without -q (a dot per echo, "\\b \\b" per reply on one line) to its end', { timeout: TIMEOUT }, async () => {
    // 40000 echoes took 33.8 s when every write re-split the unfinished line;
    // bench.ts measures it against -q (target < 2x).
    const script = join(tmp, 'dots.sh');
    writeFileSync(script, FLOOD(40000, false));
    const out = join(tmp, 'dots');
    expect(await skbwalk('run', script, '--out', out)).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const lines = readFileSync(join(out, 'terminal.txt'), 'utf8').split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'PING 10.1.1.2 (10.1.1.2) 56(84) bytes of data.',
      '.\b \b'.repeat(40000),
      '--- 10.1.1.2 ping statistics ---',
      '40000 packets transmitted, 40000 received, 0% packet loss, time Tms',
    ]);
    // Every echo and its reply, after the ARP request and reply.
    expect(readPcap(readFileSync(join(out, 'tcpdump-0-veth0.pcap'))).packets).toHaveLength(2 + 80000);
  });

  it('ends 65000-byte pings captured on both ends at the step limit, with valid captures', { timeout: TIMEOUT }, async () => {
    // Issue 10's case 3: -c 5000 peaked at 2.76 GB with two 650 MB pcaps.
    const script = join(tmp, 'big-pings.sh');
    writeFileSync(
      script,
      FLOOD(5000, true)
        .replace('ping -f -c 5000 -q', 'ping -c 5000 -i 0 -s 65000 -q')
        .replace('tcpdump -i veth0\n', 'tcpdump -i veth0\nip netns exec ns1 tcpdump -i veth1\n'),
    );
    const out = join(tmp, 'big-pings');
    const limit = 'skbwalk: the scenario reached the limit of 5000000 kernel calls; stopped there';
    expect(await skbwalk('run', script, '--out', out)).toMatchObject({ status: 0, stdout: '', stderr: `${limit}\n` });
    expect(readFileSync(join(out, 'terminal.txt'), 'utf8')).toBe(
      `PING 10.1.1.2 (10.1.1.2) 65000(65028) bytes of data.\n${limit}\n`,
    );
    let bytes = 0;
    for (const dev of ['0-veth0', '1-veth1']) {
      const pcap = readFileSync(join(out, `tcpdump-${dev}.pcap`));
      bytes += pcap.length;
      const packets = readPcap(pcap).packets.length;
      expect(packets).toBeGreaterThan(40000);
      expect(
        readFileSync(join(out, `tcpdump-${dev}.txt`), 'utf8')
          .split('\n')
          .filter(Boolean),
      ).toHaveLength(packets);
    }
    expect(bytes).toBeLessThan(2 ** 30);
  });
});

describe('skbwalk run writes whole, fresh outputs', () => {
  it('removes the files of an earlier run and leaves other files alone', { timeout: TIMEOUT }, async () => {
    const out = join(tmp, 'stale');
    mkdirSync(out);
    writeFileSync(join(out, 'tcpdump-3-veth9.pcap'), 'old');
    writeFileSync(join(out, 'tcpdump-3-veth9.txt'), 'old');
    writeFileSync(join(out, 'notes.md'), 'mine');
    const r = await skbwalk('run', SEED, '--out', out);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(out).sort()).toEqual([
      'notes.md',
      'ping.txt',
      'tcpdump-0-veth0.pcap',
      'tcpdump-0-veth0.txt',
      'terminal.txt',
      'trace.txt',
    ]);
  });

  it("reports a full disk when writing, in the core utilities' words", { timeout: TIMEOUT }, async () => {
    const out = join(tmp, 'full');
    mkdirSync(out);
    // terminal.txt is a link to /dev/full: every write to it fails with ENOSPC.
    symlinkSync('/dev/full', join(out, 'terminal.txt'));
    const r = await skbwalk('run', SEED, '--out', out);
    expect(r).toMatchObject({
      status: 1,
      stderr: `skbwalk: cannot write ${join(out, 'terminal.txt')}: No space left on device\n`,
    });
  });

  it('shows progress on a terminal only, not when piped', { timeout: TIMEOUT }, async () => {
    const script = join(tmp, 'flood.sh');
    writeFileSync(script, FLOOD(12000, true));
    const piped = await skbwalk('run', script, '--out', join(tmp, 'piped'));
    expect(piped).toMatchObject({ status: 0, stderr: '' });
    // script(1) gives the CLI a pseudo-terminal (its stderr and stdout both go to the pty).
    const command = [process.execPath, BIN, 'run', script, '--out', join(tmp, 'tty')].map((a) => `'${a}'`).join(' ');
    const tty = await run('script', ['-q', '-e', '-c', command, '/dev/null']);
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/\rskbwalk: \d+ of at most 5000000 kernel calls simulated \(\d+%\)/);
    expect(tty.stdout.endsWith('\r\x1b[K')).toBe(true);
    expect(readFileSync(join(tmp, 'tty', 'terminal.txt'), 'utf8')).toBe(readFileSync(join(tmp, 'piped', 'terminal.txt'), 'utf8'));
  });

  it('stops cleanly on Ctrl+C with the outputs so far written and valid', { timeout: TIMEOUT }, async () => {
    const script = join(tmp, 'long.sh');
    writeFileSync(script, FLOOD(1_000_000, false));
    const out = join(tmp, 'interrupted');
    const r = await run(process.execPath, [BIN, 'run', script, '--out', out], {
      onSpawn: (kill) => {
        // The output folder is made once the SIGINT handler is in place and just
        // before simulating. Interrupt at once: the CLI finishes the slice under
        // way (20000 calls, a few hundred packets) before it stops, and a loaded
        // machine may delay this process's timers by seconds, long enough for
        // the whole run to reach its step limit.
        const poll = setInterval(() => {
          if (existsSync(out)) {
            clearInterval(poll);
            kill('SIGINT');
          }
        }, 20);
      },
    });
    expect(r.signal).toBe(null);
    expect(r.status).toBe(130);
    const message = r.stderr.trim();
    expect(message).toMatch(/^skbwalk: interrupted after \d+ kernel calls; the files hold the run so far$/);
    const terminal = readFileSync(join(out, 'terminal.txt'), 'utf8');
    expect(terminal.endsWith(`\n${message}\n`)).toBe(true);
    expect(terminal).toContain('PING 10.1.1.2 (10.1.1.2) 56(84) bytes of data.\n');
    const pcap = readPcap(readFileSync(join(out, 'tcpdump-0-veth0.pcap')));
    expect(pcap.packets.length).toBeGreaterThan(100);
    const text = readFileSync(join(out, 'tcpdump-0-veth0.txt'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(pcap.packets.length);
    expect(readFileSync(join(out, 'trace.txt'), 'utf8').length).toBeGreaterThan(1000);
  });
});
