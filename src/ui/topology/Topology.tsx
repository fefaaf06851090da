// The machine at this step, drawn as SVG: namespaces, their devices, veth
// cables and bridge ports, each CPU's softnet_data, and the skbs in flight.
// Zoom and pan with the mouse wheel / drag (d3-zoom).
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import { useExplorer } from '../store.ts';
import { Panel } from '../components/Panel.tsx';
import { layoutTopology, linkPath, TOKEN_W, TOKEN_H, type CpuBox, type DevBox, type Layout, type NsBox } from './layout.ts';
import { SkbToken, type Point } from './SkbToken.tsx';
import type { StepView } from '../../engine/run/view.ts';

function devState(d: DevBox['dev']): { label: string; cls: string } {
  if (!d.up) return { label: 'DOWN', cls: 'down' };
  if (!d.carrier) return { label: 'NO-CARRIER', cls: 'nocarrier' };
  return { label: 'UP', cls: 'up' };
}

/** The device the current call is working on: the innermost frame that names one. */
function currentDevName(view: StepView): string | null {
  for (let i = view.stack.length - 1; i >= 0; i--) if (view.stack[i].dev) return view.stack[i].dev;
  return view.skb?.dev ?? null;
}

function DeviceNode({ box, active }: { box: DevBox; active: boolean }) {
  const d = box.dev;
  const st = devState(d);
  const kind = d.kind === 'loopback' ? 'loopback' : d.kind;
  return (
    <g
      className={`dev dev-${d.kind}${active ? ' active' : ''}`}
      data-testid={`dev-${d.name}`}
      transform={`translate(${box.x},${box.y})`}
    >
      <title>{`${d.name}: ${kind}, ifindex ${d.ifindex}, mtu ${d.mtu}, operstate ${d.state}, rx ${d.rxPackets} tx ${d.txPackets}`}</title>
      <rect width={box.w} height={box.h} rx={8} className="dev-box" />
      <text x={10} y={18} className="dev-name">
        {d.name}
        <tspan className="dev-meta" dx={6}>
          #{d.ifindex} {kind}
        </tspan>
      </text>
      <rect x={box.w - 78} y={6} width={70} height={16} rx={8} className={`state state-${st.cls}`} />
      <text x={box.w - 43} y={18} textAnchor="middle" className={`state-text state-text-${st.cls}`}>
        {st.label}
      </text>
      <text x={10} y={36} className="dev-mac">
        {d.mac}
      </text>
      <text x={10} y={53} className="dev-addr">
        {d.addrs.length ? d.addrs.join(', ') : 'no address'}
      </text>
    </g>
  );
}

// Every view arrives as fresh objects from the worker, so a plain memo would
// never hit: a device redraws only when its box or any of its fields changed
// (with 100 namespaces, re-rendering all 200 devices each step cost ~10 ms).
const sameDev = (a: DevBox, b: DevBox) =>
  a.x === b.x &&
  a.y === b.y &&
  a.w === b.w &&
  a.h === b.h &&
  a.netUid === b.netUid &&
  JSON.stringify(a.dev) === JSON.stringify(b.dev);
const Device = memo(DeviceNode, (a, b) => a.active === b.active && sameDev(a.box, b.box));

/** A namespace's box; primitive props, so memo skips unchanged ones. */
const Namespace = memo(function Namespace({
  x,
  y,
  w,
  h,
  name,
  socketX,
  socketY,
  foot,
}: {
  x: number;
  y: number;
  w: number;
  h: number;
  name: string;
  socketX: number;
  socketY: number;
  foot: string;
}) {
  return (
    <g className="ns" data-testid={`ns-${name || 'host'}`}>
      <rect x={x} y={y} width={w} height={h} rx={14} className="ns-box" />
      <text x={x + 12} y={y + 20} className="ns-name">
        {name ? `netns ${name}` : 'host namespace'}
      </text>
      <text x={socketX} y={socketY} className="ns-foot">
        {foot}
      </text>
    </g>
  );
});

const LinkPath = memo(function LinkPath({ d, kind }: { d: string; kind: string }) {
  return <path d={d} className={`link link-${kind}`} />;
});

