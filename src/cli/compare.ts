// `skbwalk compare EXPECTED ACTUAL [--quiet]`: two record folders (a kernel
// record and skbwalk's run of the same scenario, say) file by file, as
// ../shared/tools/compare-trace does: exit status 0 when they agree exactly,
// 1 when they differ, 2 when they cannot be read.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareRecords, formatComparison, type RecordFiles } from '../engine/output/compare.ts';

export const COMPARE_USAGE = `usage: skbwalk compare EXPECTED_DIR ACTUAL_DIR [--quiet]

Compares two record folders (trace.txt, terminal.txt, ping.txt,
tcpdump-N-DEV.txt/.pcap): each file exact or a similarity from 0 to 1, the
first lines where they part, then one line of scores:
  score path=P full=F terminal=T ping=X tcpdump=Y pcap=Z exact=yes|no
Exit status 0 when every file agrees exactly, 1 when not, 2 on an error.`;

export class CompareError extends Error {}

/** The record files of a folder: text as strings, pcaps as bytes. */
export function readRecord(dir: string): RecordFiles {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CompareError(`${dir} is not a directory`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof CompareError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CompareError(`cannot read ${dir}: ${code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
  }
  const files = new Map<string, string | Uint8Array>();
  for (const name of names.sort()) {
    if (name.endsWith('.txt')) files.set(name, readFileSync(join(dir, name), 'utf8'));
    else if (name.endsWith('.pcap')) files.set(name, new Uint8Array(readFileSync(join(dir, name))));
  }
  if (!files.has('trace.txt') && !files.has('terminal.txt'))
    throw new CompareError(`${dir} holds no record (no trace.txt or terminal.txt)`);
  return files;
}

export function compareMain(argv: string[], out: (s: string) => void): number {
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const rest = argv.filter((a) => a !== '--quiet' && a !== '-q');
  if (rest.includes('-h') || rest.includes('--help')) {
    out(COMPARE_USAGE + '\n');
    return 0;
  }
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new CompareError(`unknown option "${unknown}"\n${COMPARE_USAGE}`);
  if (rest.length !== 2) throw new CompareError(`compare needs two folders, got ${rest.length}\n${COMPARE_USAGE}`);
  const comparison = compareRecords(readRecord(rest[0]), readRecord(rest[1]));
  out(formatComparison(comparison, quiet));
  return comparison.exact ? 0 : 1;
}
