// trace.txt: the run's tracepoint events in the kernel-trace recorder's
// normalized form. Only events inside trace windows (while a ping ran) count;
// skb=N numbers buffers by first appearance, and frees of buffers the traffic
// never showed are left out, exactly as the recorder does.
import type { Run } from './run.ts';
import { EV_CONSUME_SKB, EV_KFREE_SKB } from '../trace/eventlog.ts';

/** Drops of packets that may never have reached a device (the recorder's list). */
const PATH_DROPS = new Set([
  'NEIGH_FAILED',
  'NEIGH_QUEUEFULL',
  'NEIGH_DEAD',
  'NEIGH_CREATEFAIL',
  'IP_OUTNOROUTES',
  'IP_INNOROUTES',
  'IP_RPFILTER',
  'IP_LOCAL_SOURCE',
  'IP_INVALID_SOURCE',
  'CPU_BACKLOG',
  'QDISC_DROP',
  'IP_INADDRERRORS',
]);

export function traceLines(run: Run): string[] {
  const ids = new Map<number, number>();
  let next = 0;
  const number = (skb: number): number => {
    let n = ids.get(skb);
    if (n === undefined) {
      n = ++next;
      ids.set(skb, n);
    }
    return n;
  };
  const lines: string[] = [];
  const events = run.rec.events;
  for (const win of run.out.traceWindows) {
    const end = win.endEvent < 0 ? events.length : win.endEvent;
    for (let i = win.startEvent; i < end; i++) {
      const kind = events.kind[i];
      const skb = events.skb[i];
      if (kind === EV_CONSUME_SKB || kind === EV_KFREE_SKB) {
        if (!ids.has(skb) && !(kind === EV_KFREE_SKB && PATH_DROPS.has(events.reason(i)))) continue;
        const n = number(skb);
        ids.delete(skb);
        lines.push(events.text(i, n));
      } else {
        lines.push(events.text(i, skb ? number(skb) : 0));
      }
    }
  }
  return lines;
}
