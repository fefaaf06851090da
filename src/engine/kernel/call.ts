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
