// The machine at this step, drawn as SVG: namespaces with their protocol
// stacks and devices, veth cables and bridge ports, each CPU's softnet_data,
// and every skb where it is. The picture keeps its text readable (never under
// 11 px): when it is larger than the panel it is panned, by hand (drag, wheel
// zoom) or by following the device the current call works on.
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from '../components/Panel.tsx';
import type { CpuView, DeviceView, NamespaceView, SocketView, StepView } from '../../engine/run/view.ts';
import {
  MIN_FONT,
  TOKEN_H,
  devLines,
  devState,
  graphKey,
  layoutTopology,
  linkPath,
  neighbourLine,
  acceptLine,
  pillWidth,
  socketLine,
  textWidth,
  SOCK_QUEUE_LABELS,
  type CpuBox,
  type DevBox,
  type Layout,
  type NsBox,
  type Rect,
  type SockBox,
} from './layout.ts';
import {
  anchorGraph,
  currentDevUid,
  currentSkbId,
  placeTokens,
  routeBetween,
  sockQueueName,
  SOCK_QUEUE_WORDS,
  type Place,
  type SockQueue,
  type Point,
} from './places.ts';
import { SkbToken } from './SkbToken.tsx';
import { Legend } from './Legend.tsx';
import { usePanZoom, type PanZoomView } from './usePanZoom.ts';
import { afterNextPaint } from '../afterPaint.ts';

/** The smallest scale the view starts at: the smallest text stays at 11 px or more. */
export const MIN_SCALE = 11 / MIN_FONT + 0.005;
const MAX_START_SCALE = 1.15;
const EDGE = 12;

function DeviceNode({ box, dev, active }: { box: DevBox; dev: DeviceView; active: boolean }) {
  const st = devState(dev);
  const l = devLines(dev);
  const pw = pillWidth(st.label);
  return (
    <g
      className={`dev dev-${dev.kind}${active ? ' active' : ''}`}
      data-testid={`dev-${dev.name}`}
      role="group"
      aria-label={box.label}
      aria-current={active ? 'location' : undefined}
      transform={`translate(${box.x},${box.y})`}
    >
      <title>{`${box.label}: ${l.meta}, mtu ${dev.mtu}, operstate ${dev.state}, rx ${dev.rxPackets} tx ${dev.txPackets}`}</title>
      <rect width={box.w} height={box.h} rx={8} className="dev-box" />
      <text x={10} y={20} className="dev-name">
        {l.head}
        <tspan className="dev-meta" dx={8}>
          {l.meta}
        </tspan>
      </text>
      <rect x={box.w - pw - 8} y={7} width={pw} height={18} rx={9} className={`state state-${st.cls}`} />
      <text x={box.w - 8 - pw / 2} y={20} textAnchor="middle" className={`state-text state-text-${st.cls}`}>
        {st.label}
      </text>
      <text x={10} y={26 + 15} className="dev-mac">
        {l.mac}
      </text>
      {l.addrs.map((a, i) => (
        <text key={a} x={10} y={26 + 15 + 17 * (i + 1)} className="dev-addr">
          {a}
        </text>
      ))}
    </g>
  );
}

// Every view arrives as fresh objects from the worker, so a plain memo would
// never hit: a device redraws only when its box or any of its fields changed
// (with 100 namespaces, re-rendering all 200 devices each step cost ~10 ms).
const Device = memo(
  DeviceNode,
  (a, b) => a.active === b.active && a.box === b.box && JSON.stringify(a.dev) === JSON.stringify(b.dev),
);

function clip(s: string, width: number): string {
  const n = Math.floor(width / (MIN_FONT * 0.62));
  return s.length > n ? `${s.slice(0, Math.max(0, n - 1))}…` : s;
}

const Namespace = memo(function Namespace({ box }: { box: NsBox }) {
  return (
    <g className="ns" data-testid={`ns-${box.ns.name || 'host'}`}>
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={14} className="ns-box" />
      <text x={box.x + 12} y={box.y + 20} className="ns-name">
        {box.title}
      </text>
    </g>
  );
});