function Cpu({ box, tokens, running }: { box: CpuBox; tokens: ReactNode[][]; running: string | null }) {
  const c = box.cpu;
  return (
    <g className={`cpu${running ? ' running' : ''}`} data-testid={`cpu${c.cpu}`}>
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={10} className="cpu-box" />
      <text x={box.x + 12} y={box.y + 20} className="cpu-title">
        cpu{c.cpu} softnet_data
      </text>
      <g className={`flag ${c.netRxPending ? 'on' : 'off'}`}>
        <rect x={box.x + box.w - 92} y={box.y + 7} width={84} height={17} rx={8} />
        <text x={box.x + box.w - 50} y={box.y + 19.5} textAnchor="middle">
          NET_RX {c.netRxPending ? 'pending' : 'idle'}
        </text>
      </g>
      <g data-testid={`backlog-cpu${c.cpu}`} className="queue">
        <text x={box.inputX} y={box.inputY - 5} className="queue-label">
          input_pkt_queue ({c.inputPktQueue.length})
        </text>
        <rect x={box.inputX - 4} y={box.inputY} width={box.w - 16} height={TOKEN_H + 6} rx={5} className="queue-box" />
        {tokens[0]}
      </g>
      <g data-testid={`process-cpu${c.cpu}`} className="queue">
        <text x={box.processX} y={box.processY - 5} className="queue-label">
          process_queue ({c.processQueue.length})
        </text>
        <rect x={box.processX - 4} y={box.processY} width={box.w - 16} height={TOKEN_H + 6} rx={5} className="queue-box" />
        {tokens[1]}
      </g>
      <text x={box.x + 12} y={box.y + box.h - 24} className="cpu-foot">
        poll_list: {c.pollList.length ? c.pollList.join(', ') : '—'}
        {c.budgetUsed ? ` · budget used ${c.budgetUsed}` : ''}
      </text>
      <text x={box.x + 12} y={box.y + box.h - 9} className="cpu-foot">
        {c.inNetRxAction ? 'in net_rx_action' : ''}
      </text>
      {running && (
        <text x={box.x + box.w - 10} y={box.y + box.h - 9} textAnchor="end" className="cpu-running">
          ▶ running ({running})
        </text>
      )}
    </g>
  );
}

