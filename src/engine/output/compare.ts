// Holding two records of one scenario side by side (what `skbwalk compare`
// prints and what the conformance test scores), in the manner of
// ../shared/tools/compare-trace: each text file exact or a similarity from 0
// to 1 (matched lines over all lines), trace.txt at two levels (`path`
// without the fib_table_lookup lines, `full` with them), the first lines where
// the two part, and captures the kernel did not make. Captures' pcap files are
// compared frame by frame on what does not vary between two runs: length,
// EtherType and IP protocol (IGMP frames left out, as in the text).
import { readPcap } from './pcap.ts';

/** A record: file name -> contents (text files as strings, pcaps as bytes). */
export type RecordFiles = ReadonlyMap<string, string | Uint8Array>;

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * Matched lines over all lines, the matches found as a longest common
 * subsequence: 2·matches / (|a| + |b|); 1 for two empty files.
 */
export function similarity(expected: string | string[], actual: string | string[]): number {
  const a = typeof expected === 'string' ? lines(expected) : expected;
  const b = typeof actual === 'string' ? lines(actual) : actual;
  if (!a.length && !b.length) return 1;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return (2 * prev[b.length]) / (a.length + b.length);
}

/** Where two texts first part: the line number and up to `context`+1 lines of each from there. */
export function firstDifference(expected: string[], actual: string[], context = 2): string[] {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  if (i === expected.length && i === actual.length) return [];
  return [
    `    at line ${i + 1}:`,
    ...expected.slice(i, i + context + 1).map((l) => `    - ${l}`),
    ...actual.slice(i, i + context + 1).map((l) => `    + ${l}`),
  ];
}

/** One line per frame of a pcap: what two runs of a scenario agree on. IGMP reports are left out. */
export function pcapSignature(file: Uint8Array): string[] {
  const out: string[] = [];
  for (const p of readPcap(file).packets) {
    const d = p.data;
    const type = d.length >= 14 ? ((d[12] << 8) | d[13]).toString(16).padStart(4, '0') : '-';
    const proto = type === '0800' && d.length >= 24 ? d[23] : null;
    if (proto === 2) continue;
    out.push(`len=${p.origLen} type=0x${type}${proto === null ? '' : ` proto=${proto}`}`);
  }
  return out;
}

export type ScoreKey = 'path' | 'full' | 'terminal' | 'ping' | 'tcpdump' | 'pcap';
export const SCORE_KEYS: readonly ScoreKey[] = ['path', 'full', 'terminal', 'ping', 'tcpdump', 'pcap'];

export interface FileComparison {
  name: string;
  level: 'path' | 'full';
  state: 'exact' | 'missing' | 'unexpected' | 'unreadable' | 'differs';
  similarity: number;
  difference: string[];
}

export interface RecordComparison {
  files: FileComparison[];
  /** Mean similarity per kind of file; a kind the expected record does not have scores 1. */
  scores: Record<ScoreKey, number>;
  /** Every file agrees exactly (trace.txt at the full level) and nothing unexpected was made. */
  exact: boolean;
}

function keyOf(name: string, level: 'path' | 'full'): ScoreKey {
  if (name === 'trace.txt') return level;
  if (name === 'terminal.txt') return 'terminal';
  if (name === 'ping.txt') return 'ping';
  return name.endsWith('.pcap') ? 'pcap' : 'tcpdump';
}

const isRecordFile = (name: string): boolean => name.endsWith('.txt') || (name.startsWith('tcpdump-') && name.endsWith('.pcap'));

function asText(v: string | Uint8Array): string {
  return typeof v === 'string' ? v : new TextDecoder().decode(v);
}

/** Compares every text file and capture of the expected record with the actual one. */
export function compareRecords(expected: RecordFiles, actual: RecordFiles): RecordComparison {
  const files: FileComparison[] = [];
  const sums = new Map<ScoreKey, number[]>();
  const names = [...expected.keys()].filter(isRecordFile).sort();
  for (const name of names) {
    const exp = expected.get(name)!;
    const act = actual.get(name);
    let expLines: string[];
    let actLines: string[] | null;
    if (name.endsWith('.pcap')) {
      expLines = pcapSignature(typeof exp === 'string' ? new TextEncoder().encode(exp) : exp);
      try {
        actLines = act === undefined ? null : pcapSignature(typeof act === 'string' ? new TextEncoder().encode(act) : act);
      } catch (e) {
        files.push({ name, level: 'full', state: 'unreadable', similarity: 0, difference: [`    ${(e as Error).message}`] });
        sums.set('pcap', [...(sums.get('pcap') ?? []), 0]);
        continue;
      }
    } else {
      expLines = lines(asText(exp));
      actLines = act === undefined ? null : lines(asText(act));
    }
    const levels: ('path' | 'full')[] = name === 'trace.txt' ? ['path', 'full'] : ['full'];
    for (const level of levels) {
      const pick = (l: string[]): string[] => (level === 'path' ? l.filter((x) => !x.includes(' fib_table_lookup ')) : l);
      const key = keyOf(name, level);
      let entry: FileComparison;
      if (actLines === null) {
        entry = { name, level, state: 'missing', similarity: 0, difference: [] };
      } else {
        const e = pick(expLines);
        const a = pick(actLines);
        const same = e.length === a.length && e.every((l, i) => l === a[i]);
        entry = {
          name,
          level,
          state: same ? 'exact' : 'differs',
          similarity: same ? 1 : similarity(e, a),
          difference: same ? [] : firstDifference(e, a),
        };
      }
      files.push(entry);
      sums.set(key, [...(sums.get(key) ?? []), entry.similarity]);
    }
  }
  for (const name of [...actual.keys()].filter((n) => n.startsWith('tcpdump-') && isRecordFile(n) && !expected.has(n)).sort()) {
    files.push({ name, level: 'full', state: 'unexpected', similarity: 0, difference: [] });
  }
  const scores = {} as Record<ScoreKey, number>;
  for (const k of SCORE_KEYS) {
    const v = sums.get(k);
    scores[k] = v && v.length ? v.reduce((a, b) => a + b, 0) / v.length : 1;
  }
  const exact = files.every((f) => f.state === 'exact');
  return { files, scores, exact };
}

/** The report as compare-trace prints it: a line per file and level, then the scores. */
export function formatComparison(c: RecordComparison, quiet = false): string {
  const out: string[] = [];
  if (!quiet) {
    for (const f of c.files) {
      const state =
        f.state === 'differs'
          ? f.similarity.toFixed(3)
          : f.state === 'unexpected'
            ? 'unexpected (the kernel made no such capture)'
            : f.state;
      out.push(`${f.name.padEnd(28)} ${f.level.padEnd(5)} ${state}`);
      out.push(...f.difference);
    }
  }
  out.push(`score ${SCORE_KEYS.map((k) => `${k}=${c.scores[k].toFixed(3)}`).join(' ')} exact=${c.exact ? 'yes' : 'no'}`);
  return out.join('\n') + '\n';
}
