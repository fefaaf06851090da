// Filtering the Events panel by kind, device, skb and text. The engine sends
// each event's tracepoint, device and skb as columns, so filtering reads
// integers, and the texts (packed, see engine/worker/lines.ts) only for a text
// filter, byte by byte. Pure, so it is tested alone.
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { lineContains, linesUpTo, needleOf, type LineColumn } from '../../engine/worker/lines.ts';

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

type Events = Pick<RunSummary, 'events' | 'eventSkb' | 'eventKind' | 'eventKinds' | 'eventDevice' | 'eventDevices' | 'eventSkbs'>;

/** The tracepoint name of event `i` (`softirq netif_rx skb=3 …` → `netif_rx`). */
export function eventKind(s: Events, i: number): string {
  return s.eventKinds[s.eventKind[i]] ?? '';
}

/** The device event `i` names (`dev=…`), in `deviceKey` form, or ''. */
export function eventDevice(s: Events, i: number): string {
  const d = s.eventDevice[i];
  return d ? (s.eventDevices[d - 1] ?? '') : '';
}

/** How many events (sorted by step) happened at or before `step`. */
export function eventsUpTo(events: LineColumn, step: number): number {
  return linesUpTo(events, step);
}

/** Whether a filter narrows the events at all. */
export function filtering(f: EventFilter): boolean {
  return f.kind !== '' || f.device !== '' || f.skb !== 0 || f.text.trim() !== '';
}

/** A test of event indices against the filter (reading the columns; the text only for a text filter), or null when none can match. */
function matcher(s: Events, f: EventFilter): ((i: number) => boolean) | null {
  const text = f.text.trim();
  const kind = f.kind ? s.eventKinds.indexOf(f.kind) : -1;
  const device = f.device ? s.eventDevices.indexOf(f.device) + 1 : 0;
  if ((f.kind && kind < 0) || (f.device && device === 0)) return null;
  const needle = text ? needleOf(text) : null;
  return (i) =>
    (!f.kind || s.eventKind[i] === kind) &&
    (!f.skb || s.eventSkb[i] === f.skb) &&
    (!f.device || s.eventDevice[i] === device) &&
    (!needle || lineContains(s.events, i, needle));
}

export interface FilteredEvents {
  /** Events up to the step that pass the filter. */
  count: number;
  /** Indices of the last `limit` of them, in order. */
  shown: number[];
}

/** The events up to `step` that pass the filter: how many, and the indices of the last `limit`. */
export function filterEvents(s: Events, step: number, f: EventFilter, limit = Infinity): FilteredEvents {
  return filterFirstEvents(s, eventsUpTo(s.events, step), f, limit);
}

/**
 * The first `n` events that pass the filter (see filterEvents): a step that
 * emits no event has the same `n` as the step before, and the same answer.
 */
export function filterFirstEvents(s: Events, n: number, f: EventFilter, limit = Infinity): FilteredEvents {
  if (!filtering(f)) {
    const from = Math.max(0, n - limit);
    return { count: n, shown: Array.from({ length: n - from }, (_, k) => from + k) };
  }
  const matches = matcher(s, f);
  if (!matches) return { count: 0, shown: [] };
  const shown: number[] = [];
  let count = 0;
  // From the newest back: the shown ones are the last matches.
  for (let i = n - 1; i >= 0; i--) {
    if (!matches(i)) continue;
    if (count < limit) shown.push(i);
    count++;
  }
  return { count, shown: shown.reverse() };
}

/**
 * The step of the first event after `step` (direction 1), or of the last one
 * before it (-1), that passes the filter; null when there is none.
 */
export function matchingEventStep(s: Events, step: number, f: EventFilter, direction: 1 | -1): number | null {
  const matches = matcher(s, f);
  if (!matches) return null;
  if (direction === 1) {
    for (let i = eventsUpTo(s.events, step); i < s.events.count; i++) if (matches(i)) return s.events.steps[i];
  } else {
    for (let i = eventsUpTo(s.events, step - 1) - 1; i >= 0; i--) if (matches(i)) return s.events.steps[i];
  }
  return null;
}

/** The choices the filter offers for a run: kinds and devices in order of first appearance, skbs ascending. */
export function filterChoices(s: Events): { kinds: string[]; devices: string[]; skbs: Int32Array } {
  return { kinds: s.eventKinds, devices: s.eventDevices, skbs: s.eventSkbs };
}
