// One list per tcpdump in the scenario: the packets it has printed so far.
import { useMemo } from 'react';
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';
import { LineList, lastLines } from './LineList.tsx';
import { linesUpTo, type LineColumn } from '../../engine/worker/lines.ts';

/**
 * A capture's packets up to the step on display: drawn again when the step
 * brings a packet, not at every step (its lines are decoded then only).
 */
function CaptureLines({ lines: column, title }: { lines: LineColumn; title: string }) {
  const count = useExplorer((s) => linesUpTo(column, s.view?.step ?? 0));
  const { lines, earlier } = useMemo(() => lastLines(column, count), [column, count]);
  if (count === 0) return <p className="muted">No packets yet.</p>;
  return <LineList lines={lines} earlier={earlier} label={title} className="capture-lines" />;
}

export function CapturesPanel() {
  const captures = useExplorer((s) => s.summary?.captures);
  return (
    <Panel id="captures" label="Captures">
      {!captures || captures.length === 0 ? (
        <p className="muted">No tcpdump in this scenario.</p>
      ) : (
        captures.map((c) => {
          const title = `tcpdump -i ${c.dev}${c.netName ? ` (netns ${c.netName})` : ''}`;
          return (
            <div key={c.index} className="capture">
              <h3>{title}</h3>
              <CaptureLines lines={c.lines} title={title} />
            </div>
          );
        })
      )}
    </Panel>
  );
}
