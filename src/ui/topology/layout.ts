// A deterministic layout of the machine, made by dagre (a layered graph
// layout): each namespace is a compound node holding its protocol stack
// (socket, ICMP, ARP, IP layers) and its devices; veth cables and bridge ports
// are edges, so cables run between neighbouring namespaces instead of across
// them. Each CPU's softnet_data sits beside the graph. Every size is measured
// from the text it holds (the diagram's text is monospace), so nothing
// overflows its box; the picture never shrinks its text to fit: Topology.tsx
// pans over it instead. Same view in, same picture out.
import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import type { StepView, NamespaceView, DeviceView, CpuView, SocketView } from '../../engine/run/view.ts';
import { keepSkeleton, keptSkeleton, type Skeleton } from './skeletonCache.ts';

/** The smallest font in the diagram, in layout units; the view never scales it under 11 px. */
export const MIN_FONT = 12;
/** Width of one character of the diagram's monospace font, per px of font size (DejaVu Sans Mono, Menlo). */
const CHAR_W = 0.62;
export const TOKEN_H = 20;
const TOKEN_FONT = 12;
const TOKEN_PAD = 8;
const DEV_PAD = 10;
const LINE = 17;
const NS_PAD = 16;
const NS_TITLE = 30;
const ROW_H = 30;
const CPU_W = 340;
export const CPU_H = 190;
const GAP = 44;

/** Width of `s` drawn at `size` px in the diagram's monospace font. */
export function textWidth(s: string, size: number): number {
  return Math.ceil(s.length * size * CHAR_W);
}

