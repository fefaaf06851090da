// Tokens travel what is drawn: on every bundled scenario (and the chain of five
// namespaces), whenever an skb is drawn somewhere else than at the previous
// step, a drawn way (a cable, a bridge port, a device's link to its stack, the
// stack's layers, the CPU's queues, a socket's queues) connects the two places; and an skb being
// dropped is at its namespace's drop spot with the kernel's reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/run/run.ts';
import { viewAt } from '../../engine/run/view.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { graphKey, layoutTopology, type Layout } from './layout.ts';
import { anchorGraph, placeTokens, routeBetween } from './places.ts';

const CHAIN = readFileSync(new URL('../../../test/fixtures/diagram/chain-five-ns.sh', import.meta.url), 'utf8');
const CASES: [string, string][] = [...SCENARIOS.map((s): [string, string] => [s.id, s.text]), ['chain-five-ns', CHAIN]];

interface Travel {
  /** Moves no drawn way connects: "step 12 skb #3 dev:4 -> layer:2:ip". */
  offPath: string[];
  /** How many moves each kind of hop made ("dev->queue", "dev->dev", …): the scenario's journeys. */
  kinds: Set<string>;
  /** Drops: "step 80 skb #5 at layer:1:drop (NO_SOCKET)". */
  drops: string[];
}

/** The anchors strictly between `from` and `to` on the route routeBetween takes (the fewest hops), or null. */
function hops(graph: ReturnType<typeof anchorGraph>, from: string, to: string): string[] | null {
  const prev = new Map<string, string>();
  const queue = [from];
  const seen = new Set(queue);
  while (queue.length) {
    const k = queue.shift()!;
    if (k === to) break;
    for (const h of graph.get(k) ?? []) {
      if (seen.has(h.to)) continue;
      seen.add(h.to);
      prev.set(h.to, k);
      queue.push(h.to);
    }
  }
  if (!prev.has(to)) return null;
  const out: string[] = [];
  for (let k = prev.get(to)!; k !== from; k = prev.get(k)!) out.unshift(k);
  return out;
}

/** An anchor's kind ("dev", "layer", "sock"), a TCP socket's write and retransmit queues told apart ("sock:write", "sock:rtx"). */
function kindOf(anchor: string): string {
  const [kind, , , queue] = anchor.split(':');
  return queue ? `${kind}:${queue}` : kind;
}

function travel(text: string): Travel {
  const run = runScenario(text);
  let layout: Layout | null = null;
  let key = '';
  let before = new Map<number, string>();
  const out: Travel = { offPath: [], kinds: new Set(), drops: [] };
  for (let s = 0; s <= run.rec.count; s++) {
    const view = viewAt(run, s);
    const k = graphKey(view);
    if (k !== key || !layout) {
      // The app lays out again when the shape changes; tokens then jump (a new picture), so start afresh.
      key = k;
      layout = layoutTopology(view);
      before = new Map();
    }
    const graph = anchorGraph(layout);
    const { places } = placeTokens(view, layout);
    const now = new Map(places.map((p) => [p.id, p.anchor]));
    for (const [id, anchor] of now) {
      const was = before.get(id);
      if (was === undefined || was === anchor) continue;
      const via = hops(graph, was, anchor);
      // Only the stack's layers are passed through (up to the socket, down to the drop spot): a
      // token never detours through a device or a queue it is not in.
      if (routeBetween(layout, graph, was, anchor) === null || !via || via.some((a) => !a.startsWith('layer:')))
        out.offPath.push(`step ${s} skb #${id} ${[was, ...(via ?? ['?']), anchor].join(' -> ')}`);
      else out.kinds.add(`${kindOf(was)}->${kindOf(anchor)}${anchor.endsWith(':drop') ? ':drop' : ''}`);
    }
    for (const p of places) {
      if (!p.dropReason) continue;
      out.drops.push(`skb #${p.id} at ${p.anchor.replace(/:\d+:/, ':N:')} (${p.dropReason})`);
    }
    // kfree_skb_reason's entry (the tracepoint names the reason) and return (the skb has it): at the drop spot.
    const top = view.stack.at(-1);
    if (top?.fn === 'kfree_skb_reason' && top.skb > 0) {
      const p = places.find((x) => x.id === top.skb);
      const reason = view.kind === 'entry' ? /\breason=(\S+)/.exec(view.stepEvents.join(' '))?.[1] : view.skb?.dropReason;
      out.drops.push(`skb #${top.skb} at ${p?.anchor.replace(/:\d+:/, ':N:')} (${p?.dropReason})`);
      expect(p?.dropReason, `step ${s}`).toBe(reason);
    }
    before = now;
  }
  return out;
}

describe('tokens travel the drawn paths', { timeout: 300_000 }, () => {
  for (const [id, text] of CASES) {
    it(`${id}: every move follows a drawn way; drops are drawn at the drop spot`, () => {
      const t = travel(text);
      expect(t.offPath).toEqual([]);
      for (const d of t.drops) expect(d).toMatch(/ at layer:N:drop \([A-Z_]+\)$/);
    });
  }

  it("the seed: along the cable, into the backlog, to process_queue, back to the device, up the stack, into ping's socket and out, to the drop spot", () => {
    const t = travel(SCENARIOS[0].text);
    expect([...t.kinds].sort()).toEqual([
      'dev->dev',
      'dev->layer',
      'dev->queue',
      'layer->dev',
      'layer->layer',
      'layer->layer:drop',
      'layer->sock',
      'queue->dev',
      'queue->queue',
      'sock->layer',
    ]);
  });

  it('UDP: data is queued on the receiving socket and taken from it by recvmsg', () => {
    const t = travel(SCENARIOS.find((s) => s.id === 'udp-netns-hello')!.text);
    expect([...t.kinds].filter((k) => k.includes('sock')).sort()).toEqual(['layer->sock', 'sock->layer']);
  });

  it('TCP: data and the FIN go from sendmsg into the write queue, to the retransmit queue as they are sent, and out when acknowledged', () => {
    const t = travel(SCENARIOS.find((s) => s.id === 'tcp-netns-hello')!.text);
    expect([...t.kinds].filter((k) => k.includes('sock')).sort()).toEqual([
      'layer->sock',
      'layer->sock:write',
      'sock->layer',
      'sock:rtx->layer',
      'sock:write->sock:rtx',
    ]);
  });
});
