// One list per tcpdump in the scenario: the packets it has printed so far.
import { useExplorer } from '../store.ts';
import { Panel } from './Panel.tsx';
import { LineList, lastLinesUpTo } from './LineList.tsx';

export function CapturesPanel() {
  const captures = useExplorer((s) => s.summary?.captures);
  const step = useExplorer((s) => s.view?.step ?? 0);
  return (
    <Panel id="captures" label="Captures">
      {!captures || captures.length === 0 ? (
        <p className="muted">No tcpdump in this scenario.</p>
      ) : (
        captures.map((c) => {
          const { lines, earlier } = lastLinesUpTo(c.lines, step);
          const title = `tcpdump -i ${c.dev}${c.netName ? ` (netns ${c.netName})` : ''}`;
          return (
            <div key={c.index} className="capture">
              <h3>{title}</h3>
              {lines.length + earlier === 0 ? (
                <p className="muted">No packets yet.</p>
              ) : (
                <LineList lines={lines} earlier={earlier} label={title} className="capture-lines" />
              )}
            </div>
          );
        })
      )}
    </Panel>
  );
}
