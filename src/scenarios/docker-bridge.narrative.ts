// The narrative of the gallery scenario docker-bridge (docker-bridge.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const DOCKER_BRIDGE_NARRATIVE: ScenarioNarrative = {
  summary:
    'What Docker builds: a bridge docker0 holding the gateway address 172.17.0.1/16, and for each container a veth pair whose inside end is renamed eth0 (one in c1, one in c2). c1 pings c2 across the bridge.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'eth0', netns: 'c1' },
      title: 'Same subnet: ARP for c2 directly',
      text: "172.17.0.3 is on c1's own /16, so c1 ARPs for c2 itself; the default route via docker0 is not used.",
    },
    {
      at: { event: 'net_dev_queue', dev: 'vethc2', netns: '' },
      title: 'Flooded to the other port',
      text: 'The ARP broadcast arrives on vethc1; the bridge floods a copy out of vethc2, towards c2.',
    },
    {
      at: { event: 'netif_receive_skb', dev: 'docker0' },
      title: 'And up to docker0',
      text: "The host gets the broadcast too, on docker0 (the bridge itself). The target is not docker0's address, so ARP stays silent.",
    },
    {
      at: { event: 'neigh_update', dev: 'eth0', netns: 'c1', where: 'incomplete->reachable' },
      title: 'c2 answers, c1 sends',
      text: "c2's ARP reply goes through the bridge to vethc1 only (the bridge learnt c1's MAC there) and c1's echo request leaves its neighbour queue.",
    },
    {
      at: { event: 'net_dev_queue', dev: 'vethc2', netns: '', where: 'len=98' },
      title: 'Known unicast',
      text: "The echo request is forwarded out of vethc2 alone: the same skb, not a copy. The ping never touches the host's IP stack.",
    },
    {
      at: { reason: 'NO_SOCKET', netns: 'c1' },
      title: 'The reply arrives',
      text: 'The echo reply reaches c1 through the bridge; ping reads it on its raw socket and ping_rcv frees the original (NO_SOCKET, not a loss).',
    },
  ],
};
