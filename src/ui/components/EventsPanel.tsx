// Tracepoint events emitted so far, filterable by kind, device, skb and text.
import { useMemo, useState } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';
import { LineList } from './LineList.tsx';
import { NO_FILTER, eventsUpTo, filterChoices, filterEvents, type EventFilter } from './eventFilter.ts';

export function EventsPanel() {
  const summary = useExplorer((s) => s.summary);
  const step = useExplorer((s) => s.view?.step ?? 0);
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const choices = useMemo(() => (summary ? filterChoices(summary) : { kinds: [], devices: [], skbs: [] }), [summary]);
  const visible = useMemo(
    () => (summary ? filterEvents(summary, step, filter).map((i) => summary.events[i]) : []),
    [summary, step, filter],
  );
  const total = useMemo(() => (summary ? eventsUpTo(summary.events, step) : 0), [summary, step]);
  const set = (patch: Partial<EventFilter>) => setFilter((f) => ({ ...f, ...patch }));
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
          <select aria-label="Event skb" value={filter.skb} onChange={(e) => set({ skb: Number(e.target.value) })}>
            <option value={0}>all skbs</option>
            {choices.skbs.map((n) => (
              <option key={n} value={n}>
                skb {n}
              </option>
            ))}
          </select>
          <input
            className="filter"
            type="search"
            aria-label="Filter events"
            placeholder="filter…"
            value={filter.text}
            onChange={(e) => set({ text: e.target.value })}
          />
        </div>
      }
    >
      {visible.length === 0 ? (
        <p className="muted">{total === 0 ? 'No tracepoint events yet.' : 'No event matches the filter.'}</p>
      ) : (
        <LineList lines={visible} label="Tracepoint events" className="events" />
      )}
    </Panel>
  );
}
