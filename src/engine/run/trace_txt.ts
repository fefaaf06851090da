// trace.txt: the run's tracepoint events in the kernel-trace recorder's
// normalized form. Only events inside trace windows (while a ping ran) count;
// skb=N numbers buffers by first appearance, and frees of buffers the traffic
// never showed are left out, exactly as the recorder does.
import type { Run } from './run.ts';
import {
  EV_ARGS,
  EV_CONSUME_SKB,
  EV_KFREE_SKB,
  EV_NAPI_POLL,
  EV_NET_DEV_QUEUE,
  EV_NET_DEV_START_XMIT,
  EV_NET_DEV_XMIT,
  EV_NETIF_RECEIVE_SKB,
  EV_NETIF_RX,
} from '../trace/eventlog.ts';
import { PATH_DROPS } from '../output/normalize_trace.ts';

/** The last event seen of a buffer still numbered: kind, CPU, NAPI session, device. */
interface LastSeen {
  kind: number;
  cpu: number;
  session: number;
  dev: number;
}

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
  const last = new Map<number, LastSeen>();
  const session = [0, 0];
  for (const win of run.out.traceWindows) {
    const end = win.endEvent < 0 ? events.length : win.endEvent;
    for (let i = win.startEvent; i < end; i++) {
      const kind = events.kind[i];
      const skb = events.skb[i];
      const cpu = events.ctxCpu[i] >> 1;
      const softirq = (events.ctxCpu[i] & 1) === 1;
      const dev = events.args[i * EV_ARGS];
      if (kind === EV_NAPI_POLL) session[cpu]++;
      if (kind === EV_CONSUME_SKB || kind === EV_KFREE_SKB) {
        if (!ids.has(skb) && !(kind === EV_KFREE_SKB && PATH_DROPS.has(events.reason(i)))) continue;
        const n = number(skb);
        ids.delete(skb);
        last.delete(skb);
        lines.push(events.text(i, n));
        continue;
      }
      if (!skb) {
        lines.push(events.text(i, 0));
        continue;
      }
      if (ids.has(skb) && (kind === EV_NET_DEV_QUEUE || kind === EV_NETIF_RECEIVE_SKB)) {
        // A struct freed without a trace event and reused for a new packet
        // keeps its address: as the recorder does, it keeps its number only
        // when the event continues the packet's own path.
        const was = last.get(skb);
        if (was && !continuesPath(was, kind, cpu, softirq, session[cpu], dev)) ids.delete(skb);
      }
      const n = number(skb);
      last.set(skb, { kind, cpu, session: session[cpu], dev });
      lines.push(events.text(i, n));
    }
  }
  return lines;
}

/** kernel-trace's rule for a numbered buffer's next queue/receive event. */
function continuesPath(was: LastSeen, kind: number, cpu: number, softirq: boolean, session: number, dev: number): boolean {
  if (was.kind === EV_NETIF_RECEIVE_SKB) {
    // Received, then forwarded, bridged or passed up from a port, in the same poll.
    return softirq && cpu === was.cpu && session === was.session && (kind === EV_NETIF_RECEIVE_SKB || dev !== was.dev);
  }
  if (kind === EV_NET_DEV_QUEUE) return was.kind === EV_NET_DEV_START_XMIT && cpu === was.cpu && dev !== was.dev;
  return was.kind === EV_NET_DEV_START_XMIT || was.kind === EV_NETIF_RX || was.kind === EV_NET_DEV_XMIT;
}
