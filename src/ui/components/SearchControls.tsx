// Jumps a reader expects from a packet tracer's event list, both ways: the
// next or previous drop, the next or previous packet on the device of the
// current call. The ◀ buttons (or Shift+click, or Shift with the key) search
// backward.
import { useExplorer, deviceKey } from '../store.ts';
import type { StepView } from '../../engine/run/view.ts';

/** The device of the innermost call that has one, as `deviceKey` names it. */
export function currentDevice(view: StepView | null): string | null {
  if (!view) return null;
  for (let i = view.stack.length - 1; i >= 0; i--) {
    const f = view.stack[i];
    if (f.dev) {
      const ns = view.namespaces.find((n) => n.uid === f.netUid);
      return deviceKey(ns?.name ?? '', f.dev);
    }
  }
  return null;
}

/** Shift+click searches backward. */
const way = (e: { shiftKey: boolean }): 1 | -1 => (e.shiftKey ? -1 : 1);

export function SearchControls() {
  const ready = useExplorer((s) => s.summary !== null);
  const device = useExplorer((s) => currentDevice(s.view));
  const a = useExplorer.getState();
  const packetTitle = device ? `packet queued on or received by ${device}` : null;
  return (
    <div className="search-controls" role="group" aria-label="Jump to">
      <span className="seek-pair">
        <button
          type="button"
          className="seek-back"
          aria-label="Previous drop"
          onClick={() => void a.seekDrop(-1)}
          disabled={!ready}
          title="Previous step that drops a packet (Shift+D)"
        >
          ◀
        </button>
        <button
          type="button"
          onClick={(e) => void a.seekDrop(way(e))}
          disabled={!ready}
          title="Next step that drops a packet, kfree_skb (D; Shift+click or Shift+D: the previous one)"
        >
          Next drop
        </button>
      </span>
      <span className="seek-pair">
        <button
          type="button"
          className="seek-back"
          aria-label={`Previous packet on ${device ?? 'this device'}`}
          onClick={() => device && void a.seekPacketOn(device, -1)}
          disabled={!ready || !device}
          title={packetTitle ? `Previous ${packetTitle} (Shift+P)` : 'The current call has no device'}
        >
          ◀
        </button>
        <button
          type="button"
          onClick={(e) => device && void a.seekPacketOn(device, way(e))}
          disabled={!ready || !device}
          title={
            packetTitle ? `Next ${packetTitle} (P; Shift+click or Shift+P: the previous one)` : 'The current call has no device'
          }
        >
          Next packet on {device ?? 'this device'}
        </button>
      </span>
    </div>
  );
}
