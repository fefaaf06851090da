// What the build ships for the default scenario (firstRunPlugin.ts): its run,
// with its narrative's anchors resolved, the shape of its first picture as
// dagre lays it out, and that first view as static HTML for index.html.
import { SCENARIOS, narrativeOf } from '../src/scenarios/index.ts';
import { firstRun, type FirstRun } from '../src/engine/worker/firstRun.ts';
import { layoutTopology } from '../src/ui/topology/layout.ts';
import { exportSkeletons, type SkeletonData } from '../src/ui/topology/skeletonCache.ts';
import { staticFirstView, type StaticFirstView } from './staticFirstView.tsx';

export interface DefaultFirstRun {
  firstRun: FirstRun;
  skeletons: SkeletonData[];
  staticView: StaticFirstView;
}

export async function defaultFirstRun(): Promise<DefaultFirstRun> {
  const entry = SCENARIOS[0];
  const narrative = await narrativeOf(entry.id);
  const run = await firstRun(entry.script, narrative?.notes.map((n) => n.at) ?? []);
  layoutTopology(run.view);
  const skeletons = exportSkeletons();
  return { firstRun: run, skeletons, staticView: await staticFirstView(run) };
}
