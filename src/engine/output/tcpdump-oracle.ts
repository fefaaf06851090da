// Test helper (Node only): what the real tcpdump prints for frames, packet by
// packet, by writing them to a pcap file and running `tcpdump -r` on it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capture } from '../run/output.ts';
import { writePcap } from './pcap.ts';

export function findTool(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

export function captureOf(frames: Uint8Array[], stepNs = 1e9): Capture {
  return {
    index: 0,
    devName: 'veth0',
    devUid: 1,
    netUid: 1,
    netName: '',
    startStep: 0,
    packets: frames.map((bytes, i) => ({ step: i, time: i * stepNs, bytes, skb: i + 1, outgoing: true })),
    full: false,
  };
}

const STAMP = /^\d\d:\d\d:\d\d\.\d{6} /;

/**
 * Real tcpdump's text for each frame (timestamps stripped; multi-line packets
 * joined with "\n"). `flags` are tcpdump's, e.g. ['-nn', '-e'].
 */
export function realTcpdump(frames: Uint8Array[], flags: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'skbwalk-tcpdump-'));
  try {
    const file = join(dir, 'f.pcap');
    writeFileSync(file, writePcap(captureOf(frames)));
    const text = execFileSync('tcpdump', [...flags, '-r', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 28,
      env: { ...process.env, TZ: 'UTC' },
    });
    const out: string[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (STAMP.test(line)) out.push(line.slice(16));
      else if (line.startsWith('[Invalid header')) out.push(line);
      else if (out.length) out[out.length - 1] += '\n' + line;
      else throw new Error(`tcpdump: unexpected first line ${JSON.stringify(line)}`);
    }
    if (out.length !== frames.length) throw new Error(`tcpdump printed ${out.length} packets for ${frames.length} frames`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
