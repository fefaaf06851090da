// Checked invariants of a finished run.
import type { Run } from './run.ts';
import { proto_list } from '../net/core/sock.ts';

/**
 * Every skb ends: consumed, freed with a reason, or still queued somewhere
 * when the scenario ends. Returns the ids of skbs that vanished instead (a
 * bug in the engine). Needs a run made with { trackSkbs: true }.
 */
export function skbsNotEnded(run: Run): number[] {
  const live = run.rec.liveSkbs;
  if (!live) throw new Error('run was not made with trackSkbs');
  const queued = new Set<number>();
  const w = run.final;
  for (const sd of w.cpus) for (const s of [...sd.inputPktQueue, ...sd.processQueue]) queued.add(s.id);
  for (const net of w.nets) {
    for (const n of net.neighbours) for (const s of n.arpQueue) queued.add(s.id);
    for (const sk of net.rawSockets) for (const s of [...sk.receiveQueue, ...sk.errorQueue]) queued.add(s.id);
    for (const p of proto_list())
      for (const sk of p.sockets(net)) for (const s of [...sk.receiveQueue, ...sk.errorQueue]) queued.add(s.id);
    for (const q of net.ipFrags) for (const s of q.frags) queued.add(s.id);
    // TCP holds segments in its sockets: unsent and unacknowledged, received, and in the backlog.
    const tcpSocks = [...net.tcp.listening.flatMap((l) => [l, ...l.acceptQueue]), ...net.tcp.orphans];
    for (const sk of net.tcp.established) if ('wq' in sk) tcpSocks.push(sk);
    for (const sk of tcpSocks)
      for (const s of [...sk.writeQueue, ...sk.rtxQueue, ...sk.receiveQueue, ...sk.errorQueue, ...sk.backlog]) queued.add(s.id);
  }
  // A reassembled datagram holds its other fragments on its frag_list.
  for (const skb of live.values()) for (const f of skb.shinfo?.fragList ?? []) queued.add(f.id);
  return [...live.keys()].filter((id) => !queued.has(id));
}
