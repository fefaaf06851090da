// A deterministic layout of the machine: namespaces side by side (a d3 band
// scale), their devices stacked inside, bridges above their ports, and one
// softnet_data box per CPU underneath. Same view in, same picture out.
import { scaleBand } from 'd3';
import type { StepView, NamespaceView, DeviceView, CpuView } from '../../engine/run/view.ts';

export const NS_W = 250;
export const NS_GAP = 60;
export const DEV_H = 64;
export const DEV_GAP = 14;
export const NS_HEAD = 30;
export const NS_PAD = 20;
export const CPU_W = 250;
export const CPU_H = 142;
export const TOKEN_W = 34;
export const TOKEN_H = 18;

export interface DevBox {
  dev: DeviceView;
  netUid: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface NsBox {
  ns: NamespaceView;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Where skbs queued on this namespace's sockets are drawn. */
  socketX: number;
  socketY: number;
}

export interface CpuBox {
  cpu: CpuView;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Origins of the two queue rows (tokens go left to right from here). */
  inputX: number;
  inputY: number;
  processX: number;
  processY: number;
}

export interface Link {
  key: string;
  kind: 'veth' | 'bridge-port';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Layout {
  width: number;
  height: number;
  namespaces: NsBox[];
  devices: DevBox[];
  cpus: CpuBox[];
  links: Link[];
}

/** Bridges first, then their ports, then the rest by ifindex: ports sit just under their bridge. */
function orderDevices(devs: DeviceView[]): DeviceView[] {
  const byIf = [...devs].sort((a, b) => a.ifindex - b.ifindex);
  const out: DeviceView[] = [];
  const lo = byIf.filter((d) => d.kind === 'loopback');
  out.push(...lo);
  for (const br of byIf.filter((d) => d.kind === 'bridge')) {
    out.push(br);
    out.push(...byIf.filter((d) => d.masterUid === br.uid));
  }
  for (const d of byIf) if (!out.includes(d)) out.push(d);
  return out;
}

/**
 * Lays the machine out for a box of the given size: the CPUs either in a row
 * under the namespaces or in a column to their right, whichever lets the
 * picture be drawn larger. Without a box, CPUs go underneath.
 */
export function layoutTopology(view: Pick<StepView, 'namespaces' | 'cpus'>, box?: { width: number; height: number }): Layout {
  const below = layoutWith(view, 'below');
  if (!box || box.width <= 0 || box.height <= 0 || view.cpus.length === 0) return below;
  const right = layoutWith(view, 'right');
  const scale = (l: Layout) => Math.min(box.width / (l.width + 40), box.height / (l.height + 40));
  return scale(right) > scale(below) ? right : below;
}

function layoutWith(view: Pick<StepView, 'namespaces' | 'cpus'>, cpuPlace: 'below' | 'right'): Layout {
  const n = Math.max(1, view.namespaces.length);
  const c = view.cpus.length;
  const cpuRow = c ? c * CPU_W + (c - 1) * NS_GAP : 0;
  // Below: namespaces share at least the width of the CPU row, so the picture stays compact.
  const nsW = cpuPlace === 'below' ? Math.min(420, Math.max(NS_W, (cpuRow - (n - 1) * NS_GAP) / n)) : NS_W;
  const devW = nsW - 40;
  const nsRange = n * nsW + (n - 1) * NS_GAP;
  const band = scaleBand<number>()
    .domain(view.namespaces.map((_, i) => i))
    .range([0, nsRange])
    .paddingInner(NS_GAP / (nsW + NS_GAP))
    .paddingOuter(0);

  const devices: DevBox[] = [];
  const namespaces: NsBox[] = [];
  let maxNsH = 0;
  const ordered = view.namespaces.map((ns) => orderDevices(ns.devices));
  for (const devs of ordered) maxNsH = Math.max(maxNsH, NS_HEAD + NS_PAD + devs.length * (DEV_H + DEV_GAP) + 34);
  view.namespaces.forEach((ns, i) => {
    const x = band(i) ?? 0;
    const w = band.bandwidth() || nsW;
    const devs = ordered[i];
    devs.forEach((dev, j) => {
      const indent = dev.masterUid ? 16 : 0;
      devices.push({
        dev,
        netUid: ns.uid,
        x: x + (w - devW) / 2 + indent,
        y: NS_HEAD + j * (DEV_H + DEV_GAP),
        w: devW - indent,
        h: DEV_H,
      });
    });
    namespaces.push({ ns, x, y: 0, w, h: maxNsH, socketX: x + 16, socketY: maxNsH - 26 });
  });

  const byUid = new Map(devices.map((d) => [d.dev.uid, d]));
  const links: Link[] = [];
  for (const d of devices) {
    if (d.dev.kind === 'veth' && d.dev.peerUid && d.dev.uid < d.dev.peerUid) {
      const p = byUid.get(d.dev.peerUid);
      if (p) {
        const sameNs = p.netUid === d.netUid;
        if (sameNs) {
          // Loop the cable out of the right side of both boxes.
          links.push({
            key: `veth-${d.dev.uid}`,
            kind: 'veth',
            x1: d.x + d.w,
            y1: d.y + d.h / 2,
            x2: p.x + p.w,
            y2: p.y + p.h / 2,
          });
        } else {
          const left = d.x < p.x ? d : p;
          const right = left === d ? p : d;
          links.push({
            key: `veth-${d.dev.uid}`,
            kind: 'veth',
            x1: left.x + left.w,
            y1: left.y + left.h / 2,
            x2: right.x,
            y2: right.y + right.h / 2,
          });
        }
      }
    }
    if (d.dev.masterUid) {
      const br = byUid.get(d.dev.masterUid);
      if (br)
        links.push({ key: `port-${d.dev.uid}`, kind: 'bridge-port', x1: br.x + 8, y1: br.y + br.h, x2: d.x, y2: d.y + d.h / 2 });
    }
  }

  let cpus: CpuBox[];
  let width: number;
  let height: number;
  const cpuBox = (cpu: CpuView, x: number, y: number): CpuBox => ({
    cpu,
    x,
    y,
    w: CPU_W,
    h: CPU_H,
    inputX: x + 12,
    inputY: y + 44,
    processX: x + 12,
    processY: y + 84,
  });
  if (cpuPlace === 'below') {
    const cpuTop = maxNsH + 40;
    cpus = view.cpus.map((cpu, i) => cpuBox(cpu, i * (CPU_W + NS_GAP), cpuTop));
    width = Math.max(nsRange, cpuRow) + 80; // room for same-namespace cable loops
    height = cpuTop + (cpus.length ? CPU_H : 0);
  } else {
    const cpuX = nsRange + 80;
    cpus = view.cpus.map((cpu, i) => cpuBox(cpu, cpuX, i * (CPU_H + 24)));
    width = cpuX + CPU_W;
    height = Math.max(maxNsH, c * CPU_H + (c - 1) * 24);
  }
  return { width, height, namespaces, devices, cpus, links };
}

/** An SVG path for a cable: a loop for two ends in one namespace, a curve otherwise. */
export function linkPath(l: Link): string {
  if (l.kind === 'veth' && Math.abs(l.x1 - l.x2) < 1) {
    const bulge = 40;
    return `M${l.x1},${l.y1} C${l.x1 + bulge},${l.y1} ${l.x2 + bulge},${l.y2} ${l.x2},${l.y2}`;
  }
  if (l.kind === 'bridge-port') return `M${l.x1},${l.y1} V${l.y2} H${l.x2}`;
  const mx = (l.x1 + l.x2) / 2;
  return `M${l.x1},${l.y1} C${mx},${l.y1} ${mx},${l.y2} ${l.x2},${l.y2}`;
}
