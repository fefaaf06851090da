// Entering and leaving a modelled kernel function: the entry is one step and
// the return another, at which the call's effects are done and it is still on
// the stack. A return takes no virtual time (outputs keep their timestamps).
import type { World } from './world.ts';
import type { SkBuff } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';

/** Virtual time one kernel call takes. Keeps timestamps realistic and ordered. */
export const STEP_NS = 100;

export function enter(w: World, fn: number, skb: SkBuff | null = null, dev: NetDevice | null = null): void {
  w.rec.enter(fn, w.ctx, w.cpu, w.now, skb, dev);
  w.now += STEP_NS;
}

export function leave(w: World): void {
  w.rec.exit(w.ctx, w.cpu, w.now);
}

/**
 * Marks `value` as what the current call returns, for its return step
 * (`return ret(w, NET_RX_SUCCESS)`). Call it in the return expression itself,
 * after any callee has returned.
 */
export function ret<T>(w: World, value: T): T {
  w.rec.retval = value;
  return value;
}

/**
 * Runs `body` with the steps it makes counted by share links only since link
 * format `format` (src/ui/share/stepNumbering.ts): the calls a newer engine
 * makes on a path that older links counted otherwise. `keep` names the
 * functions whose calls older links did count on that path: those calls and
 * everything under them are counted as the steps around the scope are, so an
 * older link's step still opens at the same call. A scope inside a kept call
 * marks again.
 */
export function countedSince<T>(w: World, format: number, keep: readonly number[], body: () => T): T {
  // Only stored steps carry the mark (a CLI run or a replay stores none).
  if (!w.rec.storing || !w.rec.storingSteps) return body();
  const saved = w.rec.beginMark(format, keep);
  try {
    return body();
  } finally {
    w.rec.endMark(saved);
  }
}
