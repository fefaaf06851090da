// Running a scenario: the whole script is simulated up front on the virtual
// clock, recording every kernel call. Checkpoints of the world are taken at
// quiet moments so any step can later be revisited by replaying from one.
import type { World } from '../kernel/world.ts';
import { baseWorld, cloneWorld, DEFAULT_LIMITS, type Limits } from '../kernel/world.ts';
import { Recorder, StepLimitReached } from '../trace/recorder.ts';
import { createOutput, type Output } from './output.ts';
import { lexScript, type ScriptLine } from '../scenario/lexer.ts';
import { copyNetNs } from '../net/core/net_namespace.ts';
import { dev_open } from '../net/core/rtnetlink.ts';
import { popTimer } from '../kernel/timer.ts';
import { run_timer } from '../kernel/sched.ts';
import '../net/init.ts';
// The programs register themselves (and their timers) when loaded.
import '../userspace/ping.ts';
import { shellStep } from '../userspace/shell.ts';
import { closeTraceWindow } from './windows.ts';
import { writeOut } from './terminal.ts';

export const DEFAULT_SEED = 0x5eed;

/** A long setup (no kernel calls) gets a checkpoint every this many lines, so views need not replay it. */
const SETUP_LINES_PER_CHECKPOINT = 32;

export interface Checkpoint {
  step: number;
  /** Script lines run when it was taken. */
  pc: number;
  world: World;
}

export interface Run {
  script: ScriptLine[];
  rec: Recorder;
  out: Output;
  final: World;
  checkpoints: Checkpoint[];
  /** Set when a limit stopped the run early. */
  stoppedBy: string | null;
  seed: number;
}

export interface RunOptions {
  seed?: number;
  limits?: Partial<Limits>;
  /** Steps between checkpoints (at the next quiet moment after). */
  checkpointEvery?: number;
  /** Track every skb so skbsNotEnded() can check that each one ended. */
  trackSkbs?: boolean;
  /**
   * Only the outputs will be read (the CLI): the step columns and the
   * checkpoints, which only views use, are not kept. Outputs are identical;
   * viewAt() and the step searches must not be used on such a run.
   */
  outputsOnly?: boolean;
}

/** The world a scenario starts from: the host namespace with lo up, IPv6 off. */
export function bootWorld(seed: number, rec: Recorder, out: Output, limits: Limits): World {
  const w = baseWorld(seed, rec, out, limits);
  const host = copyNetNs(w, '');
  dev_open(w, host.loopback);
  return w;
}

/**
 * After the script's last command the kernel recorder waits about a second
 * (two half-second sleeps) before it stops its captures: timers that fire in
 * that second (ARP retransmits, neighbour probes) still reach the captures.
 */
export const CAPTURE_TAIL_NS = 1_000_000_000;

/** One turn of the event loop. Returns false when the scenario is over. */
export function tick(w: World, script: ScriptLine[]): boolean {
  if (shellStep(w, script)) return true;
  if (w.shell.done) {
    if (w.shell.tailUntil < 0) w.shell.tailUntil = w.now + CAPTURE_TAIL_NS;
    const next = w.timers[0];
    if (!next || next.at > w.shell.tailUntil) return false;
  }
  const t = popTimer(w);
  if (!t) {
    // Nothing can wake the shell: a ping waiting forever, say.
    w.shell.done = true;
    return false;
  }
  if (t.at > w.now) w.now = t.at;
  if (w.now > w.limits.maxVirtualSeconds * 1e9) throw new StepLimitReached(-1);
  run_timer(w, t);
  return true;
}

export function runScenario(text: string, opts: RunOptions = {}): Run {
  const seed = opts.seed ?? DEFAULT_SEED;
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const every = opts.checkpointEvery ?? 2000;
  const rec = new Recorder();
  rec.limit = limits.maxSteps;
  if (opts.trackSkbs) rec.liveSkbs = new Map();
  if (opts.outputsOnly) rec.storingSteps = false;
  const out = createOutput();
  const script = lexScript(text);
  const w = bootWorld(seed, rec, out, limits);
  const checkpoints: Checkpoint[] = [{ step: rec.count, pc: 0, world: cloneWorld(w) }];
  let stoppedBy: string | null = null;
  try {
    while (tick(w, script)) {
      // At least `every` steps apart, and spaced by 1/128 of the run so far:
      // a long run keeps a few hundred checkpoints and a view replays at most
      // 1/128 of it.
      const last = checkpoints[checkpoints.length - 1];
      const longSetup = rec.count === last.step && w.shell.pc - last.pc >= SETUP_LINES_PER_CHECKPOINT;
      if (opts.outputsOnly) continue;
      if ((rec.count - last.step >= Math.max(every, rec.count >>> 7) || longSetup) && rec.depth_ === 0) {
        checkpoints.push({ step: rec.count, pc: w.shell.pc, world: cloneWorld(w) });
      }
    }
  } catch (e) {
    if (!(e instanceof StepLimitReached)) throw e;
    rec.unwindTo(0);
    stoppedBy =
      e.limit < 0
        ? `skbwalk: the scenario ran past ${limits.maxVirtualSeconds} s of simulated time; stopped there`
        : `skbwalk: the scenario reached the limit of ${limits.maxSteps} kernel calls; stopped there`;
    closeTraceWindow(w);
    writeOut(w, stoppedBy + '\n');
  }
  return { script, rec, out, final: w, checkpoints, stoppedBy, seed };
}
