// Searches over a recorded run: "next drop", "next packet on this device",
// breakpoints on a function, a device or a drop reason, and the anchors of
// the gallery's notes ("the 2nd netif_receive_skb on veth1 in ns1"). They
// scan the recorder's typed columns, never the views, so they stay cheap on
// runs of millions of steps; and they name steps by what happens in them, so
// an anchor keeps pointing at the same moment when step numbering changes.
import type { Run } from './run.ts';
import { KERNEL_FUNCTIONS } from '../trace/functions.ts';
import { STEP_RETURN } from '../trace/recorder.ts';
import { EVENT_NAMES, EV_KFREE_SKB, EV_NET_DEV_QUEUE, EV_NETIF_RECEIVE_SKB } from '../trace/eventlog.ts';

/**
 * What a search looks for. With `fn`, the steps that call that kernel
 * function (optionally for one skb); otherwise the steps that emit a
 * tracepoint event matching every filter given.
 */
export interface StepQuery {
  /** A modelled kernel function's name: matches the steps that enter it (not those that return from it). */
  fn?: string;
  /** Tracepoint event names (any of them); `packet` stands for a packet queued on or received by a device. */
  event?: string | string[];
  /** The event's `dev=`. */
  dev?: string;
  /** The namespace the event happened in: its `ip netns add` name, '' for the host. */
  netns?: string;
  /** A kfree_skb's drop reason (implies `event: 'kfree_skb'`). */
  reason?: string;
  /** The engine's skb id. */
  skb?: number;
  /** Text the event's key=value fields must contain, e.g. `dst=10.3.3.2`. */
  where?: string;
}

/** A step named by the `nth` (1-based, default 1) match of a query from the start of the run. */
export interface StepAnchor extends StepQuery {
  nth?: number;
}

/** The events a device sees a packet with: handed to its queue (tx) or received from it (rx). */
export const PACKET_EVENTS = ['net_dev_queue', 'netif_receive_skb'];

function eventKinds(q: StepQuery): Set<number> | null {
  let names = q.event === undefined ? [] : Array.isArray(q.event) ? q.event : [q.event];
  if (names.includes('packet')) names = [...names.filter((n) => n !== 'packet'), ...PACKET_EVENTS];
  if (q.reason !== undefined && !names.length) names = ['kfree_skb'];
  if (!names.length) return null;
  const kinds = new Set<number>();
  for (const n of names) {
    const k = EVENT_NAMES.indexOf(n);
    if (k < 0) throw new Error(`"${n}" is not a tracepoint skbwalk records (it records ${EVENT_NAMES.join(', ')})`);
    kinds.add(k);
  }
  return kinds;
}

/** Every namespace the run made, by uid (deleted ones are still in an earlier checkpoint or the final world). */
function namespaceNames(run: Run): Map<number, string> {
  const names = new Map<number, string>();
  for (const w of [...run.checkpoints.map((c) => c.world), run.final]) for (const n of w.nets) names.set(n.uid, n.name);
  return names;
}

/** A predicate on event indices, or null for a function query. */
function eventMatcher(run: Run, q: StepQuery): ((i: number) => boolean) | null {
  if (q.fn !== undefined) return null;
  const ev = run.rec.events;
  const kinds = eventKinds(q);
  const nets = q.netns !== undefined ? namespaceNames(run) : null;
  return (i) =>
    (kinds === null || kinds.has(ev.kind[i])) &&
    (q.dev === undefined || ev.dev(i) === q.dev) &&
    (nets === null || nets.get(ev.netUid[i]) === q.netns) &&
    (q.reason === undefined || ev.reason(i) === q.reason) &&
    (q.skb === undefined || ev.skb[i] === q.skb) &&
    (q.where === undefined || ev.fields(i).includes(q.where));
}

function functionId(name: string): number {
  const id = KERNEL_FUNCTIONS.findIndex((f) => f.name === name);
  if (id < 0) throw new Error(`${name} is not a kernel function skbwalk models`);
  return id;
}

/** The view step (1..total) whose call emitted event `i`. */
function stepOfEvent(run: Run, i: number): number {
  return run.rec.events.step[i] + 1;
}

/**
 * The next (direction 1) or previous (-1) step after `from` (a view step,
 * 0..total) that the query matches, or null.
 */
export function findStep(run: Run, from: number, direction: 1 | -1, q: StepQuery): number | null {
  const rec = run.rec;
  const total = rec.count;
  const match = eventMatcher(run, q);
  if (match === null) {
    const id = functionId(q.fn!);
    for (let s = from + direction; s >= 1 && s <= total; s += direction) {
      const i = s - 1;
      if (rec.kind[i] !== STEP_RETURN && rec.fn[i] === id && (q.skb === undefined || rec.skb[i] === q.skb)) return s;
    }
    return null;
  }
  const n = rec.events.length;
  if (direction === 1) {
    // Events of steps after `from` start at the first event of step index `from`.
    for (let i = from < total ? rec.eventStart[from] : n; i < n; i++) if (match(i)) return stepOfEvent(run, i);
  } else {
    for (let i = from >= 1 ? Math.min(rec.eventStart[from - 1], n) - 1 : -1; i >= 0; i--) {
      if (match(i)) return stepOfEvent(run, i);
    }
  }
  return null;
}

/** The step an anchor names: its nth match, counting events (or calls) from the start of the run. */
export function resolveAnchor(run: Run, a: StepAnchor): number | null {
  let left = a.nth ?? 1;
  if (!Number.isInteger(left) || left < 1) throw new Error(`an anchor's nth must be a whole number from 1 (got ${a.nth})`);
  const rec = run.rec;
  const match = eventMatcher(run, a);
  if (match === null) {
    const id = functionId(a.fn!);
    for (let i = 0; i < rec.count; i++) {
      if (rec.kind[i] !== STEP_RETURN && rec.fn[i] === id && (a.skb === undefined || rec.skb[i] === a.skb) && --left === 0)
        return i + 1;
    }
    return null;
  }
  for (let i = 0; i < rec.events.length; i++) if (match(i) && --left === 0) return stepOfEvent(run, i);
  return null;
}

/** Drop reasons in the order the run first drops a packet for them. */
export function dropReasons(run: Run): string[] {
  const ev = run.rec.events;
  const seen = new Set<string>();
  for (let i = 0; i < ev.length; i++) if (ev.kind[i] === EV_KFREE_SKB) seen.add(ev.reason(i));
  return [...seen];
}

/** The devices packets pass in the run, as `netns/dev` keys ('' netns for the host). */
export function packetDevices(run: Run): { netns: string; dev: string }[] {
  const ev = run.rec.events;
  const nets = namespaceNames(run);
  const seen = new Map<string, { netns: string; dev: string }>();
  for (let i = 0; i < ev.length; i++) {
    const k = ev.kind[i];
    if (k !== EV_NET_DEV_QUEUE && k !== EV_NETIF_RECEIVE_SKB) continue;
    const d = { netns: nets.get(ev.netUid[i]) ?? '', dev: ev.dev(i) };
    seen.set(`${d.netns}/${d.dev}`, d);
  }
  return [...seen.values()];
}
