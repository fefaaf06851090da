// The narratives of the gallery scenarios but the seed's (whose narrative the
// first view shows), in a chunk of their own: fetched when one of them is opened.
import type { ScenarioNarrative } from './types.ts';
import { BIG_FRAG } from './big-frag.ts';
import { BIG_FRAG_NARRATIVE } from './big-frag.narrative.ts';
import { BRIDGE_TWO_NS } from './bridge-two-ns.ts';
import { BRIDGE_TWO_NS_NARRATIVE } from './bridge-two-ns.narrative.ts';
import { DOCKER_BRIDGE } from './docker-bridge.ts';
import { DOCKER_BRIDGE_NARRATIVE } from './docker-bridge.narrative.ts';
import { LINK_DOWN_PEER } from './link-down-peer.ts';
import { LINK_DOWN_PEER_NARRATIVE } from './link-down-peer.narrative.ts';
import { LO_PING } from './lo-ping.ts';
import { LO_PING_NARRATIVE } from './lo-ping.narrative.ts';
import { NETNS_PAIR } from './netns-pair.ts';
import { NETNS_PAIR_NARRATIVE } from './netns-pair.narrative.ts';
import { NS_TO_HOST } from './ns-to-host.ts';
import { NS_TO_HOST_NARRATIVE } from './ns-to-host.narrative.ts';
import { PING_UNOWNED } from './ping-unowned-address.ts';
import { PING_UNOWNED_NARRATIVE } from './ping-unowned-address.narrative.ts';
import { ROUTER_FORWARD } from './router-forward.ts';
import { ROUTER_FORWARD_NARRATIVE } from './router-forward.narrative.ts';
import { ROUTER_NO_FORWARD } from './router-no-forward.ts';
import { ROUTER_NO_FORWARD_NARRATIVE } from './router-no-forward.narrative.ts';
import { SEED_DEFAULTS } from './seed-defaults.ts';
import { SEED_DEFAULTS_NARRATIVE } from './seed-defaults.narrative.ts';
import { TCP_NETNS_HELLO } from './tcp-netns-hello.ts';
import { TCP_NETNS_HELLO_NARRATIVE } from './tcp-netns-hello.narrative.ts';
import { TCP_REFUSED } from './tcp-refused.ts';
import { TCP_REFUSED_NARRATIVE } from './tcp-refused.narrative.ts';
import { TTL_EXPIRED } from './ttl-expired.ts';
import { TTL_EXPIRED_NARRATIVE } from './ttl-expired.narrative.ts';
import { UDP_NETNS_HELLO } from './udp-netns-hello.ts';
import { UDP_NETNS_HELLO_NARRATIVE } from './udp-netns-hello.narrative.ts';

export const NARRATIVES: Record<string, ScenarioNarrative> = {
  [BIG_FRAG.id]: BIG_FRAG_NARRATIVE,
  [BRIDGE_TWO_NS.id]: BRIDGE_TWO_NS_NARRATIVE,
  [DOCKER_BRIDGE.id]: DOCKER_BRIDGE_NARRATIVE,
  [LINK_DOWN_PEER.id]: LINK_DOWN_PEER_NARRATIVE,
  [LO_PING.id]: LO_PING_NARRATIVE,
  [NETNS_PAIR.id]: NETNS_PAIR_NARRATIVE,
  [NS_TO_HOST.id]: NS_TO_HOST_NARRATIVE,
  [PING_UNOWNED.id]: PING_UNOWNED_NARRATIVE,
  [ROUTER_FORWARD.id]: ROUTER_FORWARD_NARRATIVE,
  [ROUTER_NO_FORWARD.id]: ROUTER_NO_FORWARD_NARRATIVE,
  [SEED_DEFAULTS.id]: SEED_DEFAULTS_NARRATIVE,
  [TCP_NETNS_HELLO.id]: TCP_NETNS_HELLO_NARRATIVE,
  [TCP_REFUSED.id]: TCP_REFUSED_NARRATIVE,
  [TTL_EXPIRED.id]: TTL_EXPIRED_NARRATIVE,
  [UDP_NETNS_HELLO.id]: UDP_NETNS_HELLO_NARRATIVE,
};
