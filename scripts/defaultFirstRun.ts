// What the build ships as the page's first run (firstRunPlugin.ts): the
// default scenario's run, with its narrative's anchors resolved, and the
// shape of its first picture as dagre lays it out.
import { SCENARIOS, narrativeOf } from '../src/scenarios/index.ts';
import { firstRun, type FirstRun } from '../src/engine/worker/firstRun.ts';
import { layoutTopology } from '../src/ui/topology/layout.ts';
import { exportSkeletons, type SkeletonData } from '../src/ui/topology/skeletonCache.ts';

export async function defaultFirstRun(): Promise<{ firstRun: FirstRun; skeletons: SkeletonData[] }> {
  const entry = SCENARIOS[0];
  const narrative = await narrativeOf(entry.id);
  const run = await firstRun(entry.script, narrative?.notes.map((n) => n.at) ?? []);
  layoutTopology(run.view);
  return { firstRun: run, skeletons: exportSkeletons() };
}