/** A namespace's protocol stack, bottom up: IP, ARP with the neighbour cache, ICMP, the sockets; and its drop spot. */
function Stack({ box, ns, drop }: { box: NsBox; ns: NamespaceView; drop: string }) {
  const lines = (layer: string): string[] => {
    if (layer === 'socket') return ns.sockets.length ? [] : ['none open'];
    if (layer === 'arp') return ns.neighbours.map(neighbourLine);
    return [];
  };
  const s = box.stack;
  return (
    <g className="stack" aria-hidden="true">
      <rect x={s.x} y={s.y} width={s.w} height={s.h} rx={8} className="stack-box" />
      {box.layers.map((l) => (
        <g key={l.layer} className={`layer layer-${l.layer}${l.layer === 'drop' && drop ? ' on' : ''}`}>
          <rect x={l.x} y={l.y} width={l.w} height={l.h} rx={5} className="layer-box" />
          <text x={l.x + 6} y={l.y + 17} className="layer-title">
            {l.layer === 'drop' ? (drop ? '✕ dropped' : 'drops') : l.title}
          </text>
          {(l.layer === 'drop' ? (drop ? [`reason: ${drop}`] : []) : lines(l.layer)).map((t, i) => (
            <text key={i} x={l.x + 6} y={l.y + 17 + 17 * (i + 1)} className="layer-line">
              {clip(t, l.w - 12)}
            </text>
          ))}
        </g>
      ))}
    </g>
  );
}

/** Where a listener's children are written on its accept queue line, after the line's label, as many as fit. */
function acceptItems(sk: SocketView, r: Rect): { id: number; x: number }[] {
  const out: { id: number; x: number }[] = [];
  let x = r.x + 6 + textWidth(acceptLine(sk), MIN_FONT) + 10;
  for (const id of sk.acceptQueue) {
    const w = textWidth(`sk ${id}`, MIN_FONT);
    if (x + w > r.x + r.w - 6) break;
    out.push({ id, x });
    x += w + 10;
  }
  return out;
}

/** A socket's queue rows: its receive queue, and a TCP connection's write and retransmit queues. */
function sockQueues(b: SockBox): [SockQueue, Rect][] {
  const out: [SockQueue, Rect][] = [['receive', b.queue]];
  if (b.write) out.push(['write', b.write]);
  if (b.rtx) out.push(['rtx', b.rtx]);
  return out;
}

/**
 * A namespace's sockets, each keyed by the engine's id: its line as ss shows
 * it (protocol, local and peer address, state), its receive queue with the
 * skbs in it, a TCP connection's write queue (data written, not yet sent) and
 * retransmit queue (sent, kept until acknowledged), and a listener's accept queue (its children waiting for
 * accept(), and how many handshakes are half done).
 */
function Sockets({
  boxes,
  live,
  tokens,
}: {
  boxes: SockBox[];
  live: Map<number, SocketView>;
  tokens: (sock: number, queue: SockQueue) => ReactNode[];
}) {
  return (
    <>
      {boxes.map((b) => {
        const sk = live.get(b.sock.id) ?? b.sock;
        const state = sk.state ? `, ${sk.state}` : '';
        return (
          <g key={sk.id} className="sock" role="group" aria-label={`${b.label}${state}`} data-testid={`sock-${sk.id}`}>
            <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={5} className="sock-box" />
            <text x={b.x + 6} y={b.y + 13} className="sock-line">
              {clip(socketLine(sk), b.w - 12)}
            </text>
            {sockQueues(b).map(([queue, r]) => (
              <g key={queue}>
                <text x={b.x + 6} y={r.y + r.h / 2 + 4} className="sock-queue-label">
                  {SOCK_QUEUE_LABELS[queue]}
                </text>
                <rect x={r.x} y={r.y} width={r.w} height={r.h} rx={5} className="queue-box" />
                <g role="list" aria-label={`${b.label} ${SOCK_QUEUE_WORDS[queue]}`}>
                  {tokens(sk.id, queue)}
                </g>
              </g>
            ))}
            {b.accept && (
              <g role="list" aria-label={`${b.label} accept queue`}>
                <text x={b.accept.x + 6} y={b.accept.y + 13} className="sock-accept">
                  {acceptLine(sk)}
                </text>
                {acceptItems(sk, b.accept).map(({ id, x }) => {
                  const child = live.get(id);
                  return (
                    <g key={id} role="listitem" aria-label={`socket ${id}${child ? ` from ${child.peer}` : ''}`}>
                      <text x={x} y={b.accept!.y + 13} className="sock-child">
                        {`sk ${id}`}
                      </text>
                    </g>
                  );
                })}
              </g>
            )}
          </g>
        );
      })}
    </>
  );
}

