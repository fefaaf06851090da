// Filtering the Events panel by kind, device and skb: the summary's event
// lines with their namespace and skb columns. Pure, so it is tested alone.
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { deviceKey } from '../store.ts';

export interface EventFilter {
  /** Tracepoint name, '' for any. */
  kind: string;
  /** A device in `deviceKey` form, '' for any. */
  device: string;
  /** An skb id, 0 for any. */
  skb: number;
  /** Free text the line must contain (case-insensitive), '' for any. */
  text: string;
}

export const NO_FILTER: EventFilter = { kind: '', device: '', skb: 0, text: '' };

type Events = Pick<RunSummary, 'events' | 'eventNetns' | 'eventSkb' | 'namespaceNames'>;

/** The tracepoint name of an event line (`softirq netif_rx skb=3 …` → `netif_rx`). */
export function eventKind(text: string): string {
  const sp = text.indexOf(' ');
  const end = text.indexOf(' ', sp + 1);
  return text.slice(sp + 1, end < 0 ? undefined : end);
}

/** The device an event names (`dev=…`), in `deviceKey` form, or ''. */
export function eventDevice(s: Events, i: number): string {
  const m = / dev=(\S+)/.exec(s.events[i].text);
  return m && m[1] !== '(no_device)' ? deviceKey(s.namespaceNames[s.eventNetns[i]] ?? '', m[1]) : '';
}

/** How many events (sorted by step) happened at or before `step`. */
export function eventsUpTo(events: { step: number }[], step: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].step <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a filter narrows the events at all. */
export function filtering(f: EventFilter): boolean {
  return f.kind !== '' || f.device !== '' || f.skb !== 0 || f.text.trim() !== '';
}

/** A test of event indices against the filter. */
function matcher(s: Events, f: EventFilter): (i: number) => boolean {
  const text = f.text.trim().toLowerCase();
  return (i) => {
    const e = s.events[i];
    if (f.kind && eventKind(e.text) !== f.kind) return false;
    if (f.skb && s.eventSkb[i] !== f.skb) return false;
    if (f.device && eventDevice(s, i) !== f.device) return false;
    return !text || e.text.toLowerCase().includes(text);
  };
}

/** Indices of the events up to `step` that pass the filter. */
export function filterEvents(s: Events, step: number, f: EventFilter): number[] {
  const matches = matcher(s, f);
  const out: number[] = [];
  const n = eventsUpTo(s.events, step);
  for (let i = 0; i < n; i++) if (matches(i)) out.push(i);
  return out;
}

/**
 * The step of the first event after `step` (direction 1), or of the last one
 * before it (-1), that passes the filter; null when there is none.
 */
export function matchingEventStep(s: Events, step: number, f: EventFilter, direction: 1 | -1): number | null {
  const matches = matcher(s, f);
  if (direction === 1) {
    for (let i = eventsUpTo(s.events, step); i < s.events.length; i++) if (matches(i)) return s.events[i].step;
  } else {
    for (let i = eventsUpTo(s.events, step - 1) - 1; i >= 0; i--) if (matches(i)) return s.events[i].step;
  }
  return null;
}

/** The choices the filter offers for a run: kinds, devices and skbs that occur, in order of first appearance. */
export function filterChoices(s: Events): { kinds: string[]; devices: string[]; skbs: number[] } {
  const kinds = new Set<string>();
  const devices = new Set<string>();
  const skbs = new Set<number>();
  for (let i = 0; i < s.events.length; i++) {
    kinds.add(eventKind(s.events[i].text));
    const d = eventDevice(s, i);
    if (d) devices.add(d);
    if (s.eventSkb[i]) skbs.add(s.eventSkb[i]);
  }
  return { kinds: [...kinds], devices: [...devices], skbs: [...skbs].sort((a, b) => a - b) };
}
