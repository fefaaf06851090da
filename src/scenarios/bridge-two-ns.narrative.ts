// The narrative of the gallery scenario bridge-two-ns (bridge-two-ns.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const BRIDGE_TWO_NS_NARRATIVE: ScenarioNarrative = {
  summary:
    'A bridge br0 in the host, with no address, and two veth ports leading into ns1 and ns2. tcpdump on br0 puts the bridge in promiscuous mode, so it also sees frames meant for others.',
  notes: [
    {
      at: { fn: 'br_handle_frame' },
      title: 'The port hands the frame to the bridge',
      text: 'veth1br is a bridge port: its rx_handler, br_handle_frame, takes the ARP request before the IP stack would.',
    },
    {
      at: { fn: 'br_flood' },
      title: 'Flooding a broadcast',
      text: 'A broadcast goes out of every other port: br_flood clones the skb for veth2br, while the original also goes up to br0 itself.',
    },
    {
      at: { event: 'netif_receive_skb', dev: 'br0' },
      title: 'br0 sees it too',
      text: 'br_pass_frame_up delivers the frame to br0 as if received there: with no address on br0, ARP ignores it.',
    },
    {
      at: { event: 'netif_receive_skb', dev: 'veth2', netns: 'ns2' },
      title: 'ns2 answers',
      text: "The clone reaches ns2, which answers the ARP request; the bridge has learnt ns1's MAC on veth1br by now, so the reply is forwarded to that port only (plus a copy up to br0, which is promiscuous).",
    },
    {
      at: { reason: 'OTHERHOST' },
      title: 'Promiscuous copies are dropped',
      text: 'Because br0 is promiscuous (tcpdump), it also gets the unicast echo request; ip_rcv sees a frame addressed to another host and drops its copy with OTHERHOST.',
    },
  ],
};
