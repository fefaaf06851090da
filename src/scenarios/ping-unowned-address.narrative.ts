// The narrative of the gallery scenario ping-unowned-address (ping-unowned-address.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const PING_UNOWNED_NARRATIVE: ScenarioNarrative = {
  summary:
    'A ping of 10.1.1.9, on the veth subnet but owned by nobody. The ARP requests reach ns1, which does not answer for an address it does not have.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth0' },
      title: 'An entry for 10.1.1.9',
      text: 'The route says 10.1.1.9 is on-link on veth0: a neighbour entry is created and the echo request waits in it while ARP asks who has 10.1.1.9.',
    },
    {
      at: { event: 'consume_skb', netns: 'ns1', where: 'location=arp_process' },
      title: 'ns1 is not 10.1.1.9',
      text: 'ns1 receives the broadcast, looks up the target (not a local address) and frees the request without answering.',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth0', nth: 3 },
      title: 'Three tries',
      text: 'The neighbour timer sends the ARP request again each second: three in all.',
    },
    {
      at: { reason: 'NEIGH_FAILED' },
      title: 'Destination Host Unreachable',
      text: 'No answer: the entry goes FAILED, the waiting echo request is freed (NEIGH_FAILED), and the host sends itself an ICMP host unreachable through lo. That is the "From 10.1.1.1 icmp_seq=1 Destination Host Unreachable" ping prints.',
    },
  ],
};
