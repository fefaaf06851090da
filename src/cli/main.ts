// `skbwalk run SCENARIO.sh --out DIR`: runs a scenario and writes what the
// kernel-trace recorder writes for the real kernel, in the same normalized form.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../engine/run/run.ts';
import { writeRunFiles } from '../engine/run/files.ts';
import { COMPARE_USAGE, CompareError, compareMain } from './compare.ts';
import { RECORD_USAGE, RecordError, recordMain } from './record.ts';

const RUN_USAGE = `usage: skbwalk run SCENARIO.sh --out DIR [--seed N]

Runs SCENARIO.sh (ip, ifconfig, sysctl, echo > /proc/sys, tcpdump, ping, sleep)
on skbwalk's model of Linux 6.18 and writes, into DIR, the files of a kernel
reference record: terminal.txt, trace.txt, ping.txt, tcpdump-N-DEV.txt/.pcap.`;

const USAGE = [RUN_USAGE, RECORD_USAGE, COMPARE_USAGE].join('\n\n');

/** A subcommand of its own file: its errors are the user's (exit 2 with the message), anything else a bug. */
function subcommand(run: () => number, known: new (...args: never[]) => Error): number {
  try {
    return run();
  } catch (e) {
    if (e instanceof known) fail(e.message);
    throw e;
  }
}

function fail(msg: string): never {
  process.stderr.write(`skbwalk: ${msg}\n`);
  process.exit(2);
}

export function main(argv: string[]): number {
  if (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv[0] === 'compare') return subcommand(() => compareMain(argv.slice(1), (t) => process.stdout.write(t)), CompareError);
  if (argv[0] === 'record') return subcommand(() => recordMain(argv.slice(1), (t) => process.stdout.write(t)), RecordError);
  if (argv[0] !== 'run') fail(argv.length ? `unknown command "${argv[0]}"\n${USAGE}` : USAGE);
  let scenario: string | null = null;
  let outDir: string | null = null;
  let seed: number | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '-o') outDir = argv[++i] ?? fail('--out needs a directory');
    else if (a.startsWith('--out=')) outDir = a.slice(6);
    else if (a === '--seed') {
      const v = argv[++i];
      if (!v || !/^\d+$/.test(v)) fail('--seed needs a whole number');
      seed = Number(v);
    } else if (a.startsWith('-')) fail(`unknown option "${a}"\n${USAGE}`);
    else if (scenario === null) scenario = a;
    else fail(`more than one scenario given ("${scenario}", "${a}")`);
  }
  if (!scenario) fail(`no scenario given\n${USAGE}`);
  if (!outDir) fail('no output directory given (--out DIR)');
  let text: string;
  try {
    text = readFileSync(scenario, 'utf8');
  } catch (e) {
    fail(
      `cannot read ${scenario}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
    );
  }
  if (text.includes('\0')) fail(`${scenario} is not a text file`);
  if (Buffer.byteLength(text) > 256 * 1024) fail(`${scenario} is larger than the 256 KiB a scenario may be`);
  // The CLI shows no step: no step columns and no checkpoints of the world to step back to.
  const run = runScenario(text, { seed, outputsOnly: true });
  try {
    mkdirSync(outDir, { recursive: true });
    for (const [name, data] of writeRunFiles(run)) writeFileSync(join(outDir, name), data);
  } catch (e) {
    fail(`cannot write to ${outDir}: ${(e as Error).message}`);
  }
  if (run.stoppedBy) process.stderr.write(run.stoppedBy + '\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
