// The programs few scripts run (nc and ss, with what only they use) register
// here when their module is loaded, instead of being imported by the shell:
// the CLI and the tests load them all at startup (all_programs.ts); the app's
// worker loads the ones a script names before it runs it, so a first view
// that runs neither fetches neither. Loading never changes what a run does:
// a run that reaches a program that was not loaded stops with
// ProgramNotLoaded, and the worker loads it and runs the script again from
// the start (the engine is deterministic, so that is the same run).
import type { ToolContext, ToolMain } from './tool.ts';
import type { NcJob, NcProc } from './nc.ts';

export interface LoadablePrograms {
  nc: { ncStart(ctx: ToolContext, argv: string[], job: NcJob): NcProc; ncIsListener(argv: string[]): boolean };
  ss: { ss_main: ToolMain };
}

export type LoadableProgram = keyof LoadablePrograms;

const loaders: Record<LoadableProgram, () => Promise<unknown>> = {
  nc: () => import('./nc.ts'),
  ss: () => import('./ss.ts'),
};

export const LOADABLE_PROGRAMS = Object.keys(loaders) as LoadableProgram[];

const loaded: Partial<LoadablePrograms> = {};

/** A run reached a program whose module was not loaded (only the worker loads them on demand). */
export class ProgramNotLoaded extends Error {
  constructor(readonly program: LoadableProgram) {
    super(`skbwalk: the ${program} program was not loaded before the run`);
  }
}

/** Called by the program's module when it is loaded. */
export function provide_program<K extends LoadableProgram>(name: K, program: LoadablePrograms[K]): void {
  loaded[name] = program;
}

/** The program the shell is about to run; throws ProgramNotLoaded if its module is not loaded. */
export function loaded_program<K extends LoadableProgram>(name: K): LoadablePrograms[K] {
  const program = loaded[name];
  if (!program) throw new ProgramNotLoaded(name);
  return program as LoadablePrograms[K];
}

/** Characters that end a shell word (outside quotes). */
const WORD_END = `\\s'";&|()<>`;

/**
 * The loadable programs a script may run: those whose name is a word of it
 * anywhere (a command, or an argument of `ip netns exec`). A name the shell
 * builds another way (quotes inside the word) is caught by ProgramNotLoaded.
 */
export function programsNamed(script: string): LoadableProgram[] {
  return LOADABLE_PROGRAMS.filter((name) => new RegExp(`(^|[${WORD_END}])${name}($|[${WORD_END}])`).test(script));
}

/** Loads the modules of `names` (those not loaded yet). */
export async function loadPrograms(names: readonly LoadableProgram[]): Promise<void> {
  await Promise.all(names.filter((n) => !loaded[n]).map((n) => loaders[n]()));
}
