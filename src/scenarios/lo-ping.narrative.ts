// The narrative of the gallery scenario lo-ping (lo-ping.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const LO_PING_NARRATIVE: ScenarioNarrative = {
  summary:
    'ping 127.0.0.1: the loopback device, which veth is modelled on. Its transmit function receives the packet back into the same host.',
  notes: [
    {
      at: { event: 'neigh_create', dev: 'lo' },
      title: 'A neighbour that needs no ARP',
      text: 'Even lo gets a neighbour entry, but it is NOARP: its output function sends at once, with no ARP and no queue.',
    },
    {
      at: { fn: 'loopback_xmit' },
      title: 'loopback_xmit',
      text: "lo's transmit function turns the outgoing skb into an incoming one: it orphans it from the sending socket, sets its protocol with eth_type_trans and hands it to __netif_rx.",
    },
    {
      at: { event: 'netif_rx', dev: 'lo' },
      title: 'Back in through the backlog',
      text: "netif_rx queues the packet on this CPU's backlog and raises NET_RX. It is received only when the softirq runs, after the sending call returns.",
    },
    {
      at: { fn: 'icmp_echo' },
      title: 'The echo is answered',
      text: 'icmp_rcv hands the echo request to icmp_echo, which sends the reply: through lo again.',
    },
    {
      at: { reason: 'NO_SOCKET' },
      title: 'Delivered, then freed',
      text: 'ping got its copy through its raw socket; ping_rcv finds no ICMP socket and frees the original with NO_SOCKET. Not a loss.',
    },
  ],
};
