// Tracepoint events emitted so far, filterable by kind, device, skb and text;
// with a filter set, ◀ and ▶ jump to the previous or next step with an event
// that passes it (the list shows the events up to the step on display).
import { useMemo, useState } from 'react';
import type { RunSummary } from '../../engine/worker/protocol.ts';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';
import { LineList, MAX_LINES } from './LineList.tsx';
import {
  NO_FILTER,
  eventsUpTo,
  filterChoices,
  filterFirstEvents,
  filtering,
  matchingEventStep,
  type EventFilter,
} from './eventFilter.ts';
import { lineAt } from '../../engine/worker/lines.ts';

/** Past this many skbs, the skb filter is a number field rather than a menu. */
const MAX_SKB_CHOICES = 500;

/**
 * ◀ and ▶ with a filter set: the previous and next step with a matching
 * event. They follow the step; the rest of the panel follows only the count
 * of events up to it.
 */
function MatchingSteps({ summary, filter }: { summary: RunSummary; filter: EventFilter }) {
  const step = useExplorer((s) => s.view?.step ?? 0);
  const previous = useMemo(() => matchingEventStep(summary, step, filter, -1), [summary, step, filter]);
  const next = useMemo(() => matchingEventStep(summary, step, filter, 1), [summary, step, filter]);
  const goTo = useExplorer((s) => s.goTo);
  return (
    <>
      <button
        type="button"
        aria-label="Previous matching event"
        title="Go to the previous step with an event that passes the filter"
        disabled={previous === null}
        onClick={() => previous !== null && goTo(previous)}
      >
        ◀
      </button>
      <button
        type="button"
        aria-label="Next matching event"
        title="Go to the next step with an event that passes the filter"
        disabled={next === null}
        onClick={() => next !== null && goTo(next)}
      >
        ▶
      </button>
    </>
  );
}

export function EventsPanel() {
  const summary = useExplorer((s) => s.summary);
  // The panel is drawn again when the step brings events, not at every step (its filter's fields
  // drawn again cost the browser a style pass over them).
  const total = useExplorer((s) => (s.summary ? eventsUpTo(s.summary.events, s.view?.step ?? 0) : 0));
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const choices = useMemo(
    () => (summary ? filterChoices(summary) : { kinds: [], devices: [], skbs: new Int32Array(0) }),
    [summary],
  );
  // Filtered and decoded again only when the step brings events, not at every step.
  const filtered = useMemo(
    () => (summary ? filterFirstEvents(summary, total, filter, MAX_LINES) : { count: 0, shown: [] }),
    [summary, total, filter],
  );
  const visible = useMemo(() => (summary ? filtered.shown.map((i) => lineAt(summary.events, i)) : []), [summary, filtered]);
  const set = (patch: Partial<EventFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const narrowed = filtering(filter);
  return (
    <Panel
      id="events"
      label="Events"
      actions={
        <div className="event-filters" role="group" aria-label="Event filters">
          <select aria-label="Event kind" value={filter.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">all kinds</option>
            {choices.kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <select aria-label="Event device" value={filter.device} onChange={(e) => set({ device: e.target.value })}>
            <option value="">all devices</option>
            {choices.devices.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          {choices.skbs.length > MAX_SKB_CHOICES ? (
            <input
              className="skb-filter"
              type="number"
              min={0}
              aria-label="Event skb"
              placeholder="skb #"
              value={filter.skb || ''}
              onChange={(e) => set({ skb: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })}
            />
          ) : (
            <select aria-label="Event skb" value={filter.skb} onChange={(e) => set({ skb: Number(e.target.value) })}>
              <option value={0}>all skbs</option>
              {Array.from(choices.skbs, (n) => (
                <option key={n} value={n}>
                  skb {n}
                </option>
              ))}
            </select>
          )}
          <input
            className="filter"
            type="search"
            aria-label="Filter events"
            placeholder="filter…"
            value={filter.text}
            onChange={(e) => set({ text: e.target.value })}
          />
          {narrowed && summary && <MatchingSteps summary={summary} filter={filter} />}
        </div>
      }
    >
      {visible.length === 0 ? (
        <p className="muted">{total === 0 ? 'No tracepoint events yet.' : 'No event matches the filter.'}</p>
      ) : (
        <LineList lines={visible} earlier={filtered.count - visible.length} label="Tracepoint events" className="events" />
      )}
    </Panel>
  );
}
