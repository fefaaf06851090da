// Entering and leaving a modelled kernel function: each entry is one step.
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
  w.rec.exit();
}
