// The scenarios offered by the picker; the first is the default.
import { SEED_SCENARIO } from './seed.ts';
import { NETNS_PAIR_SCENARIO } from './netns-pair.ts';
import { LO_PING_SCENARIO } from './lo-ping.ts';
import { BRIDGE_TWO_NS_SCENARIO } from './bridge-two-ns.ts';

export interface ScenarioEntry {
  id: string;
  title: string;
  text: string;
}

export const SCENARIOS: ScenarioEntry[] = [
  { id: 'seed-veth-same-ns', title: 'veth pair in one namespace (seed)', text: SEED_SCENARIO },
  { id: 'netns-pair', title: 'veth pair host ↔ namespace', text: NETNS_PAIR_SCENARIO },
  { id: 'lo-ping', title: 'ping over loopback', text: LO_PING_SCENARIO },
  { id: 'bridge-two-ns', title: 'bridge between two namespaces', text: BRIDGE_TWO_NS_SCENARIO },
];

export const DEFAULT_SCENARIO = SEED_SCENARIO;
