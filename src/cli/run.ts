// `skbwalk run SCENARIO.sh --out DIR [--seed N]`: checks everything it can
// before it simulates (the script is read with a byte limit, the output
// folder must be a folder it can write), simulates in slices so it can show
// progress on a terminal and stop cleanly on Ctrl+C, then writes the files of
// a kernel reference record, removing those an earlier run left behind.
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Run, RunBuilder } from '../engine/run/run.ts';
// The CLI runs any script at once: every program is loaded up front.
import '../engine/userspace/all_programs.ts';
import { runWords, writeRunFiles } from '../engine/run/files.ts';
import { TraceText } from '../engine/run/trace_txt.ts';
import { CLI_LIMITS } from '../engine/kernel/world.ts';
import { MAX_SCENARIO_BYTES } from '../engine/session.ts';
import { strerror } from './errno.ts';

export const RUN_USAGE = `usage: skbwalk run SCENARIO.sh --out DIR [--seed N]

Runs SCENARIO.sh (ip, ifconfig, sysctl, echo > /proc/sys, tcpdump, ping, nc,
ss, sleep, CMD &, wait, echo|printf TEXT | nc) on skbwalk's model of Linux
6.18 and writes, into DIR, the files of a kernel reference record:
terminal.txt, trace.txt, ping.txt, tcpdump-N-DEV.txt/.pcap.`;

/** Exit status when the scenario could not be run at all (bad arguments, unreadable files). */
export const EXIT_USAGE = 2;
/** Exit status after Ctrl+C, as a shell reports a command SIGINT ended (128 + 2). */
export const EXIT_INTERRUPTED = 130;

export const MAX_SEED = 2 ** 32 - 1;

/** Files a run writes; anything else in the output folder is left alone. */
const RUN_FILE = /^(terminal|trace|ping)\.txt$|^tcpdump-\d+-.+\.(txt|pcap)$/;

/** Kernel calls simulated between two looks at the clock, Ctrl+C and the progress line. */
const SLICE_STEPS = 20_000;
const PROGRESS_EVERY_MS = 250;

export class CliError extends Error {
  constructor(
    message: string,
    /** The exit status: EXIT_USAGE when nothing could be run, 1 when writing the results failed. */
    readonly status: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

export interface RunArgs {
  scenario: string;
  outDir: string;
  seed: number | undefined;
}

export function parseRunArgs(argv: string[]): RunArgs {
  let scenario: string | null = null;
  let outDir: string | null = null;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '-o') {
      outDir = argv[++i] ?? null;
      if (outDir === null) throw new CliError('--out needs a directory');
    } else if (a.startsWith('--out=')) outDir = a.slice(6);
    else if (a === '--seed' || a.startsWith('--seed=')) {
      const v = a === '--seed' ? argv[++i] : a.slice(7);
      seed = parseSeed(v);
    } else if (a.startsWith('-') && a !== '-') throw new CliError(`unknown option "${a}"\n${RUN_USAGE}`);
    else if (scenario === null) scenario = a;
    else throw new CliError(`more than one scenario given ("${scenario}", "${a}")`);
  }
  if (!scenario) throw new CliError(`no scenario given\n${RUN_USAGE}`);
  if (!outDir) throw new CliError('no output directory given (--out DIR)');
  return { scenario, outDir, seed };
}

function parseSeed(v: string | undefined): number {
  if (v === undefined || v === '') throw new CliError('--seed needs a whole number');
  const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!(n <= MAX_SEED)) throw new CliError(`--seed ${v}: not a whole number from 0 to ${MAX_SEED}`);
  return n;
}

/**
 * Reads the scenario, at most MAX_SCENARIO_BYTES + 1 bytes: one byte more
 * than allowed says it is too large, so `/dev/zero` or a huge file costs
 * no more than that.
 */
export function readScenario(path: string): string {
  const limit = MAX_SCENARIO_BYTES + 1;
  let fd: number;
  try {
    fd = openSync(path === '-' ? '/dev/stdin' : path, 'r');
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${strerror(e)}`);
  }
  const buf = Buffer.alloc(limit);
  let have = 0;
  try {
    while (have < limit) {
      const n = readSync(fd, buf, have, limit - have, null);
      if (n === 0) break;
      have += n;
    }
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${strerror(e)}`);
  } finally {
    closeSync(fd);
  }
  if (have > MAX_SCENARIO_BYTES) {
    throw new CliError(`${path} is larger than the ${MAX_SCENARIO_BYTES / 1024} KiB a scenario may be`);
  }
  const bytes = buf.subarray(0, have);
  if (bytes.includes(0)) throw new CliError(`${path} is not a text file`);
  return bytes.toString('utf8');
}

/** Pseudo-file systems: writing "files" there changes the machine, not a folder. */
const PSEUDO_ROOTS = ['/proc', '/sys'];

function underPseudo(path: string): string | null {
  for (const root of PSEUDO_ROOTS) if (path === root || path.startsWith(root + '/')) return root;
  return null;
}