export function tokenWidth(label: string): number {
  return textWidth(label, TOKEN_FONT) + 2 * TOKEN_PAD;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DevBox extends Rect {
  dev: DeviceView;
  netUid: number;
  /** "veth1 in ns1": the device's accessible name. */
  label: string;
}

export type LayerName = 'socket' | 'icmp' | 'arp' | 'ip' | 'drop';

/** One row of a namespace's stack: where packets handled by that layer are drawn. */
export interface LayerBox extends Rect {
  layer: LayerName;
  title: string;
  /** Extra lines (neighbour entries), drawn under the title. */
  lines: string[];
  /** Where its tokens start (left to right), and how far they may go. */
  tokenX: number;
  tokenY: number;
  tokenRight: number;
  /** The socket layer's sockets, each with its queues, under the title. */
  sockets: SockBox[];
}

/**
 * A socket in its namespace's socket layer: its line (ss's columns), its
 * receive queue, a TCP connection's write and retransmit queues and, for a
 * listener, its accept queue.
 */
export interface SockBox extends Rect {
  sock: SocketView;
  /** Its accessible name: "TCP socket 10.0.0.2:80 to 10.0.0.1:40000 in ns1". */
  label: string;
  line: string;
  /** The receive queue's row: its skbs are drawn left to right in it. */
  queue: Rect;
  /** A TCP connection's sk_write_queue (written, not yet sent) and tcp_rtx_queue (sent, not yet acknowledged) rows, or null. */
  write: Rect | null;
  rtx: Rect | null;
  /** A listener's accept queue line (its children, half-open connections), or null. */
  accept: Rect | null;
}

export interface NsBox extends Rect {
  ns: NamespaceView;
  title: string;
  stack: Rect;
  layers: LayerBox[];
}

export interface CpuBox extends Rect {
  cpu: CpuView;
  /** The two queue rows: tokens go left to right from (x, y). */
  input: Rect;
  process: Rect;
}

export interface Link {
  key: string;
  kind: 'veth' | 'bridge-port' | 'stack';
  /** Device (or stack) uids at the ends; the stack of namespace N is -N. */
  from: number;
  to: number;
  points: { x: number; y: number }[];
}

export interface Layout {
  width: number;
  height: number;
  namespaces: NsBox[];
  devices: DevBox[];
  cpus: CpuBox[];
  links: Link[];
}

export function nsName(ns: NamespaceView): string {
  return ns.name || 'host';
}

function devKind(d: DeviceView): string {
  return d.kind === 'loopback' ? 'loopback' : d.kind;
}

export function devState(d: DeviceView): { label: string; cls: string } {
  if (!d.up) return { label: 'DOWN', cls: 'down' };
  if (!d.carrier) return { label: 'NO-CARRIER', cls: 'nocarrier' };
  return { label: 'UP', cls: 'up' };
}

/** The text lines a device box holds, for measuring and drawing. */
export function devLines(d: DeviceView): { head: string; meta: string; mac: string; addrs: string[] } {
  return {
    head: d.name,
    meta: `#${d.ifindex} ${devKind(d)}`,
    mac: d.mac,
    addrs: d.addrs.length ? d.addrs : ['no address'],
  };
}

const DEV_NAME_FONT = 14;
const PILL_FONT = 12;

export function pillWidth(label: string): number {
  return textWidth(label, PILL_FONT) + 14;
}

function devSize(d: DeviceView): { w: number; h: number } {
  const l = devLines(d);
  const head = textWidth(l.head, DEV_NAME_FONT) + 8 + textWidth(l.meta, MIN_FONT) + 12 + pillWidth(devState(d).label);
  const w = Math.max(head, textWidth(l.mac, MIN_FONT), ...l.addrs.map((a) => textWidth(a, MIN_FONT))) + 2 * DEV_PAD;
  return { w: Math.max(200, w), h: 26 + LINE * (1 + l.addrs.length) + 8 + TOKEN_H / 2 };
}

export function socketLine(s: SocketView): string {
  if (s.proto !== 'raw') return `${s.proto} ${s.local} ${s.peer} ${s.state}`;
  return `raw socket ${s.id}${s.bound ? ` (dev #${s.bound})` : ''}`;
}

/** A socket's name, without its state (which changes): "UDP socket 0.0.0.0:9090", "TCP socket 10.0.0.1:40000 to 10.0.0.2:80". */
export function socketName(s: SocketView): string {
  if (s.proto === 'raw') return `raw socket ${s.id}`;
  const connected = !s.peer.endsWith(':*');
  return `${s.proto} socket ${s.local}${connected ? ` to ${s.peer}` : ''}`;
}

/** A listener's accept queue line: its children waiting for accept(), and its half-open connections. */
export function acceptLine(s: SocketView): string {
  return `accept queue (${s.acceptQueue.length})${s.synQueue ? ` · SYN_RECV ${s.synQueue}` : ''}`;
}

/** The labels of a socket's queue rows, drawn before their tokens. */
export const SOCK_QUEUE_LABELS = { receive: 'recv-Q', write: 'write-Q', rtx: 'rtx-Q' } as const;
/** The width the queue labels take before their tokens (the longest label's). */
const QUEUE_LABEL_W = textWidth(SOCK_QUEUE_LABELS.write, MIN_FONT) + 10;
const SOCK_QUEUE_H = TOKEN_H + 6;
/** Room for a socket's queue: three tokens side by side. */
const SOCK_QUEUE_ROOM = QUEUE_LABEL_W + 3 * tokenWidth('#00 TCP P') + 16;

function isListener(s: SocketView): boolean {
  return s.state === 'LISTEN';
}

/** A TCP socket that is not a listener: it sends, so its write and retransmit queues are drawn. */
function sends(s: SocketView): boolean {
  return s.proto === 'TCP' && !isListener(s);
}

/** A socket's height in its layer: its line, its queues, and a listener's accept queue line. */
function sockHeight(s: SocketView): number {
  return LINE + (sends(s) ? 3 : 1) * (SOCK_QUEUE_H + 2) + 6 + (isListener(s) ? LINE : 0);
}

function sockWidth(s: SocketView): number {
  return (
    Math.max(textWidth(socketLine(s), MIN_FONT), SOCK_QUEUE_ROOM, isListener(s) ? textWidth(acceptLine(s), MIN_FONT) + 40 : 0) +
    12
  );
}

export function neighbourLine(n: NamespaceView['neighbours'][number]): string {
  return `${n.key} ${n.dev} ${n.state}`;
}

/** The longest NUD state name: a neighbour line is measured with it, so a state change never resizes the box. */
const LONGEST_NUD = 'INCOMPLETE';
function neighbourRoom(n: NamespaceView['neighbours'][number]): string {
  return `${n.key} ${n.dev} ${LONGEST_NUD}`;
}

/** A long drop reason: the drop spot has room for it, so the reason is seen whole. */
const LONG_DROP_REASON = 'UNHANDLED_PROTO';

/** Room for two tokens in a layer row: a packet going up and one waiting. */
const ROW_TOKEN_ROOM = 2 * tokenWidth('#00 echo 00') + 8;

function stackRows(ns: NamespaceView, measure = false): { layer: LayerName; title: string; lines: string[] }[] {
  return [
    { layer: 'socket', title: 'sockets', lines: ns.sockets.length ? [] : ['none open'] },
    { layer: 'icmp', title: 'ICMP', lines: [] },
    { layer: 'arp', title: 'ARP · neighbours', lines: ns.neighbours.map(measure ? neighbourRoom : neighbourLine) },
    { layer: 'ip', title: 'IPv4', lines: [] },
    // A line for the drop reason, shown while a packet is dropped (measured with a long one).
    { layer: 'drop', title: 'dropped here', lines: [measure ? `reason: ${LONG_DROP_REASON}` : ''] },
  ];
}

function stackSize(ns: NamespaceView): { w: number; h: number } {
  let w = 0;
  let h = 0;
  for (const r of stackRows(ns, true)) {
    w = Math.max(w, textWidth(r.title, MIN_FONT) + 12 + ROW_TOKEN_ROOM, ...r.lines.map((l) => textWidth(l, MIN_FONT) + 12));
    h += ROW_H + r.lines.length * LINE;
  }
  for (const sk of ns.sockets) {
    w = Math.max(w, sockWidth(sk) + 12);
    h += sockHeight(sk);
  }
  return { w: w + 16, h: h + 8 };
}

function layoutStack(ns: NamespaceView, stack: Rect): LayerBox[] {
  const out: LayerBox[] = [];
  let y = stack.y + 4;
  for (const r of stackRows(ns)) {
    const x = stack.x + 8;
    const w = stack.w - 16;
    const sockets: SockBox[] = [];
    if (r.layer === 'socket') {
      let sy = y + ROW_H - 4;
      for (const sk of ns.sockets) {
        const sh = sockHeight(sk);
        const sx = x + 6;
        const sw = w - 12;
        // The queue rows, top down: receive, then a TCP connection's write and retransmit queues.
        const row = (i: number): Rect => ({
          x: sx + QUEUE_LABEL_W,
          y: sy + LINE + 2 + i * (SOCK_QUEUE_H + 2),
          w: sw - QUEUE_LABEL_W - 4,
          h: SOCK_QUEUE_H,
        });
        const rows = sends(sk) ? 3 : 1;
        sockets.push({
          sock: sk,
          label: `${socketName(sk)} in ${nsName(ns)}`,
          line: socketLine(sk),
          x: sx,
          y: sy,
          w: sw,
          h: sh - 4,
          queue: row(0),
          write: sends(sk) ? row(1) : null,
          rtx: sends(sk) ? row(2) : null,
          accept: isListener(sk) ? { x: sx, y: sy + LINE + 2 + rows * (SOCK_QUEUE_H + 2), w: sw, h: LINE } : null,
        });
        sy += sh;
      }
    }
    const h = ROW_H + r.lines.length * LINE + sockets.reduce((n, b) => n + b.h + 4, 0);
    const titleW = textWidth(r.title, MIN_FONT) + 12;
    out.push({
      sockets,
      layer: r.layer,
      title: r.title,
      lines: r.lines,
      x,
      y,
      w,
      h: h - 4,
      tokenX: x + Math.max(titleW, w - ROW_TOKEN_ROOM),
      tokenY: y + (ROW_H - 4 - TOKEN_H) / 2,
      tokenRight: x + w - 4,
    });
    y += h;
  }
  return out;
}

const nsNode = (uid: number) => `ns:${uid}`;
const stackNode = (uid: number) => `stack:${uid}`;
const devNode = (uid: number) => `dev:${uid}`;

export interface LaidGraph {
  width: number;
  height: number;
  namespaces: NsBox[];
  devices: DevBox[];
  links: Link[];
}

/** The size a device box keeps whatever its state and addresses: with the widest state pill, and no address. */
function devBaseSize(d: DeviceView): { w: number; h: number } {
  return devSize({ ...d, up: true, carrier: false, addrs: [] });
}

/** A device's box: room for its addresses, and for any state pill (a state change never resizes it). */
function devBoxSize(d: DeviceView): { w: number; h: number } {
  const s = devSize(d);
  const b = devBaseSize(d);
  return { w: Math.max(s.w, b.w), h: Math.max(s.h, b.h) };
}

/** The size a stack keeps with no socket open and no neighbour known. */
function stackBaseSize(ns: NamespaceView): { w: number; h: number } {
  return stackSize({ ...ns, sockets: [], neighbours: [] });
}

/**
 * The shape of the machine as dagre sees it: namespaces, the devices in each
 * (in ifindex order) with their cables and bridge ports, and each box at the
 * size it keeps whatever its contents. Neighbours, sockets, addresses and link
 * states do not change it: they only grow boxes in place (growBox).
 */
function skeletonKey(namespaces: NamespaceView[]): string {
  return JSON.stringify(
    namespaces.map((ns) => [
      ns.uid,
      stackBaseSize(ns),
      [...ns.devices].sort((a, b) => a.ifindex - b.ifindex).map((d) => [d.uid, devBaseSize(d), d.peerUid, d.masterUid]),
    ]),
  );
}

/**
 * Namespaces, stacks, devices and cables, laid out left to right: a device
 * whose cable leads to a later namespace sits right of its stack, one whose
 * cable comes from an earlier namespace left of it, so a chain of namespaces
 * reads as a row and a router's stack sits between its two devices.
 */
function laySkeleton(namespaces: NamespaceView[]): Skeleton {
  const g = new graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: GAP, marginx: NS_PAD, marginy: NS_TITLE });
  g.setDefaultEdgeLabel(() => ({}));
  const nsIndex = new Map<number, number>();
  namespaces.forEach((ns, i) => nsIndex.set(ns.uid, i));
  const devNs = new Map<number, number>();
  const nodes: string[] = [];
  for (const ns of namespaces) {
    g.setNode(nsNode(ns.uid), {});
    const st = stackBaseSize(ns);
    g.setNode(stackNode(ns.uid), { width: st.w, height: st.h });
    g.setParent(stackNode(ns.uid), nsNode(ns.uid));
    nodes.push(stackNode(ns.uid));
    for (const d of [...ns.devices].sort((a, b) => a.ifindex - b.ifindex)) {
      const s = devBaseSize(d);
      devNs.set(d.uid, ns.uid);
      g.setNode(devNode(d.uid), { width: s.w, height: s.h });
      g.setParent(devNode(d.uid), nsNode(ns.uid));
      nodes.push(devNode(d.uid));
    }
  }
  const links: Omit<Skeleton['edges'][number], 'points'>[] = [];
  const edge = (kind: Link['kind'], v: string, w: string, from: number, to: number, weight = 1) => {
    const key = `${kind}:${from}:${to}`;
    g.setEdge(v, w, { weight, minlen: 1 }, key);
    links.push({ key, kind, v, w, from, to });
  };
  for (const ns of namespaces) {
    const here = nsIndex.get(ns.uid) ?? 0;
    for (const d of [...ns.devices].sort((a, b) => a.ifindex - b.ifindex)) {
      const peerNs = d.peerUid ? devNs.get(d.peerUid) : undefined;
      const later = peerNs !== undefined && (nsIndex.get(peerNs) ?? 0) > here;
      const earlier = peerNs !== undefined && (nsIndex.get(peerNs) ?? 0) < here;
      if (d.masterUid) {
        // A bridge port hands frames to its bridge, not to the stack.
        edge('bridge-port', devNode(d.masterUid), devNode(d.uid), d.masterUid, d.uid, 2);
      } else if (earlier) {
        edge('stack', devNode(d.uid), stackNode(ns.uid), d.uid, -ns.uid);
      } else {
        edge('stack', stackNode(ns.uid), devNode(d.uid), -ns.uid, d.uid);
      }
      if (later) edge('veth', devNode(d.uid), devNode(d.peerUid), d.uid, d.peerUid, 3);
    }
  }
  dagreLayout(g);
  const rects = new Map<string, Rect>();
  for (const n of nodes) {
    const o = g.node(n);
    rects.set(n, { x: o.x - o.width / 2, y: o.y - o.height / 2, w: o.width, h: o.height });
  }
  return {
    rects,
    edges: links.map((l) => {
      const e = g.edge(l.v, l.w, l.key) as { points?: { x: number; y: number }[] } | undefined;
      return { ...l, points: (e?.points ?? []).map((p) => ({ x: p.x, y: p.y })) };
    }),
  };
}

