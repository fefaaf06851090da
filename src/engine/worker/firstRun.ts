// The first run a page shows, computed ahead (at build time, for the default
// scenario): what the worker's first answers would be (the run's summary, the
// view of step 0, the narrative's anchors), so the page draws it without
// waiting for the engine; the worker computes the same run afterwards and
// answers everything from then on.
import type { StepView } from '../run/view.ts';
import type { StepAnchor } from '../run/search.ts';
import type { RunSummary } from './protocol.ts';
import { startSession } from './startSession.ts';

export interface FirstRun {
  /** The script it is the run of: a page running any other text asks the worker. */
  text: string;
  summary: RunSummary;
  /** The view of step 0. */
  view: StepView;
  /** The steps of the anchors asked for (the scenario's narrative notes), null where the run has none. */
  anchors: (number | null)[];
}

export async function firstRun(text: string, anchors: StepAnchor[]): Promise<FirstRun> {
  const session = await startSession(text);
  return { text, summary: session.summary(), view: session.view(0), anchors: session.resolve(anchors) };
}
