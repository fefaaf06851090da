// Jumps a reader expects from a packet tracer's event list: the next drop,
// the next packet on the device of the current call.
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

export function SearchControls() {
  const ready = useExplorer((s) => s.summary !== null && !s.loading);
  const device = useExplorer((s) => currentDevice(s.view));
  const a = useExplorer.getState();
  return (
    <div className="search-controls" role="group" aria-label="Jump to">
      <button type="button" onClick={() => void a.nextDrop()} disabled={!ready} title="Next step that drops a packet (kfree_skb)">
        Next drop
      </button>
      <button
        type="button"
        onClick={() => device && void a.nextPacketOn(device)}
        disabled={!ready || !device}
        title={device ? `Next packet queued on or received by ${device}` : 'The current call has no device'}
      >
        Next packet on {device ?? 'this device'}
      </button>
    </div>
  );
}
