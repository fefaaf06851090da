// Where each skb is drawn at a step, and the drawn path it travels from where
// it was at the previous step. Pure: a view and a layout in, places out.
//
// A queued skb sits in its queue (a CPU's input_pkt_queue or process_queue, a
// neighbour's arp_queue on the ARP layer, a socket's receive queue, a TCP
// socket's write and retransmit queues, the IP layer's reassembly queue). An skb
// held by the calls on the stack sits where the innermost call holding it
// works: a device for the core and drivers, the IP, ICMP, ARP or socket layer
// of its namespace for net/ipv4, the namespace's drop spot while kfree_skb
// frees it with a reason. Once freed it is no longer drawn, whoever still
// holds the pointer.
import type { FrameView, SkbView, StepView } from '../../engine/run/view.ts';
import { describeSkb, type PacketClass } from '../skb/describe.ts';
import { TOKEN_H, tokenWidth, type Layout, type LayerName, type Rect } from './layout.ts';

export interface Point {
  x: number;
  y: number;
}

export type Anchor =
  | { kind: 'dev'; uid: number }
  | { kind: 'layer'; net: number; layer: LayerName }
  | { kind: 'queue'; cpu: number; queue: 'input' | 'process' }
  | { kind: 'sock'; net: number; sock: number; queue: SockQueue };

/** A socket's queues: what it received, and a TCP connection's data written (write) and sent but not yet acknowledged (rtx). */
export type SockQueue = 'receive' | 'write' | 'rtx';

export function anchorKey(a: Anchor): string {
  if (a.kind === 'dev') return `dev:${a.uid}`;
  if (a.kind === 'layer') return `layer:${a.net}:${a.layer}`;
  if (a.kind === 'sock') return `sock:${a.net}:${a.sock}${a.queue === 'receive' ? '' : `:${a.queue}`}`;
  return `queue:${a.cpu}:${a.queue}`;
}

/** The name of a socket's queue list ("socket 5 receive queue"), as its tokens' Place.queue names it. */
export function sockQueueName(sock: number, queue: SockQueue = 'receive'): string {
  return `socket ${sock} ${SOCK_QUEUE_WORDS[queue]}`;
}

/** How a socket's queues are called in the diagram's accessible names. */
export const SOCK_QUEUE_WORDS: Record<SockQueue, string> = {
  receive: 'receive queue',
  write: 'write queue',
  rtx: 'retransmit queue',
};

export interface Place {
  id: number;
  anchor: string;
  /** Top-left corner of the token. */
  x: number;
  y: number;
  w: number;
  text: string;
  cls: PacketClass;
  /** The accessible name: "skb #3 ARP request who-has 192.168.1.2 tell 192.168.1.1". */
  name: string;
  summary: string;
  /** For an skb being dropped at this step: the kernel's reason. */
  dropReason: string;
  /** A token of a queue (drawn as an item of its role="list"). */
  queue: string | null;
}

/** What did not fit in an anchor's room: "+N" drawn at its end. */
export interface Overflow {
  anchor: string;
  x: number;
  y: number;
  count: number;
}

function layerFor(file: string): LayerName | 'dev' | 'inherit' {
  if (file.startsWith('net/ipv4/arp') || file.startsWith('net/core/neighbour')) return 'arp';
  if (file.startsWith('net/ipv4/icmp')) return 'icmp';
  if (
    file.startsWith('net/ipv4/raw') ||
    file.startsWith('net/ipv4/ping') ||
    file.startsWith('net/ipv4/udp') ||
    file.startsWith('net/ipv4/tcp')
  )
    return 'socket';
  if (file.startsWith('net/ipv4/')) return 'ip';
  // skb helpers (clone, free, the queue helpers) work where their caller does.
  if (file.startsWith('net/core/skbuff') || file === 'include/linux/skbuff.h') return 'inherit';
  return 'dev';
}

