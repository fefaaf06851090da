// Play/Pause and the playback speed.
import { useExplorer } from '../store.ts';

const SPEEDS = [1, 2, 5, 10, 25, 50, 100];

/** `compact` (embeds) leaves out the speed (the embed's `speed` option sets it). */
export function PlayControls({ compact = false }: { compact?: boolean }) {
  const ready = useExplorer((s) => s.summary !== null);
  const playing = useExplorer((s) => s.playing);
  const speed = useExplorer((s) => s.speed);
  const a = useExplorer.getState();
  // An embed's speed option may set a speed that is not in the list.
  const speeds = SPEEDS.includes(speed) ? SPEEDS : [...SPEEDS, speed].sort((x, y) => x - y);
  return (
    <div className="play-controls">
      <button
        type="button"
        className="play"
        onClick={a.togglePlay}
        disabled={!ready}
        aria-pressed={playing}
        title="Play/Pause (Space)"
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      {!compact && (
        <label className="speed">
          <span>Speed</span>
          <select value={speed} onChange={(e) => a.setSpeed(Number(e.target.value))} aria-label="Speed">
            {speeds.map((s) => (
              <option key={s} value={s}>
                {s} steps/s
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
