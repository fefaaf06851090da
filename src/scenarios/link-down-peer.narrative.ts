// The narrative of the gallery scenario link-down-peer (link-down-peer.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const LINK_DOWN_PEER_NARRATIVE: ScenarioNarrative = {
  summary:
    'veth1, in ns1, is set down. veth0 is still up but has no carrier (NO-CARRIER, state LOWERLAYERDOWN): every frame it is given is dropped before it is sent.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth0' },
      title: 'ARP as usual',
      text: 'The route still exists (marked linkdown), so the echo request gets a neighbour entry to wait in and an ARP request is built.',
    },
    {
      at: { reason: 'QDISC_DROP' },
      title: 'Dropped at the device',
      text: '__dev_queue_xmit finds veth0 without carrier (its transmit queue is stopped) and frees the ARP request with QDISC_DROP. tcpdump on veth0 never sees it: the drop comes before the capture tap.',
    },
    {
      at: { reason: 'QDISC_DROP', nth: 3 },
      title: 'Three drops',
      text: "The neighbour timer retries twice more, one second apart; each ARP request is dropped the same way and counted in veth0's TX dropped.",
    },
    {
      at: { reason: 'NEIGH_FAILED' },
      title: 'Host unreachable',
      text: 'The entry goes FAILED, the echo request is freed with NEIGH_FAILED, and ping gets an ICMP host unreachable from its own host through lo.',
    },
  ],
};