/**
 * The skb being dropped at this step, with its reason: the skb of the call
 * that hit the kfree_skb tracepoint (the event numbers skbs as trace.txt
 * does, by first appearance, not by the engine's ids).
 */
export function dropsAt(view: Pick<StepView, 'stepEvents' | 'stack'>): Map<number, string> {
  const out = new Map<number, string>();
  const top = view.stack.at(-1);
  if (!top || top.skb <= 0) return out;
  for (const e of view.stepEvents) {
    const m = /\bkfree_skb skb=\d+\b.*\breason=(\S+)/.exec(e);
    if (m) out.set(top.skb, m[1]);
  }
  return out;
}

/**
 * The frames of the current context, innermost first: a softirq run on the
 * way out of a task's call (handle_softirqs) does not work on that task's
 * skb or device.
 */
function currentContext(view: Pick<StepView, 'stack'>): FrameView[] {
  const out: FrameView[] = [];
  for (let i = view.stack.length - 1; i >= 0; i--) {
    if (view.stack[i].fn === 'handle_softirqs') break;
    out.push(view.stack[i]);
  }
  return out;
}

/** The device the current call works on: the innermost frame of its context that names one (its engine uid), or 0. */
export function currentDevUid(view: Pick<StepView, 'stack'>): number {
  return currentContext(view).find((f) => f.devUid)?.devUid ?? 0;
}

/** The skb the current call works on: the innermost frame of its context that holds one, or 0. */
export function currentSkbId(view: Pick<StepView, 'stack'>): number {
  return currentContext(view).find((f) => f.skb > 0)?.skb ?? 0;
}

function netOfSocket(view: StepView, sk: number): number {
  if (!sk) return 0;
  return view.namespaces.find((ns) => ns.sockets.some((s) => s.id === sk))?.uid ?? 0;
}

/** Anchors of the skbs the calls on the stack hold: the innermost holder decides. */
function heldAnchors(view: StepView, infos: Map<number, SkbView>): Map<number, Anchor> {
  const out = new Map<number, Anchor>();
  let net = 0;
  /** Where the caller of the frame at hand works (the last frame that holds an skb). */
  let caller: Anchor | null = null;
  /** The namespace of the process whose call this is: none once a softirq runs on the way out of it. */
  let task = view.currentNet;
  /** The stack layer of the innermost call so far that works in one (tcp_send_fin: the socket layer). */
  let layer: LayerName | null = null;
  const frames: FrameView[] = view.stack;
  for (const f of frames) {
    // A softirq run on the way out of a task's call: its skb helpers work where the softirq's calls do.
    if (f.fn === 'handle_softirqs') {
      caller = null;
      task = 0;
      layer = null;
    }
    const kind = layerFor(f.file);
    if (kind !== 'inherit') layer = kind === 'dev' ? null : kind;
    if (f.netUid) net = f.netUid;
    if (f.skb <= 0) continue;
    const info = infos.get(f.skb);
    // A freed skb is where the call holding it works: it may have died in another namespace (a TCP ACK
    // its receiver consumed before tcp_transmit_skb returned), where its fields now place it.
    const skbNet =
      info && info.state !== 'live'
        ? f.netUid || net || info.netUid || view.namespaces[0]?.uid || 0
        : f.netUid || info?.netUid || netOfSocket(view, info?.sk ?? 0) || net || task || view.namespaces[0]?.uid || 0;
    if (kind === 'inherit') {
      // skb helpers (clone, free, queue) work where their caller does, whoever else still holds the skb.
      out.set(
        f.skb,
        caller ?? (info?.devUid ? { kind: 'dev', uid: info.devUid } : { kind: 'layer', net: skbNet, layer: layer ?? 'ip' }),
      );
      continue;
    }
    const uid = kind === 'dev' ? f.devUid || info?.devUid || 0 : 0;
    const a: Anchor =
      kind === 'dev' && uid ? { kind: 'dev', uid } : { kind: 'layer', net: skbNet, layer: kind === 'dev' ? 'ip' : kind };
    out.set(f.skb, a);
    caller = a;
  }
  return out;
}

