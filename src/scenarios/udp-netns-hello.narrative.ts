// The narrative of the gallery scenario udp-netns-hello (udp-netns-hello.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const UDP_NETNS_HELLO_NARRATIVE: ScenarioNarrative = {
  summary:
    'nc -u -l listens on UDP port 9090 in namespace b, and the host sends it "hi". No handshake and no answer: one datagram goes from udp_sendmsg through the host\'s stack, across the veth pair, into the receiving socket\'s queue.',
  notes: [
    {
      at: { fn: 'udp_sendmsg' },
      title: 'udp_sendmsg',
      text: 'The host\'s nc writes "hi\\n": udp_sendmsg looks up the route to 10.83.0.2 and builds a datagram with an 8-byte UDP header in front of the 3 bytes (the socket got its source port when nc connected it).',
    },
    {
      at: { event: 'neigh_create', dev: 'veth0', netns: '' },
      title: 'Waiting for ARP',
      text: 'There is no neighbour entry for 10.83.0.2 yet: the datagram waits in a new INCOMPLETE entry while ARP asks who has it. UDP has already returned to nc: sending a datagram never waits for the peer.',
    },
    {
      at: { event: 'netif_receive_skb', dev: 'veth1', netns: 'b', where: 'len=31' },
      title: 'Into namespace b',
      text: "The ARP reply released the datagram, veth_xmit passed it to veth1, and the NET_RX softirq now takes it from the backlog into b's IP layer: 20 bytes of IP header, 8 of UDP, 3 of data.",
    },
    {
      at: { fn: '__udp4_lib_lookup' },
      title: 'Which socket?',
      text: 'udp_rcv checks the header and its checksum, and __udp4_lib_lookup finds the socket bound to port 9090 in this namespace. Had there been none, b would have answered with ICMP port unreachable.',
    },
    {
      at: { fn: '__udp_enqueue_schedule_skb' },
      title: 'Queued for the reader',
      text: "__udp_enqueue_schedule_skb charges the datagram to the socket's receive buffer and appends it to its receive queue, then sk_data_ready wakes nc, blocked in recvfrom. nc prints hi.",
    },
  ],
};
