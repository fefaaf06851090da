// The shape of a gallery scenario: a shell script (loaded from its .sh file)
// and a narrative (in its .narrative.ts file, loaded when the scenario is
// opened) whose notes are anchored to moments of the run. An anchor
// names a moment by what happens in it ("the 2nd netif_receive_skb on veth1
// in ns1"), never by a step number, so notes keep their place when the
// engine's step numbering changes; the engine resolves it (run/search.ts).
import type { StepAnchor } from '../engine/run/search.ts';

export type { StepAnchor };

export interface ScenarioNote {
  /** The moment the note is about. */
  at: StepAnchor;
  /** A chapter title, a few words. */
  title: string;
  /** What the reader sees happening there and why. */
  text: string;
}

export interface ScenarioNarrative {
  /** What the scenario is about, in a sentence or two. */
  summary: string;
  /** In the order of the run. */
  notes: ScenarioNote[];
}

export interface ScenarioEntry {
  /** The folder of its kernel record in test/fixtures/kernel. */
  id: string;
  title: string;
  /** The shell script, exactly as recorded on the kernel. */
  script: string;
  /** The same as `script` (the name the editor used first). */
  text: string;
}

/** Builds an entry (fills in `text`). */
export function scenario(e: Omit<ScenarioEntry, 'text'>): ScenarioEntry {
  return { ...e, text: e.script };
}
