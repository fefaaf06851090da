// The narrative of the gallery scenario tcp-netns-hello (tcp-netns-hello.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const TCP_NETNS_HELLO_NARRATIVE: ScenarioNarrative = {
  summary:
    'nc -l listens on port 8080 in namespace b; the host connects over a veth pair, sends "hello" and shuts its side down (-N). Follow the three-way handshake, the data, its ACK and the close through the kernel, with every socket state change.',
  notes: [
    {
      at: { event: 'inet_sock_set_state', where: 'state=CLOSE->SYN_SENT' },
      title: 'connect() sends a SYN',
      text: 'tcp_v4_connect finds the route to 10.81.0.2, picks a source port and moves the socket from CLOSE to SYN_SENT; tcp_connect builds the SYN with the options a SYN carries (MSS from the route, SACK, timestamps, window scale).',
    },
    {
      at: { event: 'neigh_create', dev: 'veth0', netns: '' },
      title: 'The SYN waits for ARP',
      text: 'The host has never talked to 10.81.0.2: the SYN is parked in a new INCOMPLETE neighbour entry while an ARP request goes out. TCP does not notice; it only sees that the packet left.',
    },
    {
      at: { fn: 'tcp_v4_conn_request' },
      title: 'The listener answers',
      text: 'In b, tcp_v4_rcv finds the LISTEN socket on port 8080. tcp_v4_conn_request does not make a socket yet: it keeps a small request sock for the half-open connection and answers with a SYN-ACK.',
    },
    {
      at: { event: 'inet_sock_set_state', where: 'state=SYN_SENT->ESTABLISHED' },
      title: 'The client is connected',
      text: "The SYN-ACK reaches the host: tcp_rcv_synsent_state_process moves the socket to ESTABLISHED and acknowledges the server's SYN. connect() returns to nc.",
    },
    {
      at: { event: 'inet_sock_set_state', where: 'state=SYN_RECV->ESTABLISHED' },
      title: 'A child socket for the connection',
      text: 'The final ACK reaches b: tcp_check_req matches it to the request sock, and tcp_v4_syn_recv_sock clones the listener into a new socket (LISTEN→SYN_RECV→ESTABLISHED) that waits in the accept queue until nc accepts it.',
    },
    {
      at: { fn: 'tcp_data_queue', nth: 2 },
      title: 'hello lands in the receive queue',
      text: 'The 6 bytes "hello\\n" arrive in order: tcp_data_queue appends them to the child socket\'s receive queue and wakes nc. The connection is young, in quick-ACK mode, so the ACK goes back at once instead of waiting for the delayed-ACK timer.',
    },
    {
      at: { event: 'inet_sock_set_state', where: 'state=ESTABLISHED->FIN_WAIT1' },
      title: 'nc -N shuts down its side',
      text: 'At the end of its input, nc -N calls shutdown(SHUT_WR): the host socket goes to FIN_WAIT1 and sends a FIN. In b, tcp_fin marks the receive side shut and moves the child to CLOSE_WAIT; nc reads end of file.',
    },
    {
      at: { event: 'inet_sock_set_state', where: 'state=FIN_WAIT2->CLOSE' },
      title: 'Both FINs: TIME_WAIT',
      text: "The server's nc closes (LAST_ACK) and its FIN also acknowledges ours (FIN_WAIT2). tcp_fin acknowledges the FIN and hands the connection to a small TIME_WAIT sock, which keeps the four addresses reserved; the full socket is done (CLOSE).",
    },
  ],
};
