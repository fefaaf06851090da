// The narrative of the gallery scenario ttl-expired (ttl-expired.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const TTL_EXPIRED_NARRATIVE: ScenarioNarrative = {
  summary:
    'h1 → r1 → r2 → h2. ping -t 2 gives the echo request two hops: r1 forwards it with TTL 1, and r2 cannot forward it any further. Then ping -t 3 gets through.',
  notes: [
    {
      at: { fn: 'ip_forward' },
      title: 'r1 decrements the TTL',
      text: 'r1 forwards the echo request: ip_forward lowers its TTL from 2 to 1 and sends it on towards r2 (after an ARP for r2).',
    },
    {
      at: { fn: 'ip_forward', nth: 2 },
      title: 'r2: TTL 1, no further',
      text: 'In r2, ip_forward finds a TTL of 1: forwarding it would make it 0. Instead it answers with ICMP Time Exceeded to the sender, 10.1.1.2.',
    },
    {
      at: { fn: '__icmp_send' },
      title: 'The ICMP error',
      text: "__icmp_send quotes the expired packet's header and sends the error from r2's address on the incoming side, 10.2.2.2.",
    },
    {
      at: { reason: 'IP_INHDR' },
      title: 'The expired packet is freed',
      text: "The echo request itself is freed with IP_INHDR (an input header error), counted in r2's InHdrErrors.",
    },
    {
      at: { event: 'netif_receive_skb', dev: 'v1', netns: 'h1', where: 'len=112' },
      title: 'Back at h1',
      text: 'The Time Exceeded comes back through r1. ping prints "From 10.2.2.2 icmp_seq=1 Time to live exceeded".',
    },
    {
      at: { event: 'neigh_create', dev: 'v3', netns: 'r2' },
      title: 'With -t 3 it goes on',
      text: 'The second ping has TTL 3: r2 gets it with TTL 2, forwards it, and ARPs for h2 for the first time. The reply comes back with ttl=62.',
    },
  ],
};
