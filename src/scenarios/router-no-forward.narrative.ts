// The narrative of the gallery scenario router-no-forward (router-no-forward.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const ROUTER_NO_FORWARD_NARRATIVE: ScenarioNarrative = {
  summary:
    'The router topology with ip_forward=0 in r (the default of a new namespace). The router drops the echo request without a word; ping hears nothing.',
  notes: [
    {
      at: { event: 'netif_receive_skb', dev: 'veth1r', netns: 'r', where: 'len=84' },
      title: 'The request reaches the router',
      text: 'ARP for the gateway worked: the echo request for 10.2.2.2 arrives on veth1r.',
    },
    {
      at: { event: 'fib_table_lookup', netns: 'r', where: 'dst=10.2.2.2' },
      title: 'A route exists…',
      text: 'The lookup finds a route to 10.2.2.2 through veth2r; but forwarding is off on veth1r, so ip_route_input_slow does not hand it to ip_forward.',
    },
    {
      at: { reason: 'IP_INADDRERRORS' },
      title: '…and a silent drop',
      text: 'ip_error frees the packet with IP_INADDRERRORS. With forwarding off the kernel sends no ICMP error: ping waits out its -W 2 and reports 100% loss.',
    },
    {
      at: { fn: 'icmp_echo' },
      title: 'The router itself answers',
      text: "Pinging the router's near address works: that packet is for r itself, so forwarding does not matter.",
    },
  ],
};
