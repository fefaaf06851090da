// The narrative of the gallery scenario seed-veth-same-ns (seed-veth-same-ns.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const SEED_NARRATIVE: ScenarioNarrative = {
  summary:
    'Both ends of a veth pair in one namespace. rp_filter off and accept_local on let each end accept packets from an address the host owns; ping is bound to veth0.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth0' },
      title: 'No neighbour yet',
      text: "The echo request needs 192.168.1.2's MAC. veth0 has no neighbour entry for it, so the kernel creates one (INCOMPLETE) and parks the echo request in its queue until an ARP reply arrives.",
    },
    {
      at: { event: 'netif_rx', dev: 'veth1' },
      title: 'ARP request crosses the cable',
      text: 'veth_xmit hands the ARP request straight to its peer: veth1 "receives" it through netif_rx, which puts it in this CPU\'s backlog queue and raises the NET_RX softirq. Nothing has been processed yet.',
    },
    {
      at: { event: 'netif_receive_skb', dev: 'veth1' },
      title: 'The softirq picks it up',
      text: 'net_rx_action runs process_backlog, which hands the frame to __netif_receive_skb_core: the ARP request is now being received by veth1, and arp_rcv answers it.',
    },
    {
      at: { event: 'neigh_update', dev: 'veth0', where: 'incomplete->reachable' },
      title: 'ARP reply: the queue drains',
      text: "The ARP reply makes veth0's neighbour entry REACHABLE, and the echo request that waited in its queue is sent at once.",
    },
    {
      at: { event: 'net_dev_queue', dev: 'lo' },
      title: 'The reply goes through lo',
      text: 'veth1 answers the echo, but the route to 192.168.1.1 is local (the host owns it): the reply does not go back over the cable, it goes through the loopback device.',
    },
    {
      at: { reason: 'NO_SOCKET' },
      title: 'A drop that is not a loss',
      text: "ping reads the reply through its raw socket. ping_rcv, the handler for the kernel's own ICMP sockets, finds none and frees its copy with reason NO_SOCKET.",
    },
  ],
};
