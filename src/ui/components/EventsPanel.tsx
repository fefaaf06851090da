// Tracepoint events emitted so far, filterable by text.
import { useMemo, useState } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';
import { LineList } from './LineList.tsx';

export function EventsPanel() {
  const events = useExplorer((s) => s.summary?.events);
  const step = useExplorer((s) => s.view?.step ?? 0);
  const [filter, setFilter] = useState('');
  const visible = useMemo(() => {
    if (!events) return [];
    const f = filter.trim().toLowerCase();
    return events.filter((e) => e.step <= step && (!f || e.text.toLowerCase().includes(f)));
  }, [events, step, filter]);
  const total = events ? events.filter((e) => e.step <= step).length : 0;
  return (
    <Panel
      id="events"
      label="Events"
      actions={
        <input
          className="filter"
          type="search"
          aria-label="Filter events"
          placeholder="filter…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
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
