// The narrative of the gallery scenario ns-to-host (ns-to-host.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const NS_TO_HOST_NARRATIVE: ScenarioNarrative = {
  summary:
    "The other direction: a ping from inside namespace ns1 (the container) to the host's end of the pair, captured on both ends.",
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth1', netns: 'ns1' },
      title: 'The container ARPs for the host',
      text: 'ns1 has never talked to 10.7.7.1: its echo request waits in a new INCOMPLETE neighbour entry while an ARP request goes out of veth1.',
    },
    {
      at: { event: 'netif_receive_skb', dev: 'veth0', netns: '' },
      title: 'Arriving on the host',
      text: 'The ARP request crossed into the host namespace; the NET_RX softirq now receives it on veth0. The host learns 10.7.7.2 from it (a STALE entry) and answers.',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth1', netns: 'ns1', where: 'len=98' },
      title: 'The echo request leaves',
      text: "The ARP reply made ns1's entry REACHABLE: the echo request that waited in its queue is sent.",
    },
    {
      at: { fn: 'icmp_echo' },
      title: 'The host answers',
      text: "The host's icmp_echo builds the reply, which goes back to ns1 through veth0 and the cable.",
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth1', netns: 'ns1', where: 'len=98', nth: 4 },
      title: 'ping -I veth1',
      text: 'The last ping binds to veth1 with -I. The neighbour is already known, so the request goes straight out.',
    },
  ],
};
