// The narrative of the gallery scenario netns-pair (netns-pair.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const NETNS_PAIR_NARRATIVE: ScenarioNarrative = {
  summary:
    'A veth pair with one end moved into namespace ns1, the way a container runtime connects a container to its host. Each end now has its own routes, neighbours and sockets.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth0', netns: '' },
      title: 'ARP first',
      text: 'The host has no neighbour for 10.1.1.2: it creates an INCOMPLETE entry, queues the echo request in it and sends an ARP request.',
    },
    {
      at: { event: 'netif_rx', dev: 'veth1', netns: 'ns1' },
      title: 'Into another namespace',
      text: "veth_xmit moves the frame to the peer, which lives in ns1: __dev_forward_skb scrubs the skb of its host-side state (socket, marks) and it enters ns1 through netif_rx, on this CPU's backlog.",
    },
    {
      at: { event: 'neigh_create', dev: 'veth1', netns: 'ns1' },
      title: 'ns1 learns the host',
      text: 'Answering the ARP request, ns1 creates a neighbour entry for the sender 10.1.1.1 (STALE: learnt, never confirmed), so its echo replies need no ARP of their own.',
    },
    {
      at: { event: 'neigh_update', dev: 'veth0', netns: '', where: 'incomplete->reachable' },
      title: 'The queue drains',
      text: 'The ARP reply reaches the host: the entry is REACHABLE and the waiting echo request leaves.',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth1', netns: 'ns1', where: 'len=98' },
      title: 'ns1 answers',
      text: 'icmp_echo in ns1 builds the reply and sends it back over veth1 using the STALE entry (which goes DELAY: it will be confirmed later).',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth0', netns: '', where: 'len=98', nth: 2 },
      title: 'Second ping: no ARP',
      text: 'One second later the second echo request finds the neighbour REACHABLE and goes straight out.',
    },
  ],
};