/**
 * Grows `node`'s box to w × h in place (its top-left stays) and makes room:
 * whatever lies below (right of) its old bottom (right) edge moves down
 * (right) by as much, a box by its centre, a cable's bend by its point, a
 * cable's end with its box. Moving everything past a line by the same amount
 * keeps boxes apart and cables between the boxes they joined.
 */
function growBox(sk: Skeleton, node: string, w: number, h: number): void {
  const r = sk.rects.get(node)!;
  const axes = [
    { d: h - r.h, edge: r.y + r.h, pos: 'y', size: 'h' },
    { d: w - r.w, edge: r.x + r.w, pos: 'x', size: 'w' },
  ] as const;
  for (const { d, edge, pos, size } of axes) {
    if (d <= 0) continue;
    const moved = new Set<string>();
    for (const [n, o] of sk.rects) if (n !== node && o[pos] + o[size] / 2 >= edge) moved.add(n);
    for (const e of sk.edges) {
      const last = e.points.length - 1;
      e.points.forEach((p, i) => {
        const end = i === 0 ? e.v : i === last ? e.w : null;
        const shift = end === node ? p[pos] >= edge - 0.5 : end !== null ? moved.has(end) : p[pos] >= edge;
        if (shift) p[pos] += d;
      });
    }
    for (const n of moved) sk.rects.get(n)![pos] += d;
    r[size] += d;
  }
}

