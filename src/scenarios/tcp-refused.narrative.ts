// The narrative of the gallery scenario tcp-refused (tcp-refused.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const TCP_REFUSED_NARRATIVE: ScenarioNarrative = {
  summary:
    'The host connects to port 8081 in namespace b, where nobody listens. b answers the SYN with a reset, drops the SYN as NO_SOCKET, and nc reports "Connection refused".',
  notes: [
    {
      at: { event: 'inet_sock_set_state', where: 'state=CLOSE->SYN_SENT' },
      title: 'A SYN to an empty port',
      text: 'nc -v calls connect(): tcp_v4_connect moves the socket to SYN_SENT and the SYN is built; it waits for ARP to find 10.82.0.2 before it leaves.',
    },
    {
      at: { fn: 'tcp_v4_rcv', nth: 1 },
      title: 'No socket in b',
      text: 'In b, tcp_v4_rcv looks the four addresses up in the established hash and then among the listeners: nothing owns port 8081.',
    },
    {
      at: { event: 'tcp_send_reset' },
      title: 'The answer is a reset',
      text: "tcp_v4_send_reset answers from the namespace's control socket (there is no socket of the connection to send it from): RST+ACK, acknowledging the SYN's sequence number plus one, with no options and a zero window.",
    },
    {
      at: { event: 'kfree_skb', reason: 'NO_SOCKET' },
      title: 'The SYN is dropped: NO_SOCKET',
      text: 'Having answered, tcp_v4_rcv frees the SYN with the drop reason NO_SOCKET: a kfree_skb a drop monitor would count.',
    },
    {
      at: { event: 'tcp_receive_reset' },
      title: 'Connection refused',
      text: 'Back on the host, tcp_reset finds a socket in SYN_SENT: the error is ECONNREFUSED, the socket is done (SYN_SENT→CLOSE), and connect() returns -1. nc prints why and exits with 1.',
    },
  ],
};
