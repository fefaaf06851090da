// "What changed" between two moments of a run, in words: queue contents,
// softirq and NAPI state, neighbour states, device state, routes.
import type { CpuView, NamespaceView, StepView } from './view.ts';

type WorldPart = Pick<StepView, 'namespaces' | 'cpus'>;

function nsLabel(ns: NamespaceView): string {
  return ns.name ? `netns ${ns.name}` : 'host';
}

/** What entered and left a queue; its items are skbs, or (a listener's accept queue) sockets. */
function queueDiff(label: string, before: number[], after: number[], out: string[], item = 'skb #'): void {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  for (const s of added) out.push(`${label}: ${item}${s} queued (${after.length} now)`);
  for (const s of removed) out.push(`${label}: ${item}${s} dequeued (${after.length} left)`);
}

function cpuDiff(a: CpuView, b: CpuView, out: string[]): void {
  const p = `cpu${b.cpu}`;
  queueDiff(`${p} input_pkt_queue`, a.inputPktQueue, b.inputPktQueue, out);
  queueDiff(`${p} process_queue`, a.processQueue, b.processQueue, out);
  if (a.netRxPending !== b.netRxPending)
    out.push(`${p}: NET_RX softirq ${b.netRxPending ? 'raised (pending)' : 'no longer pending'}`);
  if (a.backlogScheduled !== b.backlogScheduled)
    out.push(`${p}: backlog NAPI ${b.backlogScheduled ? 'scheduled (on poll_list)' : 'completed'}`);
  if (a.inNetRxAction !== b.inNetRxAction) out.push(`${p}: ${b.inNetRxAction ? 'net_rx_action running' : 'net_rx_action done'}`);
}

export function changesBetween(a: WorldPart, b: WorldPart): string[] {
  const out: string[] = [];
  b.cpus.forEach((cpu, i) => a.cpus[i] && cpuDiff(a.cpus[i], cpu, out));
  for (const ns of b.namespaces) {
    const old = a.namespaces.find((x) => x.uid === ns.uid);
    if (!old) {
      out.push(`${nsLabel(ns)} created`);
      continue;
    }
    for (const n of ns.neighbours) {
      const o = old.neighbours.find((x) => x.key === n.key && x.dev === n.dev);
      if (!o) out.push(`${nsLabel(ns)}: neighbour ${n.key} on ${n.dev} created (${n.state})`);
      else if (o.state !== n.state || o.mac !== n.mac)
        out.push(
          `${nsLabel(ns)}: neighbour ${n.key} on ${n.dev}: ${o.state} → ${n.state}${n.mac && n.mac !== o.mac ? ` (${n.mac})` : ''}`,
        );
    }
    for (const d of ns.devices) {
      const o = old.devices.find((x) => x.uid === d.uid);
      if (!o) out.push(`${nsLabel(ns)}: ${d.name} appeared`);
      else if (o.state !== d.state) out.push(`${nsLabel(ns)}: ${d.name} ${o.state} → ${d.state}`);
    }
    for (const s of ns.sockets) {
      const o = old.sockets.find((x) => x.id === s.id);
      if (o && o.state !== s.state) out.push(`${nsLabel(ns)}: socket ${s.id} ${o.state} → ${s.state}`);
      queueDiff(`${nsLabel(ns)}: socket ${s.id} receive queue`, o ? o.queued : [], s.queued, out);
      queueDiff(`${nsLabel(ns)}: socket ${s.id} write queue`, o ? o.writeQueue : [], s.writeQueue, out);
      queueDiff(`${nsLabel(ns)}: socket ${s.id} retransmit queue`, o ? o.rtxQueue : [], s.rtxQueue, out);
      queueDiff(`${nsLabel(ns)}: socket ${s.id} accept queue`, o ? o.acceptQueue : [], s.acceptQueue, out, 'socket ');
    }
    const added = ns.routes.filter((r) => !old.routes.includes(r));
    const removed = old.routes.filter((r) => !ns.routes.includes(r));
    for (const r of added) out.push(`${nsLabel(ns)}: route ${r} added`);
    for (const r of removed) out.push(`${nsLabel(ns)}: route ${r} removed`);
  }
  for (const ns of a.namespaces) if (!b.namespaces.some((x) => x.uid === ns.uid)) out.push(`${nsLabel(ns)} deleted`);
  return out;
}
