// "Run until": jumps to the next call of a kernel function, the next packet
// on a device, or the next drop with a given reason; "Back" (or Shift+Enter)
// to the previous one.
import { useState } from 'react';
import { useExplorer, deviceKey, type BreakKind } from '../store.ts';

const KINDS: { kind: BreakKind; label: string; placeholder: string }[] = [
  { kind: 'function', label: 'function', placeholder: 'enqueue_to_backlog' },
  { kind: 'device', label: 'device', placeholder: 'veth1 or ns1/veth1' },
  { kind: 'reason', label: 'drop reason', placeholder: 'NEIGH_FAILED' },
];

export function BreakpointForm() {
  const ready = useExplorer((s) => s.summary !== null);
  const value = useExplorer((s) => s.breakpoint);
  const kind = useExplorer((s) => s.breakKind);
  const summary = useExplorer((s) => s.summary);
  const a = useExplorer.getState();
  const info = KINDS.find((k) => k.kind === kind)!;
  const options =
    kind === 'function'
      ? (summary?.knownFunctions ?? [])
      : kind === 'device'
        ? (summary?.packetDevices.map((d) => deviceKey(d.netns, d.dev)) ?? [])
        : (summary?.dropReasons ?? []);
  const listId = `breakpoint-${kind}s`;
  // The suggestions (every modelled kernel function: some 200 elements, more
  // than the rest of the header) are made when the reader first comes to the
  // field, not with the first picture.
  const [suggest, setSuggest] = useState(false);
  const wantSuggestions = () => setSuggest(true);
  return (
    <form
      className="breakpoint"
      onSubmit={(e) => {
        e.preventDefault();
        void a.runUntil();
      }}
    >
      <label>
        <span>Run until</span>
        <select
          aria-label="Run until what"
          value={kind}
          onChange={(e) => {
            a.setBreakKind(e.target.value as BreakKind);
            a.setBreakpoint('');
          }}
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <input
        type="text"
        list={listId}
        value={value}
        placeholder={info.placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-label={`Run until ${info.label}`}
        onFocus={wantSuggestions}
        onPointerEnter={wantSuggestions}
        onChange={(e) => a.setBreakpoint(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || !e.shiftKey) return;
          e.preventDefault();
          void a.runUntil(undefined, -1);
        }}
      />
      <datalist id={listId}>{suggest && options.map((f) => <option key={f} value={f} />)}</datalist>
      <button
        type="button"
        aria-label="Run back until"
        onClick={() => void a.runUntil(undefined, -1)}
        disabled={!ready || !value.trim()}
        title="Back to the previous match (Shift+Enter)"
      >
        ◀ Back
      </button>
      <button type="submit" disabled={!ready || !value.trim()} title="On to the next match (Enter)">
        Go
      </button>
    </form>
  );
}
