// Plays the run forward at the chosen speed, one step each tick, waiting for
// each view to arrive before asking for the next. In the full app, playback
// pauses at each gallery note's own step, so the reader can read its callout
// (an embed shows no callouts: it plays through).
import { useEffect } from 'react';
import { useExplorer } from '../store.ts';
import { useShare } from '../shareApp.ts';

export function usePlayback(): void {
  const playing = useExplorer((s) => s.playing);
  const speed = useExplorer((s) => s.speed);
  const step = useExplorer((s) => s.step);
  const shownStep = useExplorer((s) => s.view?.step ?? -1);
  const total = useExplorer((s) => s.summary?.total ?? 0);
  // The last step playback covers (the embed's `to`, or the run's end).
  const hi = useExplorer((s) => Math.min(s.summary?.total ?? 0, s.range.to ?? Infinity));
  const embed = useShare((s) => s.options.embed);

  useEffect(() => {
    if (!playing) return;
    if (step >= hi) {
      useExplorer.getState().setPlaying(false);
      return;
    }
    if (shownStep !== step) return; // wait for the view in flight
    const t = window.setTimeout(() => useExplorer.getState().playTick(!embed), Math.max(10, 1000 / speed));
    return () => window.clearTimeout(t);
  }, [playing, speed, step, shownStep, total, hi, embed]);
}
