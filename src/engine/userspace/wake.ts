// A socket got data: wake the process that owns it.
import type { World } from '../kernel/world.ts';
import type { RawSock } from '../include/sock.ts';
import { schedulePing } from './ping.ts';

/** Scheduler latency between the softirq queueing data and the reader running. */
export const WAKEUP_NS = 2_000;

export function wakeSocketOwner(w: World, sk: RawSock): void {
  const proc = w.procs.find((p) => p.pid === sk.ownerPid);
  if (proc) schedulePing(w, proc, w.now + WAKEUP_NS);
}
