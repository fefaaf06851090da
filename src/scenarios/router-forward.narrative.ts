// The narrative of the gallery scenario router-forward (router-forward.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const ROUTER_FORWARD_NARRATIVE: ScenarioNarrative = {
  summary: 'ns1 and ns2 on different subnets, joined by namespace r with ip_forward=1. Each host has a default route through r.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth1', netns: 'ns1' },
      title: 'ARP for the gateway, not the target',
      text: 'ns1 routes 10.2.2.2 via its default gateway 10.1.1.1, so the neighbour it needs (and ARPs for) is the router, not ns2.',
    },
    {
      at: { event: 'fib_table_lookup', netns: 'r', where: 'dst=10.2.2.2' },
      title: 'The router looks up the destination',
      text: 'ip_route_input_slow in r finds 10.2.2.2 is not its own and that it is reachable through veth2r: with forwarding on, the packet is handed to ip_forward.',
    },
    {
      at: { fn: 'ip_forward' },
      title: 'ip_forward',
      text: 'ip_forward decrements the TTL (64 becomes 63) and sends the same skb on: the forwarded packet keeps its skb number.',
    },
    {
      at: { event: 'neigh_create', dev: 'veth2r', netns: 'r' },
      title: 'The router waits for ARP',
      text: "r has no neighbour for 10.2.2.2 on veth2r yet: the forwarded echo request waits in the new entry's queue while r ARPs on the far side.",
    },
    {
      at: { event: 'netif_receive_skb', dev: 'veth2', netns: 'ns2', where: 'len=84' },
      title: 'It arrives in ns2',
      text: "The echo request reaches ns2 with TTL 63; ns2 answers through its own default route, and the reply takes the same way back (ttl=63 in ping's output).",
    },
  ],
};