function nsFoot(ns: NsBox['ns']): string {
  const parts: string[] = [];
  if (ns.sockets.length) parts.push(`raw sockets: ${ns.sockets.length}`);
  if (ns.neighbours.length) parts.push(`neigh: ${ns.neighbours.map((x) => `${x.key} ${x.state}`).join(', ')}`);
  return parts.join(' · ');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, Math.max(0, n - 1))}…` : s;
}

type Place = { id: number; x: number; y: number; container: string };

function placeTokens(view: StepView, layout: Layout): Place[] {
  const out: Place[] = [];
  const queued = new Set<number>();
  const devBox = (name: string | undefined | null, netUid?: number) =>
    name
      ? (layout.devices.find((d) => d.dev.name === name && (netUid === undefined || d.netUid === netUid)) ??
        layout.devices.find((d) => d.dev.name === name))
      : undefined;
  const counters = new Map<string, number>();
  const next = (k: string) => {
    const n = counters.get(k) ?? 0;
    counters.set(k, n + 1);
    return n;
  };
  for (const p of view.skbs) {
    queued.add(p.skb);
    if ((p.where === 'backlog' || p.where === 'process_queue') && p.cpu !== undefined) {
      const box = layout.cpus.find((c) => c.cpu.cpu === p.cpu);
      if (!box) continue;
      const k = `${p.where}-${p.cpu}`;
      const i = next(k);
      const ox = p.where === 'backlog' ? box.inputX : box.processX;
      const oy = p.where === 'backlog' ? box.inputY : box.processY;
      out.push({ id: p.skb, x: ox + i * (TOKEN_W + 4), y: oy + 3, container: k });
    } else if (p.where === 'neigh_queue') {
      const d = devBox(p.dev, p.netUid);
      if (!d) continue;
      const i = next(`neigh-${d.dev.uid}`);
      out.push({ id: p.skb, x: d.x + d.w - TOKEN_W - 8 - i * (TOKEN_W + 4), y: d.y + d.h - TOKEN_H - 2, container: 'free' });
    } else if (p.where === 'socket') {
      const ns = layout.namespaces.find((n) => n.ns.uid === p.netUid) ?? layout.namespaces[0];
      if (!ns) continue;
      const i = next(`sock-${ns.ns.uid}`);
      out.push({ id: p.skb, x: ns.socketX + 60 + i * (TOKEN_W + 4), y: ns.socketY - TOKEN_H + 6, container: 'free' });
    } else if (p.dev) {
      const d = devBox(p.dev, p.netUid);
      if (d) out.push({ id: p.skb, x: d.x + d.w - TOKEN_W - 8, y: d.y + 26, container: 'free' });
    }
  }
  // skbs held by the calls on the stack: each at the device of the innermost frame that holds it.
  const held = new Map<number, string | null>();
  for (const f of view.stack) if (f.skb > 0) held.set(f.skb, f.dev ?? held.get(f.skb) ?? null);
  if (view.skb) held.set(view.skb.id, currentDevName(view) ?? held.get(view.skb.id) ?? view.skb.dev);
  let parked = 0;
  for (const [id, devName] of held) {
    if (queued.has(id)) continue;
    const d = devBox(devName);
    if (d) {
      const i = next(`held-${d.dev.uid}`);
      out.push({ id, x: d.x + d.w - TOKEN_W - 8 - i * (TOKEN_W + 4), y: d.y + 23, container: 'free' });
    } else {
      // Not on a device yet (being built in the stack): park it above the first namespace.
      const ns = layout.namespaces[0];
      if (ns) out.push({ id, x: ns.x + ns.w - TOKEN_W - 10 - parked++ * (TOKEN_W + 4), y: 6, container: 'free' });
    }
  }
  return out;
}

export function Topology() {
  const view = useExplorer((s) => s.view);
  const selectedSkb = useExplorer((s) => s.selectedSkb);
  const toggleSkb = (id: number) => {
    const a = useExplorer.getState();
    a.selectSkb(a.selectedSkb === id ? null : id);
  };
  const svgRef = useRef<SVGSVGElement>(null);
  const gRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [box, setBox] = useState<{ width: number; height: number } | undefined>(undefined);

  const layout = useMemo(() => (view ? layoutTopology(view, box) : null), [view, box]);

  // The box the picture must fit (the layout picks its arrangement for it).
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (!r) return;
      const next = { width: Math.round(r.width / 10) * 10, height: Math.round(r.height / 10) * 10 };
      setBox((b) => (b && b.width === next.width && b.height === next.height ? b : next));
    });
    ro.observe(svg);
    return () => ro.disconnect();
  }, [view !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const svg = svgRef.current;
    const g = gRef.current;
    if (!svg || !g) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.3, 6])
      .on('zoom', (e) => {
        select(g).attr('transform', e.transform.toString());
      });
    zoomRef.current = z;
    select(svg).call(z).on('dblclick.zoom', null);
    return () => {
      select(svg).on('.zoom', null);
    };
  }, [layout !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  const places = useMemo(() => (view && layout ? placeTokens(view, layout) : []), [view, layout]);
  // Where each token was drawn before this step, so it can move from there:
  // derived state, updated during render when the places change.
  const [moves, setMoves] = useState<{ places: Place[]; prev: Map<number, Point> }>({ places, prev: new Map() });
  if (moves.places !== places) {
    const m = new Map<number, Point>();
    for (const p of moves.places) m.set(p.id, { x: p.x, y: p.y });
    setMoves({ places, prev: m });
  }
  const prev = moves.prev;

  const resetZoom = () => {
    if (svgRef.current && zoomRef.current) select(svgRef.current).call(zoomRef.current.transform, zoomIdentity);
  };

  if (!view || !layout) {
    return (
      <Panel id="topology" label="Topology">
        <p className="muted">No run yet.</p>
      </Panel>
    );
  }

  const activeDev = currentDevName(view);
  const currentSkb = view.skb?.id ?? [...view.stack].reverse().find((f) => f.skb > 0)?.skb ?? 0;
  const token = (p: Place) => (
    <SkbToken
      key={p.id}
      id={p.id}
      x={p.x}
      y={p.y}
      from={prev.get(p.id)}
      current={p.id === currentSkb}
      selected={p.id === selectedSkb}
      onSelect={toggleSkb}
    />
  );
  const cpuTokens = (box: CpuBox) => [
    places.filter((p) => p.container === `backlog-${box.cpu.cpu}`).map(token),
    places.filter((p) => p.container === `process_queue-${box.cpu.cpu}`).map(token),
  ];
  const pad = 20;
  return (
    <Panel
      id="topology"
      label="Topology"
      actions={
        <button type="button" className="small" onClick={resetZoom} title="Reset zoom and pan">
          Reset view
        </button>
      }
    >
      <svg
        ref={svgRef}
        className="topology"
        viewBox={`${-pad} ${-pad} ${layout.width + 2 * pad} ${layout.height + 2 * pad}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={`Network topology: ${view.namespaces.length} namespace(s), ${layout.devices.length} device(s), ${view.cpus.length} CPU(s)`}
      >
        <g ref={gRef}>
          {layout.namespaces.map((n) => (
            <Namespace
              key={n.ns.uid}
              x={n.x}
              y={n.y}
              w={n.w}
              h={n.h}
              name={n.ns.name}
              socketX={n.socketX}
              socketY={n.socketY}
              foot={clip(nsFoot(n.ns), Math.floor((n.w - 24) / 5.6))}
            />
          ))}
          {layout.links.map((l) => (
            <LinkPath key={l.key} d={linkPath(l)} kind={l.kind} />
          ))}
          {layout.devices.map((d) => (
            <Device key={d.dev.uid} box={d} active={d.dev.name === activeDev} />
          ))}
          {layout.cpus.map((c) => (
            <Cpu key={c.cpu.cpu} box={c} tokens={cpuTokens(c)} running={view.ctx && view.cpu === c.cpu.cpu ? view.ctx : null} />
          ))}
          <g className="free-tokens">{places.filter((p) => p.container === 'free').map(token)}</g>
        </g>
      </svg>
    </Panel>
  );
}
