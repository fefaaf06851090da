// Running a scenario: the whole script is simulated up front on the virtual
// clock, recording every kernel call. Checkpoints of the world are taken at
// quiet moments so any step can later be revisited by replaying from one.
import type { World } from '../kernel/world.ts';
import { baseWorld, cloneWorld, DEFAULT_LIMITS, type Limits } from '../kernel/world.ts';
import { Recorder } from '../trace/recorder.ts';
import { RunLimitReached } from '../trace/limit.ts';
import { createOutput, type Output } from './output.ts';
import { lexScript, type ScriptLine } from '../scenario/lexer.ts';
import { copyNetNs } from '../net/core/net_namespace.ts';
import { dev_open } from '../net/core/rtnetlink.ts';
import { popTimer } from '../kernel/timer.ts';
import { run_timer_softirq } from '../kernel/softirq.ts';
import { continue_turn, run_timer } from '../kernel/sched.ts';
import '../net/init.ts';
// The programs register themselves (and their timers) when loaded.
import '../userspace/ping.ts';
import { shellStep } from '../userspace/shell.ts';
import { closeTraceWindow } from './windows.ts';
import { writeNotice } from './terminal.ts';

export const DEFAULT_SEED = 0x5eed;

/** A long setup (no kernel calls) gets a checkpoint every this many lines, so views need not replay it. */
const SETUP_LINES_PER_CHECKPOINT = 32;

export interface Checkpoint {
  step: number;
  /** Script lines run when it was taken. */
  pc: number;
  world: World;
  /** Its estimated size (deepClone's count), against Limits.maxCheckpointBytes. */
  bytes: number;
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
  // A program's cut turn goes on before the shell or any timer: nothing came between its moves.
  if (continue_turn(w)) return true;
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
  if (w.now > w.limits.maxVirtualSeconds * 1e9) {
    throw new RunLimitReached(`skbwalk: the scenario ran past ${w.limits.maxVirtualSeconds} s of simulated time; stopped there`);
  }
  if (t.lvl >= 0) run_timer_softirq(w, t);
  else run_timer(w, t);
  return true;
}

/**
 * A run being simulated, a slice at a time: advance() runs the event loop
 * for about `steps` kernel calls and returns, always at a quiet moment (no
 * call on the stack), so whoever drives it can answer messages, show
 * progress, or stop it between slices. stop() ends it there as a limit
 * would: what was recorded so far is a whole, valid run.
 */
export class RunBuilder {
  readonly limits: Limits;
  private readonly seed: number;
  private readonly every: number;
  private readonly keepCheckpoints: boolean;
  private readonly rec: Recorder;
  private readonly out: Output;
  private readonly script: ScriptLine[];
  private readonly w: World;
  private readonly checkpoints: Checkpoint[];
  private checkpointBytes = 0;
  private stoppedBy: string | null = null;
  private finished = false;

  constructor(text: string, opts: RunOptions = {}) {
    this.seed = opts.seed ?? DEFAULT_SEED;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.every = opts.checkpointEvery ?? 2000;
    this.keepCheckpoints = !opts.outputsOnly;
    this.rec = new Recorder();
    this.rec.limit = this.limits.maxSteps;
    this.rec.events.budgetBytes = this.limits.maxEventLogBytes;
    if (opts.trackSkbs) this.rec.liveSkbs = new Map();
    if (opts.outputsOnly) this.rec.storingSteps = false;
    this.out = createOutput();
    this.script = lexScript(text);
    this.w = bootWorld(this.seed, this.rec, this.out, this.limits);
    const size = { bytes: 0 };
    this.checkpoints = [{ step: this.rec.count, pc: 0, world: cloneWorld(this.w, size), bytes: size.bytes }];
    this.checkpointBytes = size.bytes;
  }

  /** Kernel calls simulated so far (what the step limit, Limits.maxSteps, counts). */
  get calls(): number {
    return this.rec.calls;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Runs about `steps` more kernel calls (a turn of the event loop is never split); true when the run is over. */
  advance(steps = Infinity): boolean {
    if (this.finished) return true;
    const { w, rec, script } = this;
    const until = rec.count + steps;
    try {
      while (rec.count < until) {
        if (!tick(w, script)) {
          this.finished = true;
          break;
        }
        if (this.keepCheckpoints) this.maybeCheckpoint();
      }
    } catch (e) {
      if (!(e instanceof RunLimitReached)) throw e;
      this.end(e.message);
    }
    return this.finished;
  }

  /** Ends the run here, between two turns of the event loop, with a message saying why. */
  stop(message: string): void {
    if (!this.finished) this.end(message);
  }

  private end(message: string): void {
    this.rec.unwindTo(0);
    this.stoppedBy = message;
    closeTraceWindow(this.w);
    writeNotice(this.w, message);
    this.finished = true;
  }

  private maybeCheckpoint(): void {
    const { w, rec, checkpoints } = this;
    // At least `every` steps apart, and spaced by 1/128 of the run so far:
    // a long run keeps a few hundred checkpoints and a view replays at most
    // 1/128 of it.
    const last = checkpoints[checkpoints.length - 1];
    const longSetup = rec.count === last.step && w.shell.pc - last.pc >= SETUP_LINES_PER_CHECKPOINT;
    if ((rec.count - last.step >= Math.max(this.every, rec.count >>> 7) || longSetup) && rec.depth_ === 0) {
      const size = { bytes: 0 };
      checkpoints.push({ step: rec.count, pc: w.shell.pc, world: cloneWorld(w, size), bytes: size.bytes });
      this.checkpointBytes += size.bytes;
      if (this.checkpointBytes > this.limits.maxCheckpointBytes) this.thinCheckpoints();
    }
  }

  /**
   * Past the checkpoint budget, every other checkpoint goes (the first, the
   * boot state, stays): views replay twice as far, and nothing else changes.
   */
  private thinCheckpoints(): void {
    const kept = this.checkpoints.filter((_, i) => i % 2 === 0);
    this.checkpoints.length = 0;
    this.checkpoints.push(...kept);
    this.checkpointBytes = kept.reduce((sum, c) => sum + c.bytes, 0);
  }

  /** The run as recorded so far (the whole run once advance() returned true). */
  result(): Run {
    return {
      script: this.script,
      rec: this.rec,
      out: this.out,
      final: this.w,
      checkpoints: this.checkpoints,
      stoppedBy: this.stoppedBy,
      seed: this.seed,
    };
  }
}

export function runScenario(text: string, opts: RunOptions = {}): Run {
  const builder = new RunBuilder(text, opts);
  builder.advance();
  return builder.result();
}