function skeletonOf(namespaces: NamespaceView[]): Skeleton {
  const key = skeletonKey(namespaces);
  let sk = keptSkeleton(key);
  if (!sk) {
    sk = laySkeleton(namespaces);
    keepSkeleton(key, sk);
  }
  // A copy: growing boxes moves things.
  return {
    rects: new Map([...sk.rects].map(([n, r]) => [n, { ...r }])),
    edges: sk.edges.map((e) => ({ ...e, points: e.points.map((p) => ({ ...p })) })),
  };
}

function layoutGraph(namespaces: NamespaceView[]): LaidGraph {
  const sk = skeletonOf(namespaces);
  for (const ns of namespaces) {
    const st = stackSize(ns);
    growBox(sk, stackNode(ns.uid), st.w, st.h);
    for (const d of [...ns.devices].sort((a, b) => a.ifindex - b.ifindex)) {
      const s = devBoxSize(d);
      growBox(sk, devNode(d.uid), s.w, s.h);
    }
  }

  const devices: DevBox[] = [];
  const nsBoxes: NsBox[] = [];
  const devByUid = new Map<number, DevBox>();
  for (const ns of namespaces) {
    const stack = { ...sk.rects.get(stackNode(ns.uid))! };
    let x0 = stack.x;
    let y0 = stack.y;
    let x1 = stack.x + stack.w;
    let y1 = stack.y + stack.h;
    for (const d of ns.devices) {
      const box: DevBox = {
        dev: d,
        netUid: ns.uid,
        label: `${d.name} in ${nsName(ns)}`,
        ...sk.rects.get(devNode(d.uid))!,
      };
      devices.push(box);
      devByUid.set(d.uid, box);
      x0 = Math.min(x0, box.x);
      y0 = Math.min(y0, box.y);
      x1 = Math.max(x1, box.x + box.w);
      y1 = Math.max(y1, box.y + box.h);
    }
    nsBoxes.push({
      ns,
      title: ns.name ? `netns ${ns.name}` : 'host namespace',
      x: x0 - NS_PAD,
      y: y0 - NS_TITLE,
      w: x1 - x0 + 2 * NS_PAD,
      h: y1 - y0 + NS_TITLE + NS_PAD,
      stack,
      layers: layoutStack(ns, stack),
    });
  }
  const out: Link[] = sk.edges.map((e) => ({ key: e.key, kind: e.kind, from: e.from, to: e.to, points: e.points }));
  // A veth pair inside one namespace: a loop out of the right side of both boxes.
  for (const d of devices) {
    const p = d.dev.peerUid ? devByUid.get(d.dev.peerUid) : undefined;
    if (!p || p.netUid !== d.netUid || d.dev.uid > p.dev.uid) continue;
    const xr = Math.max(d.x + d.w, p.x + p.w);
    const ns = nsBoxes.find((n) => n.ns.uid === d.netUid)!;
    const bulge = xr + NS_PAD + 6;
    // Widen the namespace so the loop stays inside it.
    ns.w = Math.max(ns.w, bulge + NS_PAD - ns.x);
    out.push({
      key: `veth:${d.dev.uid}:${p.dev.uid}`,
      kind: 'veth',
      from: d.dev.uid,
      to: p.dev.uid,
      points: [
        { x: d.x + d.w, y: d.y + d.h / 2 },
        { x: bulge, y: d.y + d.h / 2 },
        { x: bulge, y: p.y + p.h / 2 },
        { x: p.x + p.w, y: p.y + p.h / 2 },
      ],
    });
  }
  let width = 0;
  let height = 0;
  for (const n of nsBoxes) {
    width = Math.max(width, n.x + n.w);
    height = Math.max(height, n.y + n.h);
  }
  return { width, height, namespaces: nsBoxes, devices, links: out };
}

