// The machine at this step, drawn as SVG: namespaces with their protocol
// stacks and devices, veth cables and bridge ports, each CPU's softnet_data,
// and every skb where it is. The picture keeps its text readable (never under
// 11 px): when it is larger than the panel it is panned, by hand (drag, wheel
// zoom) or by following the device the current call works on.
import { createContext, memo, useContext, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
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
import { shareEqual } from '../shareEqual.ts';

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

// A view shares every part that did not change with the previous one (the
// store's shareEqual), so a device redraws only when its box, a field or its
// highlight changed (with 100 namespaces, re-rendering all 200 devices each
// step cost ~10 ms). Likewise every part of the picture below.
const Device = memo(DeviceNode);

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
const Stack = memo(function Stack({ box, ns, drop }: { box: NsBox; ns: NamespaceView; drop: string }) {
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
});

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
function SocketsNode({
  boxes,
  sockets,
  tokens,
}: {
  boxes: SockBox[];
  /** The namespace's sockets at this step. */
  sockets: SocketView[];
  /** The tokens of each queue of these sockets, by the queue's name (sockQueueName); none when absent. */
  tokens: Map<string, ReactElement[]>;
}) {
  const live = new Map(sockets.map((s) => [s.id, s]));
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
                  {tokens.get(sockQueueName(sk.id, queue))}
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

const Sockets = memo(SocketsNode, (a, b) => a.boxes === b.boxes && a.sockets === b.sockets && sameTokenLists(a.tokens, b.tokens));

const LinkPath = memo(function LinkPath({ d, kind }: { d: string; kind: string }) {
  return <path d={d} className={`link link-${kind}`} />;
});

function CpuNode({
  box,
  cpu,
  running,
  input,
  process,
}: {
  box: CpuBox;
  cpu: CpuView;
  running: string | null;
  /** The tokens of its input_pkt_queue and process_queue. */
  input: ReactElement[];
  process: ReactElement[];
}) {
  const flag = `NET_RX ${cpu.netRxPending ? 'pending' : 'idle'}`;
  const fw = pillWidth(flag);
  const w = box.w - 24;
  const queue = (name: 'input_pkt_queue' | 'process_queue', r: Rect, ids: number[], items: ReactElement[], testid: string) => (
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
      {queue('input_pkt_queue', box.input, cpu.inputPktQueue, input, `backlog-cpu${cpu.cpu}`)}
      {queue('process_queue', box.process, cpu.processQueue, process, `process-cpu${cpu.cpu}`)}
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

const Cpu = memo(
  CpuNode,
  (a, b) =>
    a.box === b.box &&
    a.cpu === b.cpu &&
    a.running === b.running &&
    sameElements(a.input, b.input) &&
    sameElements(a.process, b.process),
);

/** Whether two lists of elements would draw the same: the same keys, types and props, in order. */
function sameElements(a: ReactElement[], b: ReactElement[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.key !== y.key || x.type !== y.type) return false;
    const px = x.props as Record<string, unknown>;
    const py = y.props as Record<string, unknown>;
    const keys = Object.keys(px);
    if (keys.length !== Object.keys(py).length) return false;
    for (const k of keys) if (!Object.is(px[k], py[k])) return false;
  }
  return true;
}

function sameTokenLists(a: Map<string, ReactElement[]>, b: Map<string, ReactElement[]>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, items] of a) {
    const other = b.get(k);
    if (!other || !sameElements(items, other)) return false;
  }
  return true;
}

/** Everything a token needs that is the same for all tokens of a picture (one object while the picture stays). */
interface TokenEnv {
  layout: Layout;
  graph: ReturnType<typeof anchorGraph>;
  onHover: (id: number | null) => void;
  onFocusToken: (p: Place) => void;
}

const TokenEnvContext = createContext<TokenEnv | null>(null);

const selectSkb = (id: number) => useExplorer.getState().selectSkb(id);

/** Top-left positions along the drawn path from `from` (its place at the previous step) to `to`; none when it stayed. */
function travel(layout: Layout, graph: TokenEnv['graph'], from: Place | undefined, to: Place): Point[] {
  if (!from || (from.x === to.x && from.y === to.y)) return NO_PATH;
  const hw = to.w / 2;
  const hh = TOKEN_H / 2;
  const mid = from.anchor === to.anchor ? [] : (routeBetween(layout, graph, from.anchor, to.anchor) ?? []);
  return [{ x: from.x, y: from.y }, ...mid.map((c) => ({ x: c.x - hw, y: c.y - hh })), { x: to.x, y: to.y }];
}

const NO_PATH: Point[] = [];

/**
 * An skb's token, redrawn only when its place, where it comes from, or its
 * highlight changes: a token that stays put costs a step nothing (its
 * animation is not looked at again).
 */
const Token = memo(function Token({
  place,
  from,
  current,
  selected,
}: {
  place: Place;
  from: Place | undefined;
  current: boolean;
  selected: boolean;
}) {
  const env = useContext(TokenEnvContext)!;
  const path = useMemo(() => travel(env.layout, env.graph, from, place), [env, from, place]);
  return (
    <SkbToken
      place={place}
      path={path}
      current={current}
      selected={selected}
      onSelect={selectSkb}
      onHover={env.onHover}
      onFocusToken={env.onFocusToken}
    />
  );
});

/** A token of a queue: an item of the queue's list. */
const QueueItem = memo(function QueueItem(props: { place: Place; from: Place | undefined; current: boolean; selected: boolean }) {
  return (
    <g role="listitem" aria-label={props.place.name}>
      <Token {...props} />
    </g>
  );
});

const NO_TOKENS: ReactElement[] = [];
const NO_SOCKETS: SockBox[] = [];
const NOTHING_PLACED: ReturnType<typeof placeTokens> = { places: [], overflow: [] };
const NO_SOCKET_TOKENS = new Map<string, ReactElement[]>();

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

  // The graph is laid out again only when its shape changes (devices, addresses, neighbours), never per step;
  // its key is made again only when a namespace changed (the view shares the unchanged ones).
  const namespaces = view?.namespaces;
  const key = useMemo(() => (namespaces ? graphKey({ namespaces }) : ''), [namespaces]);
  const cpuCount = view?.cpus.length ?? 0;
  const wide = box ? box.width >= box.height * 1.6 : false;
  const sized = box !== undefined;
  const layout = useMemo(
    () => (view ? layoutTopology(view, box) : null),
    [key, cpuCount, wide, sized], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const graph = useMemo(() => (layout ? anchorGraph(layout) : null), [layout]);
  const fresh = useMemo(() => (view && layout ? placeTokens(view, layout) : NOTHING_PLACED), [view, layout]);

  // The tokens' places, sharing each unchanged one with the previous step's (so that its token is not
  // drawn again), and where each token was at the previous step, to travel from: derived state, updated
  // during render.
  const [moves, setMoves] = useState(() => ({ fresh, placed: fresh, prev: new Map<number, Place>() }));
  if (moves.fresh !== fresh) {
    setMoves({
      fresh,
      placed: shareEqual(moves.placed, fresh),
      prev: new Map(moves.placed.places.map((p) => [p.id, p])),
    });
  }
  const { placed, prev } = moves;
  const places = placed.places;

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

  // What every token shares: one object while the picture and its panel stay.
  const tokenEnv = useMemo<TokenEnv | null>(
    () =>
      layout && graph
        ? {
            layout,
            graph,
            onHover: setHovered,
            // A token reached with the keyboard is brought into view.
            onFocusToken: (p: Place) => {
              if (!box) return;
              const r = { x: p.x, y: p.y, w: p.w, h: TOKEN_H };
              const t = followTransform(layout, panZoom.current(), { first: r, whole: r }, box);
              if (t) panZoom.set(t);
            },
          }
        : null,
    [layout, graph, box, panZoom],
  );
  // The parts drawn the same at every step of the picture.
  const nsBoxes = useMemo(() => layout?.namespaces.map((n) => <Namespace key={n.ns.uid} box={n} />), [layout]);
  const links = useMemo(() => layout?.links.map((l) => <LinkPath key={l.key} d={linkPath(l.points)} kind={l.kind} />), [layout]);

  if (!view || !layout || !graph || !tokenEnv) {
    return (
      <Panel id="topology" label="Topology">
        <p className="muted">No run yet.</p>
      </Panel>
    );
  }

  const activeUid = currentDevUid(view);
  const currentSkb = view.skb?.id ?? currentSkbId(view);
  const devByUid = new Map<number, DeviceView>();
  const nsByUid = new Map<number, NamespaceView>();
  for (const ns of view.namespaces) {
    nsByUid.set(ns.uid, ns);
    for (const d of ns.devices) devByUid.set(d.uid, d);
  }
  // Each queue's tokens, by the queue's name, and the tokens of no queue.
  const queued = new Map<string, ReactElement[]>();
  const free: ReactElement[] = [];
  for (const p of places) {
    const props = { place: p, from: prev.get(p.id), current: p.id === currentSkb, selected: p.id === selectedSkb };
    if (!p.queue) {
      free.push(<Token key={p.id} {...props} />);
      continue;
    }
    let items = queued.get(p.queue);
    if (!items) queued.set(p.queue, (items = []));
    items.push(<QueueItem key={p.id} {...props} />);
  }
  // The tokens in the queues of each namespace's sockets (none: the same empty map at every step).
  const socketTokens = (net: number): Map<string, ReactElement[]> => {
    const socks = nsByUid.get(net)?.sockets ?? [];
    let out: Map<string, ReactElement[]> | null = null;
    for (const sk of socks)
      for (const q of ['receive', 'write', 'rtx'] as const) {
        const items = queued.get(sockQueueName(sk.id, q));
        if (items) (out ??= new Map()).set(sockQueueName(sk.id, q), items);
      }
    return out ?? NO_SOCKET_TOKENS;
  };
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
        <TokenEnvContext.Provider value={tokenEnv}>
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
              {nsBoxes}
              {links}
              {layout.namespaces.map((n) => (
                <Stack key={n.ns.uid} box={n} ns={nsByUid.get(n.ns.uid) ?? n.ns} drop={drops.get(n.ns.uid) ?? ''} />
              ))}
              {layout.namespaces.map((n) => (
                <Sockets
                  key={n.ns.uid}
                  boxes={n.layers.find((l) => l.layer === 'socket')?.sockets ?? NO_SOCKETS}
                  sockets={(nsByUid.get(n.ns.uid) ?? n.ns).sockets}
                  tokens={socketTokens(n.ns.uid)}
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
                    input={queued.get(`cpu${cpu.cpu} input_pkt_queue`) ?? NO_TOKENS}
                    process={queued.get(`cpu${cpu.cpu} process_queue`) ?? NO_TOKENS}
                  />
                );
              })}
              <g className="free-tokens">{free}</g>
              {placed.overflow.map((o) => (
                <text key={o.anchor} x={o.x} y={o.y + 15} className="token-overflow">
                  +{o.count}
                </text>
              ))}
              {hoveredPlace && <TokenTip place={hoveredPlace} />}
            </g>
          </svg>
        </TokenEnvContext.Provider>
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