const LinkPath = memo(function LinkPath({ d, kind }: { d: string; kind: string }) {
  return <path d={d} className={`link link-${kind}`} />;
});

function Cpu({
  box,
  cpu,
  running,
  tokens,
}: {
  box: CpuBox;
  cpu: CpuView;
  running: string | null;
  tokens: { input: ReactNode[]; process: ReactNode[] };
}) {
  const flag = `NET_RX ${cpu.netRxPending ? 'pending' : 'idle'}`;
  const fw = pillWidth(flag);
  const w = box.w - 24;
  const queue = (name: 'input_pkt_queue' | 'process_queue', r: Rect, ids: number[], items: ReactNode[], testid: string) => (
    <g data-testid={testid} className="queue">
      <text x={r.x} y={r.y - 7} className="queue-label">
        {name} ({ids.length})
      </text>
      <rect x={r.x} y={r.y} width={r.w} height={r.h} rx={6} className="queue-box" />
      <g role="list" aria-label={`cpu${cpu.cpu} ${name}`}>
        {items}
      </g>
    </g>
  );
  return (
    <g className={`cpu${running ? ' running' : ''}`} data-testid={`cpu${cpu.cpu}`}>
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={10} className="cpu-box" />
      <text x={box.x + 12} y={box.y + 22} className="cpu-title">
        cpu{cpu.cpu} softnet_data
      </text>
      <g className={`flag ${cpu.netRxPending ? 'on' : 'off'}`}>
        <rect x={box.x + box.w - fw - 10} y={box.y + 9} width={fw} height={19} rx={9} />
        <text x={box.x + box.w - 10 - fw / 2} y={box.y + 22.5} textAnchor="middle">
          {flag}
        </text>
      </g>
      {queue('input_pkt_queue', box.input, cpu.inputPktQueue, tokens.input, `backlog-cpu${cpu.cpu}`)}
      {queue('process_queue', box.process, cpu.processQueue, tokens.process, `process-cpu${cpu.cpu}`)}
      <text x={box.x + 12} y={box.y + box.h - 32} className="cpu-foot">
        {clip(
          `poll_list: ${cpu.pollList.length ? cpu.pollList.join(', ') : '—'}${cpu.budgetUsed ? ` · budget used ${cpu.budgetUsed}` : ''}`,
          w,
        )}
      </text>
      <text x={box.x + 12} y={box.y + box.h - 12} className="cpu-foot">
        {clip(
          `${cpu.inNetRxAction ? 'in net_rx_action' : ''}${running ? `${cpu.inNetRxAction ? ' · ' : ''}▶ running (${running})` : ''}`,
          w,
        )}
      </text>
    </g>
  );
}

/** The smallest rectangle holding all of `rects`. */
function union(rects: Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  return {
    x,
    y,
    w: Math.max(...rects.map((r) => r.x + r.w)) - x,
    h: Math.max(...rects.map((r) => r.y + r.h)) - y,
  };
}

/**
 * The part of the picture the current call is about: `whole` is its device
 * and where its skb is; `first` is what must be seen whole when both do not
 * fit (where the skb is: the stack's row, the socket, the queue; else the
 * device, or the CPU's softnet_data).
 */
interface Focus {
  first: Rect;
  whole: Rect;
}

function focusOf(view: StepView, layout: Layout, places: Place[]): Focus | null {
  const uid = currentDevUid(view);
  const dev = layout.devices.find((d) => d.dev.uid === uid);
  const skb = currentSkbId(view);
  const tok = places.find((p) => p.id === skb);
  let at: Rect | undefined;
  if (tok) {
    // A token on a layer of the stack: the whole row, so its title (and a drop's reason) is read with it.
    const [kind, net, layer] = tok.anchor.split(':');
    const layers = layout.namespaces.find((n) => n.ns.uid === Number(net))?.layers;
    // A token in a socket's queue: the socket with it, so its addresses are read with it.
    const row =
      kind === 'layer'
        ? layers?.find((l) => l.layer === layer)
        : kind === 'sock'
          ? layers?.find((l) => l.layer === 'socket')?.sockets.find((b) => b.sock.id === Number(layer))
          : undefined;
    at = row ?? { x: tok.x, y: tok.y, w: tok.w, h: TOKEN_H };
  }
  if (at) return { first: at, whole: dev ? union([dev, at]) : at };
  if (dev) return { first: dev, whole: dev };
  // A call on no device and no skb (net_rx_action, process_backlog, the queue helpers) works on its CPU's softnet_data.
  const cpu = view.ctx ? layout.cpus.find((c) => c.cpu.cpu === view.cpu) : undefined;
  return cpu ? { first: cpu, whole: cpu } : null;
}