function cpuBox(cpu: CpuView, x: number, y: number): CpuBox {
  const w = CPU_W;
  return {
    cpu,
    x,
    y,
    w,
    h: CPU_H,
    input: { x: x + 12, y: y + 54, w: w - 24, h: TOKEN_H + 8 },
    process: { x: x + 12, y: y + 106, w: w - 24, h: TOKEN_H + 8 },
  };
}
/** The graph of a view: recomputed only when its shape (not its counters or queues) changes. */
export function graphKey(view: Pick<StepView, 'namespaces'>): string {
  return JSON.stringify(
    view.namespaces.map((ns) => [
      ns.uid,
      ns.name,
      ns.sockets.map(socketLine),
      ns.neighbours.map(neighbourRoom),
      ns.devices.map((d) => [d.uid, d.ifindex, d.name, d.kind, d.mac, d.addrs, d.peerUid, d.masterUid, devState(d).label]),
    ]),
  );
}

/**
 * Lays the machine out for a box of the given size: the CPUs in a row under
 * the namespaces or in a column to their right, whichever lets the picture be
 * drawn larger there. Without a box, CPUs go underneath.
 */
export function layoutTopology(view: Pick<StepView, 'namespaces' | 'cpus'>, box?: { width: number; height: number }): Layout {
  const graph = layoutGraph(view.namespaces);
  const below = placeCpus(graph, view.cpus, 'below');
  if (!box || box.width <= 0 || box.height <= 0 || view.cpus.length === 0) return below;
  const right = placeCpus(graph, view.cpus, 'right');
  const scale = (l: Layout) => Math.min(box.width / l.width, box.height / l.height);
  return scale(right) > scale(below) ? right : below;
}

