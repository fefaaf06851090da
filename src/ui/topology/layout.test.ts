// The diagram's geometry on every bundled scenario and on a chain of five
// namespaces with two routers: namespaces never overlap, every box stays
// inside its namespace, cables never cross a third namespace, and tokens are
// placed where the engine says their skbs are.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/run/run.ts';
import { viewAt } from '../../engine/run/view.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { layoutTopology, type Layout, type Rect } from './layout.ts';
import { anchorGraph, placeTokens, routeBetween, sockQueueName } from './places.ts';

const CHAIN = readFileSync(new URL('../../../test/fixtures/diagram/chain-five-ns.sh', import.meta.url), 'utf8');
const CASES: [string, string][] = [...SCENARIOS.map((s): [string, string] => [s.id, s.text]), ['chain-five-ns', CHAIN]];

const inside = (a: Rect, b: Rect) =>
  a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Does segment p-q pass through the inside of r (shrunk by 1 px)? Liang–Barsky clipping. */
function crosses(p: { x: number; y: number }, q: { x: number; y: number }, r: Rect): boolean {
  const x0 = r.x + 1;
  const y0 = r.y + 1;
  const x1 = r.x + r.w - 1;
  const y1 = r.y + r.h - 1;
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  for (const [pp, qq] of [
    [-dx, p.x - x0],
    [dx, x1 - p.x],
    [-dy, p.y - y0],
    [dy, y1 - p.y],
  ]) {
    if (pp === 0) {
      if (qq < 0) return false;
    } else {
      const t = qq / pp;
      if (pp < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t0 < t1;
}

function checkGeometry(l: Layout): string[] {
  const bad: string[] = [];
  const nsOf = new Map(l.devices.map((d) => [d.dev.uid, d.netUid]));
  for (const a of l.namespaces)
    for (const b of l.namespaces) if (a !== b && a.ns.uid < b.ns.uid && overlap(a, b)) bad.push(`${a.title} overlaps ${b.title}`);
  for (const d of l.devices) {
    const ns = l.namespaces.find((n) => n.ns.uid === d.netUid)!;
    if (!inside(d, ns)) bad.push(`${d.label} overhangs its namespace`);
    for (const n of l.namespaces) if (n !== ns && overlap(d, n)) bad.push(`${d.label} overlaps ${n.title}`);
  }
  for (const n of l.namespaces) {
    if (!inside(n.stack, n)) bad.push(`${n.title}'s stack overhangs it`);
    for (const layer of n.layers) if (!inside(layer, n.stack)) bad.push(`${n.title} ${layer.layer} overhangs the stack`);
    for (const layer of n.layers)
      for (const b of layer.sockets) {
        if (!inside(b, layer)) bad.push(`${b.label} overhangs the socket layer`);
        if (!inside(b.queue, b)) bad.push(`${b.label}'s receive queue overhangs it`);
        if (b.accept && !inside(b.accept, b)) bad.push(`${b.label}'s accept queue overhangs it`);
      }
  }
  for (const c of l.cpus) for (const n of l.namespaces) if (overlap(c, n)) bad.push(`cpu${c.cpu.cpu} overlaps ${n.title}`);
  for (const link of l.links) {
    const ends = new Set([nsOf.get(link.from) ?? -link.from, nsOf.get(link.to) ?? -link.to]);
    for (const n of l.namespaces) {
      if (ends.has(n.ns.uid)) continue;
      for (let i = 1; i < link.points.length; i++)
        if (crosses(link.points[i - 1], link.points[i], n)) bad.push(`${link.key} crosses ${n.title}`);
    }
  }
  return bad;
}

// Whole runs replayed and laid out: slow on a loaded machine.
describe('layoutTopology', { timeout: 120_000 }, () => {
  for (const [id, text] of CASES) {
    it(`${id}: no overlap, no overhang, no cable across a third namespace, at every shape the run takes`, () => {
      const run = runScenario(text);
      const total = run.rec.count;
      const seen = new Set<string>();
      for (const s of [0, 1, Math.floor(total / 3), Math.floor(total / 2), total]) {
        const view = viewAt(run, s);
        for (const box of [undefined, { width: 1000, height: 500 }, { width: 400, height: 700 }]) {
          const l = layoutTopology(view, box);
          const key = JSON.stringify([l.width, l.height, l.devices.length]);
          if (seen.has(key)) continue;
          seen.add(key);
          expect(checkGeometry(l), `${id} at step ${s}`).toEqual([]);
        }
      }
    });
  }

  it('is deterministic: the same view lays out the same', () => {
    const run = runScenario(CHAIN);
    const v = viewAt(run, run.rec.count);
    expect(JSON.stringify(layoutTopology(v))).toBe(JSON.stringify(layoutTopology(viewAt(run, run.rec.count))));
  });

  it('lays the chain out as a row: a, r1, r2, b from left to right, each router between its two devices', () => {
    const run = runScenario(CHAIN);
    const l = layoutTopology(viewAt(run, run.rec.count));
    const x = (name: string) => l.namespaces.find((n) => n.ns.name === name)!.x;
    expect(x('a')).toBeLessThan(x('r1'));
    expect(x('r1')).toBeLessThan(x('r2'));
    expect(x('r2')).toBeLessThan(x('b'));
    for (const r of ['r1', 'r2']) {
      const ns = l.namespaces.find((n) => n.ns.name === r)!;
      const devs = l.devices.filter((d) => d.netUid === ns.ns.uid && d.dev.kind === 'veth').map((d) => d.x);
      expect(Math.min(...devs)).toBeLessThan(ns.stack.x);
      expect(Math.max(...devs)).toBeGreaterThan(ns.stack.x + ns.stack.w);
    }
  });
});

describe('placeTokens', { timeout: 120_000 }, () => {
  it('draws every skb the engine has queued or held (and not freed), each once, in the seed', () => {
    const seed = SCENARIOS[0].text;
    const run = runScenario(seed);
    for (let s = 1; s <= run.rec.count; s += 3) {
      const view = viewAt(run, s);
      // Laid out for the step's own shape: ping's socket, with its receive queue, exists only while ping runs.
      const { places, overflow } = placeTokens(view, layoutTopology(view));
      const ids = places.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Held by a call: drawn while live; once freed, only by the call freeing it.
      const live = (id: number) => view.skbViews.find((v) => v.id === id)?.state === 'live' || id === view.stack.at(-1)?.skb;
      const held = view.stack.filter((f) => f.skb > 0 && live(f.skb)).map((f) => f.skb);
      const expected = new Set([...view.skbs.map((p) => p.skb), ...held]);
      expect(overflow).toEqual([]);
      expect(new Set(ids)).toEqual(expected);
      for (const p of places) expect(p.name.startsWith(`skb #${p.id} `)).toBe(true);
      for (const q of view.cpus[0].inputPktQueue) expect(places.find((p) => p.id === q)?.queue).toBe('cpu0 input_pkt_queue');
    }
  });

  it('draws each socket by its id, with its receive queue holding its skbs and a listener with its accept queue (TCP)', () => {
    const run = runScenario(SCENARIOS.find((s) => s.id === 'tcp-netns-hello')!.text);
    let accepted = false;
    let queued = false;
    for (let s = 1; s <= run.rec.count; s++) {
      const view = viewAt(run, s);
      const l = layoutTopology(view);
      const { places } = placeTokens(view, l);
      for (const ns of l.namespaces) {
        const boxes = ns.layers.find((x) => x.layer === 'socket')!.sockets;
        expect(boxes.map((b) => b.sock.id)).toEqual(ns.ns.sockets.map((x) => x.id));
        for (const b of boxes) {
          expect(b.accept !== null, b.label).toBe(b.sock.state === 'LISTEN');
          if (b.sock.acceptQueue.length) accepted = true;
          const drawn = places.filter((p) => p.queue === sockQueueName(b.sock.id));
          expect(
            drawn.map((p) => p.id),
            `step ${s} ${b.label}`,
          ).toEqual(b.sock.queued);
          for (const p of drawn) {
            queued = true;
            expect(inside({ x: p.x, y: p.y, w: p.w, h: 20 }, b.queue), `step ${s} skb #${p.id}`).toBe(true);
          }
        }
      }
    }
    // The child waits on the listener's accept queue, and the line of data in its receive queue.
    expect(accepted).toBe(true);
    expect(queued).toBe(true);
  });

  it('routes a token from one end of a veth cable to the other along the cable, and from a device into the backlog', () => {
    const run = runScenario(SCENARIOS[1].text); // netns-pair
    const l = layoutTopology(viewAt(run, run.rec.count));
    const g = anchorGraph(l);
    const veth0 = l.devices.find((d) => d.dev.name === 'veth0')!;
    const veth1 = l.devices.find((d) => d.dev.name === 'veth1')!;
    const cable = l.links.find((k) => k.kind === 'veth')!;
    const path = routeBetween(l, g, `dev:${veth0.dev.uid}`, `dev:${veth1.dev.uid}`)!;
    expect(path.length).toBeGreaterThanOrEqual(2);
    for (const p of cable.points) expect(path).toContainEqual(p);
    // veth1 -> cpu0 input_pkt_queue -> process_queue: one hop each, through the queue's centre.
    const up = routeBetween(l, g, `dev:${veth1.dev.uid}`, 'queue:0:process')!;
    expect(up).toHaveLength(1);
    expect(up[0].y).toBeCloseTo(l.cpus[0].input.y + l.cpus[0].input.h / 2);
  });
});
