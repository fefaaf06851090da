// "Run until function": jumps to the next call of a kernel function.
import { useExplorer } from '../store.ts';

export function BreakpointForm() {
  const ready = useExplorer((s) => s.summary !== null && !s.loading);
  const value = useExplorer((s) => s.breakpoint);
  const known = useExplorer((s) => s.summary?.knownFunctions);
  const a = useExplorer.getState();
  return (
    <form
      className="breakpoint"
      onSubmit={(e) => {
        e.preventDefault();
        void a.runUntil();
      }}
    >
      <label>
        <span>Run until function</span>
        <input
          type="text"
          list="known-functions"
          value={value}
          placeholder="enqueue_to_backlog"
          spellCheck={false}
          autoComplete="off"
          aria-label="Run until function"
          onChange={(e) => a.setBreakpoint(e.target.value)}
        />
      </label>
      <datalist id="known-functions">
        {known?.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <button type="submit" disabled={!ready || !value.trim()}>
        Go
      </button>
    </form>
  );
}