/** A translation along one axis that shows as much of the picture as fits: centred when it all fits, never past an edge. */
function clampAxis(t: number, size: number, view: number): number {
  if (size + 2 * EDGE <= view) return (view - size) / 2;
  return Math.min(EDGE, Math.max(view - size - EDGE, t));
}

function clamped(layout: Layout, box: { width: number; height: number }, x: number, y: number, k: number): PanZoomView {
  return { x: clampAxis(x, layout.width * k, box.width), y: clampAxis(y, layout.height * k, box.height), k };
}

function startTransform(layout: Layout, box: { width: number; height: number }): PanZoomView {
  const fit = Math.min((box.width - 2 * EDGE) / layout.width, (box.height - 2 * EDGE) / layout.height);
  const k = Math.max(MIN_SCALE, Math.min(MAX_START_SCALE, fit));
  return clamped(layout, box, EDGE, EDGE, k);
}

/**
 * The translation along one axis that shows `first` (from lo to hi, in
 * screen px at the current scale) and as much of `whole` as fits: `whole`
 * centred when it fits, else `first` whole on the side towards the rest.
 */
function followAxis(t: number, first: [number, number], whole: [number, number], view: number, m: number): number {
  const [flo, fhi] = first;
  const [wlo, whi] = whole;
  if (whi - wlo + 2 * m <= view) return t + view / 2 - (wlo + whi) / 2;
  if (fhi - flo + 2 * m > view) return t + m - flo;
  // The rest of `whole` lies mostly before `first`: `first` goes to the far edge, so that the rest shows.
  return flo - wlo > whi - fhi ? t + view - m - fhi : t + m - flo;
}

/** The transform that brings the focus into view, or null when what must be seen is in view already. */
function followTransform(layout: Layout, t: PanZoomView, f: Focus, box: { width: number; height: number }): PanZoomView | null {
  const m = 16;
  const screen = (r: Rect) => ({
    x0: r.x * t.k + t.x,
    y0: r.y * t.k + t.y,
    x1: (r.x + r.w) * t.k + t.x,
    y1: (r.y + r.h) * t.k + t.y,
  });
  const inView = (r: Rect) => {
    const s = screen(r);
    return s.x0 >= m && s.y0 >= m && s.x1 <= box.width - m && s.y1 <= box.height - m;
  };
  const fits = (r: Rect) => r.w * t.k + 2 * m <= box.width && r.h * t.k + 2 * m <= box.height;
  const wholeFits = fits(f.whole);
  // The whole focus when it fits.
  if (wholeFits && inView(f.whole)) return null;
  const a = screen(f.first);
  const w = screen(f.whole);
  const nx = followAxis(t.x, [a.x0, a.x1], [w.x0, w.x1], box.width, m);
  const ny = followAxis(t.y, [a.y0, a.y1], [w.y0, w.y1], box.height, m);
  const next = clamped(layout, box, nx, ny, t.k);
  if (wholeFits || !inView(f.first)) return next;
  // What must be seen is in view, the whole does not fit: pan only to show
  // more of the rest (the device off to one side), never to show as much.
  const shown = (v: PanZoomView) => {
    const dx = v.x - t.x;
    const dy = v.y - t.y;
    const ox = Math.min(w.x1 + dx, box.width - m) - Math.max(w.x0 + dx, m);
    const oy = Math.min(w.y1 + dy, box.height - m) - Math.max(w.y0 + dy, m);
    return Math.max(0, ox) * Math.max(0, oy);
  };
  return shown(next) > shown(t) + 1 ? next : null;
}

/**
 * How much of the diagram's height the reader sees: on tablets and phones the
 * current call is pinned over the bottom of the screen, so what follows the
 * packet must stay above it.
 */