/** The rectangle an anchor's tokens are laid in (left to right from x, y), and its centre for paths. */
export function anchorRoom(layout: Layout, a: Anchor): { x: number; y: number; right: number; centre: Point } | null {
  if (a.kind === 'dev') {
    const d = layout.devices.find((b) => b.dev.uid === a.uid);
    if (!d) return null;
    // Straddling the box's bottom edge: a token on a device never covers its text.
    return { x: d.x + 10, y: d.y + d.h - TOKEN_H / 2, right: d.x + d.w - 4, centre: centre(d) };
  }
  if (a.kind === 'layer') {
    const ns = layout.namespaces.find((n) => n.ns.uid === a.net);
    const l = ns?.layers.find((x) => x.layer === a.layer);
    if (!l) return null;
    return { x: l.tokenX, y: l.tokenY, right: l.tokenRight, centre: centre(l) };
  }
  if (a.kind === 'sock') {
    const ns = layout.namespaces.find((n) => n.ns.uid === a.net);
    const b = ns?.layers.find((x) => x.layer === 'socket')?.sockets.find((x) => x.sock.id === a.sock);
    const q = a.queue === 'write' ? b?.write : a.queue === 'rtx' ? b?.rtx : b?.queue;
    if (!q) return null;
    return { x: q.x + 3, y: q.y + (q.h - TOKEN_H) / 2, right: q.x + q.w - 3, centre: centre(q) };
  }
  const c = layout.cpus.find((b) => b.cpu.cpu === a.cpu);
  if (!c) return null;
  const q = a.queue === 'input' ? c.input : c.process;
  return { x: q.x + 4, y: q.y + 4, right: q.x + q.w - 4, centre: centre(q) };
}

