// The skbwalk command line: `skbwalk run` (src/cli/run.ts), `record` and `compare`.
import { COMPARE_USAGE, CompareError, compareMain } from './compare.ts';
import { RECORD_USAGE, RecordError, recordMain } from './record.ts';
import { CliError, EXIT_INTERRUPTED, EXIT_USAGE, parseRunArgs, RUN_USAGE, runCommand } from './run.ts';

const USAGE = [RUN_USAGE, RECORD_USAGE, COMPARE_USAGE].join('\n\n');

/** A subcommand of its own file: its errors are the user's (exit 2 with the message), anything else a bug. */
function subcommand(run: () => number, known: new (...args: never[]) => Error): number {
  try {
    return run();
  } catch (e) {
    if (e instanceof known) return fail(e.message);
    throw e;
  }
}

function fail(msg: string, status = EXIT_USAGE): number {
  process.stderr.write(`skbwalk: ${msg}\n`);
  return status;
}

async function run(argv: string[]): Promise<number> {
  let sigints = 0;
  const onSigint = () => {
    // The first Ctrl+C stops the simulation at the next slice and writes what
    // was simulated; a second one (while writing) ends skbwalk at once.
    if (++sigints > 1) process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  try {
    return await runCommand(parseRunArgs(argv), {
      err: process.stderr,
      interrupted: () => sigints > 0,
      yieldToLoop: () => new Promise((r) => setImmediate(r)),
      now: () => performance.now(),
    });
  } catch (e) {
    if (e instanceof CliError) return fail(e.message, e.status);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv[0] === 'compare') return subcommand(() => compareMain(argv.slice(1), (t) => process.stdout.write(t)), CompareError);
  if (argv[0] === 'record') return subcommand(() => recordMain(argv.slice(1), (t) => process.stdout.write(t)), RecordError);
  if (argv[0] !== 'run') return fail(argv.length ? `unknown command "${argv[0]}"\n${USAGE}` : USAGE);
  return run(argv.slice(1));
}

void main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