function seenHeight(svg: SVGSVGElement, height: number): number {
  const r = svg.getBoundingClientRect();
  const bar = document.querySelector('.current-call');
  const barTop = bar && getComputedStyle(bar).position === 'fixed' ? bar.getBoundingClientRect().top : innerHeight;
  const bottom = Math.min(r.bottom, barTop, innerHeight);
  return Math.max(Math.min(height, 140), Math.min(height, bottom - r.top));
}

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export function Topology() {
  const view = useExplorer((s) => s.view);
  const selectedSkb = useExplorer((s) => s.selectedSkb);
  const svgRef = useRef<SVGSVGElement>(null);
  const gRef = useRef<SVGGElement>(null);
  const [box, setBox] = useState<{ width: number; height: number } | undefined>(undefined);
  const [follow, setFollow] = useState(true);
  const [hovered, setHovered] = useState<number | null>(null);

  // The graph is laid out again only when its shape changes (devices, addresses, neighbours), never per step.
  const key = view ? graphKey(view) : '';
  const cpuCount = view?.cpus.length ?? 0;
  const wide = box ? box.width >= box.height * 1.6 : false;
  const sized = box !== undefined;
  const layout = useMemo(
    () => (view ? layoutTopology(view, box) : null),
    [key, cpuCount, wide, sized], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const graph = useMemo(() => (layout ? anchorGraph(layout) : null), [layout]);
  const placed = useMemo(() => (view && layout ? placeTokens(view, layout) : { places: [], overflow: [] }), [view, layout]);
  const places = placed.places;

  // Where each token was at the previous step, to travel from: derived state, updated during render.
  const [moves, setMoves] = useState<{ places: Place[]; prev: Map<number, Place> }>({ places, prev: new Map() });
  if (moves.places !== places) {
    setMoves({ places, prev: new Map(moves.places.map((p) => [p.id, p])) });
  }
  const prev = moves.prev;

  // The box the picture is drawn in.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (!r) return;
      const next = { width: Math.round(r.width), height: Math.round(r.height) };
      setBox((b) => (b && b.width === next.width && b.height === next.height ? b : next));
    });
    ro.observe(svg);
    return () => ro.disconnect();
  }, [view !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  const panZoom = usePanZoom(svgRef, gRef, layout !== null, box);

  // A new picture (or a new panel size) starts at its readable fit.
  useEffect(() => {
    if (!layout || !box) return;
    panZoom.set(startTransform(layout, box));
  }, [layout, box, panZoom]);

  // Follow the current call: pan (never zoom) when its device or skb is out of view.
  useEffect(() => {
    if (!follow || !layout || !box || !view) return;
    const r = focusOf(view, layout, places);
    if (!r) return;
    // Once the step is painted: reading the page's geometry before that would lay out the whole
    // page inside the step's task, and the frame would lay it out again after the pan.
    return afterNextPaint(() => {
      const svg = svgRef.current;
      const seen = svg ? { width: box.width, height: seenHeight(svg, box.height) } : box;
      const t = followTransform(layout, panZoom.current(), r, seen);
      if (!t) return;
      if (reducedMotion()) panZoom.set(t);
      else panZoom.glide(t, 250);
    });
  }, [view, layout, box, places, follow, panZoom]);

  const resetView = () => {
    if (layout && box) panZoom.set(startTransform(layout, box));
  };

  if (!view || !layout || !graph) {
    return (
      <Panel id="topology" label="Topology">
        <p className="muted">No run yet.</p>
      </Panel>
    );
  }

  const select_ = (id: number) => useExplorer.getState().selectSkb(id);
  // A token reached with the keyboard is brought into view.
  const reveal = (p: Place) => {
    if (!box) return;
    const r = { x: p.x, y: p.y, w: p.w, h: TOKEN_H };
    const t = followTransform(layout, panZoom.current(), { first: r, whole: r }, box);
    if (t) panZoom.set(t);
  };
  const activeUid = currentDevUid(view);
  const currentSkb = view.skb?.id ?? currentSkbId(view);
  const devByUid = new Map<number, DeviceView>();
  const nsByUid = new Map<number, NamespaceView>();
  for (const ns of view.namespaces) {
    nsByUid.set(ns.uid, ns);
    for (const d of ns.devices) devByUid.set(d.uid, d);
  }
  const pathOf = (p: Place): Point[] => {
    const was = prev.get(p.id);
    if (!was || (was.x === p.x && was.y === p.y)) return [];
    const hw = p.w / 2;
    const hh = TOKEN_H / 2;
    const mid = was.anchor === p.anchor ? [] : (routeBetween(layout, graph, was.anchor, p.anchor) ?? []);
    return [{ x: was.x, y: was.y }, ...mid.map((c) => ({ x: c.x - hw, y: c.y - hh })), { x: p.x, y: p.y }];
  };
  const token = (p: Place) => (
    <SkbToken
      key={p.id}
      place={p}
      path={pathOf(p)}
      current={p.id === currentSkb}
      selected={p.id === selectedSkb}
      onSelect={select_}
      onHover={setHovered}
      onFocusToken={reveal}
    />
  );
  const queueItems = (queue: string) =>
    places
      .filter((p) => p.queue === queue)
      .map((p) => (
        <g key={p.id} role="listitem" aria-label={p.name}>
          {token(p)}
        </g>
      ));
  const drops = new Map<number, string>();
  for (const p of places)
    if (p.dropReason) {
      const net = Number(p.anchor.split(':')[1]);
      drops.set(net, p.dropReason);
    }
  const hoveredPlace = hovered !== null ? places.find((p) => p.id === hovered) : undefined;

  return (
    <Panel
      id="topology"
      label="Topology"
      actions={
        <>
          <button
            type="button"
            className="small"
            aria-pressed={follow}
            onClick={() => setFollow((f) => !f)}
            title="Pan the diagram to the device the current call works on"
          >
            Follow
          </button>
          <button type="button" className="small" onClick={resetView} title="Reset zoom and pan">
            Reset view
          </button>
        </>
      }
    >
      <div className="topology-wrap">
        <svg
          ref={svgRef}
          className="topology"
          role="group"
          aria-label={`Network topology: ${view.namespaces.length} namespace(s), ${layout.devices.length} device(s), ${view.cpus.length} CPU(s)`}
          onClick={(e) => {
            if (e.target === svgRef.current) useExplorer.getState().selectSkb(null);
          }}
        >
          <g ref={gRef}>
            {layout.namespaces.map((n) => (
              <Namespace key={n.ns.uid} box={n} />
            ))}
            {layout.links.map((l) => (
              <LinkPath key={l.key} d={linkPath(l.points)} kind={l.kind} />
            ))}
            {layout.namespaces.map((n) => (
              <Stack key={n.ns.uid} box={n} ns={nsByUid.get(n.ns.uid) ?? n.ns} drop={drops.get(n.ns.uid) ?? ''} />
            ))}
            {layout.namespaces.map((n) => (
              <Sockets
                key={n.ns.uid}
                boxes={n.layers.find((l) => l.layer === 'socket')?.sockets ?? []}
                live={new Map((nsByUid.get(n.ns.uid) ?? n.ns).sockets.map((s) => [s.id, s]))}
                tokens={(sock, queue) => queueItems(sockQueueName(sock, queue))}
              />
            ))}
            {layout.devices.map((d) => (
              <Device key={d.dev.uid} box={d} dev={devByUid.get(d.dev.uid) ?? d.dev} active={d.dev.uid === activeUid} />
            ))}
            {layout.cpus.map((c) => {
              const cpu = view.cpus.find((x) => x.cpu === c.cpu.cpu) ?? c.cpu;
              return (
                <Cpu
                  key={c.cpu.cpu}
                  box={c}
                  cpu={cpu}
                  running={view.ctx && view.cpu === cpu.cpu ? view.ctx : null}
                  tokens={{
                    input: queueItems(`cpu${cpu.cpu} input_pkt_queue`),
                    process: queueItems(`cpu${cpu.cpu} process_queue`),
                  }}
                />
              );
            })}
            <g className="free-tokens">{places.filter((p) => !p.queue).map(token)}</g>
            {placed.overflow.map((o) => (
              <text key={o.anchor} x={o.x} y={o.y + 15} className="token-overflow">
                +{o.count}
              </text>
            ))}
            {hoveredPlace && <TokenTip place={hoveredPlace} />}
          </g>
        </svg>
        <Legend />
      </div>
    </Panel>
  );
}

/** The one-line summary of a hovered (or focused) token, above it. */
function TokenTip({ place }: { place: Place }) {
  const w = textWidth(place.summary, MIN_FONT) + 16;
  return (
    <g className="skb-tip" pointerEvents="none" transform={`translate(${place.x},${place.y - 30})`}>
      <rect width={w} height={24} rx={5} />
      <text x={8} y={16.5}>
        {place.summary}
      </text>
    </g>
  );
}