function centre(r: Rect): Point {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

/** Every skb drawn at this step, placed in its anchor's room (queues in queue order, others by id). */
export function placeTokens(view: StepView, layout: Layout): { places: Place[]; overflow: Overflow[] } {
  const infos = new Map(view.skbViews.map((v) => [v.id, v]));
  const anchors = new Map<number, Anchor>();
  const queueOf = new Map<number, string>();
  for (const p of view.skbs) {
    if ((p.where === 'backlog' || p.where === 'process_queue') && p.cpu !== undefined) {
      const queue = p.where === 'backlog' ? 'input' : 'process';
      anchors.set(p.skb, { kind: 'queue', cpu: p.cpu, queue });
      queueOf.set(p.skb, `cpu${p.cpu} ${p.where === 'backlog' ? 'input_pkt_queue' : 'process_queue'}`);
    } else if (p.where === 'neigh_queue' && p.netUid) anchors.set(p.skb, { kind: 'layer', net: p.netUid, layer: 'arp' });
    else if (p.where === 'reasm' && p.netUid) anchors.set(p.skb, { kind: 'layer', net: p.netUid, layer: 'ip' });
    else if ((p.where === 'socket' || p.where === 'write_queue' || p.where === 'rtx_queue') && p.netUid && p.socket) {
      const queue: SockQueue = p.where === 'socket' ? 'receive' : p.where === 'write_queue' ? 'write' : 'rtx';
      anchors.set(p.skb, { kind: 'sock', net: p.netUid, sock: p.socket, queue });
      queueOf.set(p.skb, sockQueueName(p.socket, queue));
    } else if (p.where === 'socket' && p.netUid) anchors.set(p.skb, { kind: 'layer', net: p.netUid, layer: 'socket' });
  }
  const drops = dropsAt(view);
  const top = view.stack.at(-1)?.skb ?? 0;
  for (const [id, a] of heldAnchors(view, infos)) {
    if (anchors.has(id)) continue;
    const info0 = infos.get(id);
    // A freed skb is gone: callers may still hold the pointer, but only the call freeing it shows it.
    if (info0 && info0.state !== 'live' && id !== top && !drops.has(id)) continue;
    // At kfree_skb's entry the tracepoint names the reason; at its return the skb says it.
    const reason = drops.get(id) ?? (info0?.state === 'dropped' ? info0.dropReason || 'NOT_SPECIFIED' : undefined);
    if (reason !== undefined) {
      drops.set(id, reason);
      const info = infos.get(id);
      const net =
        a.kind === 'layer'
          ? a.net
          : (layout.devices.find((d) => d.dev.uid === (a.kind === 'dev' ? a.uid : 0))?.netUid ?? info?.netUid ?? 0);
      anchors.set(id, { kind: 'layer', net, layer: 'drop' });
    } else anchors.set(id, a);
  }
  const byAnchor = new Map<string, { anchor: Anchor; ids: number[] }>();
  for (const [id, a] of anchors) {
    const k = anchorKey(a);
    if (!byAnchor.has(k)) byAnchor.set(k, { anchor: a, ids: [] });
    byAnchor.get(k)!.ids.push(id);
  }
  const places: Place[] = [];
  const overflow: Overflow[] = [];
  for (const [k, { anchor, ids }] of byAnchor) {
    const room = anchorRoom(layout, anchor);
    if (!room) continue;
    if (anchor.kind !== 'queue' && anchor.kind !== 'sock') ids.sort((a, b) => a - b);
    const described = ids.map((id) => {
      const info = infos.get(id);
      return { id, d: info ? describeSkb(info) : null };
    });
    // Crowded: tokens drop their short label and keep their number (the name and tooltip keep it all).
    const full = described.reduce((n, { id, d }) => n + tokenWidth(`#${id} ${d?.short ?? ''}`.trim()) + 4, 0);
    const compact = full > room.right - room.x + 4;
    let x = room.x;
    let hidden = 0;
    for (const { id, d } of described) {
      const text = compact ? `#${id}` : `#${id} ${d ? d.short : ''}`.trim();
      const w = tokenWidth(text);
      if (x + w > room.right + 0.5 && x > room.x) {
        hidden++;
        continue;
      }
      const reason = drops.get(id) ?? '';
      const what = d ? d.what : 'an skb';
      places.push({
        id,
        anchor: k,
        x,
        y: room.y,
        w,
        text,
        cls: d ? d.cls : 'other',
        name: `skb #${id} ${what}${reason && !what.includes('dropped') ? `, dropped (${reason})` : ''}`,
        summary: d ? d.summary : `skb #${id}`,
        dropReason: reason,
        queue: queueOf.get(id) ?? null,
      });
      x += w + 4;
    }
    if (hidden) overflow.push({ anchor: k, x: Math.min(x, room.right - 30), y: room.y, count: hidden });
  }
  return { places, overflow };
}

// ---------- paths ----------

interface Hop {
  to: string;
  /** Points strictly between the two anchors' centres (a cable's bends). */
  via: Point[];
}

/** The drawn ways between anchors: cables, a device to its stack, the stack's layers, the CPU queues. */
export function anchorGraph(layout: Layout): Map<string, Hop[]> {
  const g = new Map<string, Hop[]>();
  const add = (a: string, b: string, via: Point[] = [], oneWay = false) => {
    if (!g.has(a)) g.set(a, []);
    if (!g.has(b)) g.set(b, []);
    g.get(a)!.push({ to: b, via });
    if (!oneWay) g.get(b)!.push({ to: a, via: [...via].reverse() });
  };
  const devKey = (uid: number) => `dev:${uid}`;
  for (const l of layout.links) {
    const via = l.points;
    if (l.kind === 'stack') {
      const dev = l.from > 0 ? l.from : l.to;
      const net = -(l.from > 0 ? l.to : l.from);
      const fromDev = l.from > 0;
      const path = fromDev ? via : [...via].reverse();
      for (const layer of ['ip', 'arp'] as const) add(devKey(dev), `layer:${net}:${layer}`, path);
    } else add(devKey(l.from), devKey(l.to), via);
  }
  for (const ns of layout.namespaces) {
    const order: LayerName[] = ['socket', 'icmp', 'ip', 'drop'];
    for (let i = 0; i + 1 < order.length; i++) add(`layer:${ns.ns.uid}:${order[i]}`, `layer:${ns.ns.uid}:${order[i + 1]}`);
    add(`layer:${ns.ns.uid}:arp`, `layer:${ns.ns.uid}:ip`);
    add(`layer:${ns.ns.uid}:arp`, `layer:${ns.ns.uid}:drop`);
    add(`layer:${ns.ns.uid}:arp`, `layer:${ns.ns.uid}:icmp`);
    // A socket's receive queue hangs off the socket layer: queued by the protocol, taken by recvmsg.
    // So do a TCP connection's write queue (sendmsg queues, tcp_write_xmit sends) and its retransmit
    // queue (an ACK frees what it acknowledges); tcp_write_xmit moves each skb it sends from one to the other.
    for (const b of ns.layers.find((l) => l.layer === 'socket')?.sockets ?? []) {
      const sock = `sock:${ns.ns.uid}:${b.sock.id}`;
      add(`layer:${ns.ns.uid}:socket`, sock);
      if (b.write && b.rtx) {
        add(`layer:${ns.ns.uid}:socket`, `${sock}:write`);
        add(`layer:${ns.ns.uid}:socket`, `${sock}:rtx`);
        add(`${sock}:write`, `${sock}:rtx`, [], true);
      }
    }
  }
  for (const c of layout.cpus) {
    const input = `queue:${c.cpu.cpu}:input`;
    const proc = `queue:${c.cpu.cpu}:process`;
    // The backlog only flows one way: netif_rx queues, process_backlog splices and delivers.
    add(input, proc, [], true);
    for (const d of layout.devices) {
      add(devKey(d.dev.uid), input, [], true);
      add(proc, devKey(d.dev.uid), [], true);
    }
  }
  return g;
}

function parseAnchor(k: string): Anchor | null {
  const [kind, a, b] = k.split(':');
  if (kind === 'dev') return { kind: 'dev', uid: Number(a) };
  if (kind === 'layer') return { kind: 'layer', net: Number(a), layer: b as LayerName };
  if (kind === 'queue') return { kind: 'queue', cpu: Number(a), queue: b as 'input' | 'process' };
  if (kind === 'sock') {
    const q = k.split(':')[3];
    return { kind: 'sock', net: Number(a), sock: Number(b), queue: q === 'write' || q === 'rtx' ? q : 'receive' };
  }
  return null;
}

/**
 * The centre points a token passes between two anchors: along the fewest
 * drawn hops (a cable, a device's link to its stack, a layer to the next, a
 * device into a CPU's backlog); empty for neighbouring anchors. Null when
 * nothing drawn connects the two.
 */
export function routeBetween(layout: Layout, graph: Map<string, Hop[]>, from: string, to: string): Point[] | null {
  if (from === to) return [];
  const prev = new Map<string, { from: string; via: Point[] }>();
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const k = queue.shift()!;
    if (k === to) break;
    for (const h of graph.get(k) ?? []) {
      if (seen.has(h.to)) continue;
      seen.add(h.to);
      prev.set(h.to, { from: k, via: h.via });
      queue.push(h.to);
    }
  }
  if (!prev.has(to)) return null;
  const chain: Point[][] = [];
  for (let k = to; k !== from;) {
    const p = prev.get(k)!;
    const a = parseAnchor(k);
    const room = a ? anchorRoom(layout, a) : null;
    chain.push([...p.via, ...(k === to || !room ? [] : [room.centre])]);
    k = p.from;
  }
  return chain.reverse().flat();
}