function placeCpus(graph: LaidGraph, cpus: CpuView[], where: 'below' | 'right'): Layout {
  const top = graph.namespaces.length ? Math.min(...graph.namespaces.map((n) => n.y)) : 0;
  const left = graph.namespaces.length ? Math.min(...graph.namespaces.map((n) => n.x)) : 0;
  // Below: as many CPUs side by side as the graph is wide (at least one), then the next row.
  const perRow = where === 'below' ? Math.max(1, Math.floor((graph.width - left + GAP) / (CPU_W + GAP))) : 1;
  const boxes = cpus.map((c, i) => {
    const col = i % perRow;
    const row = Math.floor(i / perRow);
    return where === 'below'
      ? cpuBox(c, left + col * (CPU_W + GAP), graph.height + GAP + row * (CPU_H + GAP))
      : cpuBox(c, graph.width + GAP, top + row * (CPU_H + GAP));
  });
  let width = graph.width;
  let height = graph.height;
  for (const b of boxes) {
    width = Math.max(width, b.x + b.w);
    height = Math.max(height, b.y + b.h);
  }
  return {
    width: width + NS_PAD,
    height: height + NS_PAD,
    namespaces: graph.namespaces,
    devices: graph.devices,
    cpus: boxes,
    links: graph.links,
  };
}

/** An SVG path through a link's points: straight segments with rounded corners. */
export function linkPath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    if (i < points.length - 1) {
      const n = points[i + 1];
      d += ` Q${p.x},${p.y} ${(p.x + n.x) / 2},${(p.y + n.y) / 2}`;
    } else d += ` L${p.x},${p.y}`;
  }
  return d;
}
