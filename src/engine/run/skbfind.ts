// Finding one skb in the world at a moment of a run, by its id: in the call
// stack's frames (an skb being worked on), or wherever the kernel holds it
// (the CPU queues, a neighbour's queue, a socket, a reassembly queue...).
// The world is searched as plain data rather than queue by queue, so a new
// place that holds skbs needs no change here.
import type { World } from '../kernel/world.ts';
import type { SkBuff } from '../include/skbuff.ts';

export function isSkb(x: unknown): x is SkBuff {
  return typeof x === 'object' && x !== null && 'head' in x && 'cloneOf' in x && (x as SkBuff).head instanceof Uint8Array;
}

/** The skb `id` if a frame works on it (or a call just returned it) or the world holds it live; null otherwise. */
export function findSkb(w: World, frames: readonly (SkBuff | null)[], id: number): SkBuff | null {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]?.id === id) return frames[i];
  const seen = new Set<object>();
  const todo: unknown[] = [w.nets, w.cpus, w.procs, w.timers];
  while (todo.length) {
    const x = todo.pop();
    if (x === null || typeof x !== 'object' || seen.has(x) || ArrayBuffer.isView(x)) continue;
    seen.add(x);
    if (isSkb(x)) {
      if (x.id === id && x.state === 'live') return x;
      // An skb's own references (its device, its route) lead back into the world,
      // already walked; only a reassembled datagram holds other skbs (its fragments).
      if (x.shinfo) todo.push(x.shinfo.fragList);
      continue;
    }
    if (Array.isArray(x)) for (const v of x) todo.push(v);
    else for (const v of Object.values(x)) todo.push(v);
  }
  return null;
}