/** The path with its longest existing ancestor resolved through symbolic links. */
function realish(path: string): string {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(p), ...rest.reverse());
    } catch {
      const parent = dirname(p);
      if (parent === p) return resolve(path);
      rest.push(p.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
      p = parent;
    }
  }
}

/**
 * Makes sure `dir` is a folder skbwalk can write to, creating it if needed,
 * before anything is simulated. Messages as mkdir's and cp's.
 */
export function prepareOutDir(dir: string): void {
  let st: ReturnType<typeof statSync> | null = null;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot write to ${dir}: ${strerror(e)}`);
  }
  if (st && !st.isDirectory()) throw new CliError(`cannot write to ${dir}: Not a directory`);
  // Checked before mkdir: a recursive mkdir under /proc never returns.
  const pseudo = underPseudo(realish(dir));
  if (pseudo) throw new CliError(`cannot write to ${dir}: it is under ${pseudo}, which holds no files`);
  if (!st) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new CliError(`cannot create directory ${dir}: ${strerror(e)}`);
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new CliError(`cannot write to ${dir}: ${strerror(e)}`);
  }
}

/** Files an earlier run left in `dir` that this run does not write (its stale captures). */
export function staleRunFiles(dir: string, written: Iterable<string>): string[] {
  const keep = new Set(written);
  return readdirSync(dir)
    .filter((f) => RUN_FILE.test(f) && !keep.has(f))
    .sort();
}

export interface RunIo {
  /** stderr */
  err: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean };
  /** Resolves to true once Ctrl+C was pressed (checked between slices). */
  interrupted(): boolean;
  /** Lets the event loop run (signals arrive) between slices. */
  yieldToLoop(): Promise<void>;
  now(): number;
}

/** A file opened for writing, written a buffer at a time (trace.txt as it is made). */
class OutFile {
  private readonly fd: number;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new CliError(`cannot write ${path}: ${strerror(e)}`, 1);
    }
  }

  write(bytes: Uint8Array): void {
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off);
    } catch (e) {
      throw new CliError(`cannot write ${this.path}: ${strerror(e)}`, 1);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Simulates the run slice by slice, calling `afterSlice` after each one,
 * showing progress on a terminal and stopping at Ctrl+C. True when
 * interrupted.
 */
async function simulate(builder: RunBuilder, io: RunIo, afterSlice: () => void): Promise<boolean> {
  const tty = io.err.isTTY === true;
  let lastProgress = io.now();
  let progressShown = false;
  const limit = builder.limits.maxSteps;
  let interrupted = false;
  while (!builder.advance(SLICE_STEPS)) {
    afterSlice();
    if (tty && io.now() - lastProgress >= PROGRESS_EVERY_MS) {
      const pct = Math.floor((100 * builder.calls) / limit);
      io.err.write(`\rskbwalk: ${builder.calls} of at most ${limit} kernel calls simulated (${pct}%)\x1b[K`);
      lastProgress = io.now();
      progressShown = true;
    }
    await io.yieldToLoop();
    if (io.interrupted()) {
      interrupted = true;
      builder.stop(`skbwalk: interrupted after ${builder.calls} kernel calls; the files hold the run so far`);
      break;
    }
  }
  if (progressShown) io.err.write('\r\x1b[K');
  return interrupted;
}

export async function runCommand(args: RunArgs, io: RunIo): Promise<number> {
  const text = readScenario(args.scenario);
  prepareOutDir(args.outDir);
  const builder = new RunBuilder(text, { seed: args.seed, limits: CLI_LIMITS, outputsOnly: true });
  // trace.txt goes to its file slice by slice, and each slice's events are
  // then forgotten: a flood's hundreds of thousands of events and tens of
  // megabytes of text are never held in memory.
  const traceOut = new OutFile(join(args.outDir, 'trace.txt'));
  let interrupted: boolean;
  let run: Run;
  let files: Map<string, string | Uint8Array>;
  try {
    const trace = new TraceText(runWords(builder.result()), (bytes) => traceOut.write(bytes));
    const writeTrace = (): Run => {
      const sofar = builder.result();
      trace.feed(sofar);
      sofar.rec.events.discard();
      return sofar;
    };
    interrupted = await simulate(builder, io, writeTrace);
    run = writeTrace();
    trace.finish();
    files = writeRunFiles(run, trace);
  } finally {
    traceOut.close();
  }
  const written = ['trace.txt', ...files.keys()];
  for (const name of staleRunFiles(args.outDir, written)) {
    try {
      rmSync(join(args.outDir, name));
    } catch (e) {
      throw new CliError(`cannot remove ${join(args.outDir, name)} (from an earlier run): ${strerror(e)}`, 1);
    }
  }
  for (const [name, data] of files) {
    const path = join(args.outDir, name);
    try {
      writeFileSync(path, data);
    } catch (e) {
      throw new CliError(`cannot write ${path}: ${strerror(e)}`, 1);
    }
  }
  // What terminal.txt says of skbwalk's budgets and limits, on standard error too.
  for (const notice of [...run.out.notices, ...(run.stoppedBy ? [run.stoppedBy] : [])]) io.err.write(notice + '\n');
  return interrupted ? EXIT_INTERRUPTED : 0;
}
