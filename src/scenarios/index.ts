// The gallery: the example scenarios the app offers, each a shell script
// recorded on the real kernel (test/fixtures/kernel/<id>) plus a narrative
// whose notes are anchored to moments of the run. The first is the default.
// The scripts and titles are here; the narratives but the seed's are fetched
// when a scenario is opened (narrativeOf), as the first view does not show them.
import { SEED } from './seed-veth-same-ns.ts';
import { SEED_DEFAULTS } from './seed-defaults.ts';
import { NETNS_PAIR } from './netns-pair.ts';
import { LO_PING } from './lo-ping.ts';
import { NS_TO_HOST } from './ns-to-host.ts';
import { BRIDGE_TWO_NS } from './bridge-two-ns.ts';
import { DOCKER_BRIDGE } from './docker-bridge.ts';
import { ROUTER_FORWARD } from './router-forward.ts';
import { ROUTER_NO_FORWARD } from './router-no-forward.ts';
import { PING_UNOWNED } from './ping-unowned-address.ts';
import { LINK_DOWN_PEER } from './link-down-peer.ts';
import { BIG_FRAG } from './big-frag.ts';
import { TTL_EXPIRED } from './ttl-expired.ts';
import { UDP_NETNS_HELLO } from './udp-netns-hello.ts';
import { TCP_NETNS_HELLO } from './tcp-netns-hello.ts';
import { TCP_REFUSED } from './tcp-refused.ts';
import { SEED_NARRATIVE } from './seed-veth-same-ns.narrative.ts';
import type { ScenarioEntry, ScenarioNarrative } from './types.ts';

export type { ScenarioEntry, ScenarioNarrative, ScenarioNote, StepAnchor } from './types.ts';

export const SCENARIOS: ScenarioEntry[] = [
  SEED,
  SEED_DEFAULTS,
  NETNS_PAIR,
  LO_PING,
  NS_TO_HOST,
  BRIDGE_TWO_NS,
  DOCKER_BRIDGE,
  ROUTER_FORWARD,
  ROUTER_NO_FORWARD,
  PING_UNOWNED,
  LINK_DOWN_PEER,
  BIG_FRAG,
  TTL_EXPIRED,
  UDP_NETNS_HELLO,
  TCP_NETNS_HELLO,
  TCP_REFUSED,
];

export const DEFAULT_SCENARIO = SEED.script;

/** The gallery entry whose script is exactly `text`, if any. */
export function galleryEntry(text: string): ScenarioEntry | undefined {
  return SCENARIOS.find((s) => s.script === text);
}

/** The narrative of the gallery scenario `id` (undefined for an id the gallery does not have). */
export async function narrativeOf(id: string): Promise<ScenarioNarrative | undefined> {
  if (id === SEED.id) return SEED_NARRATIVE;
  const { NARRATIVES } = await import('./narratives.ts');
  return NARRATIVES[id];
}
