// Raw sockets: ping's ICMP socket with its receive and error queues.
import type { SkBuff } from './skbuff.ts';
import type { WaitQueue } from './sched.ts';

export interface RawSock {
  id: number;
  netUid: number;
  protocol: number; // IPPROTO_ICMP
  boundDevIfindex: number; // SO_BINDTODEVICE, 0 when unbound
  rcvSaddr: number; // bind() address, 0 when unbound
  /** ICMP_FILTER: bit N set means type N is filtered out. */
  icmpFilter: number;
  receiveQueue: SkBuff[];
  /** IP_RECVERR: ICMP errors about what this socket sent. */
  errorQueue: SkBuff[];
  /** SO_BROADCAST */
  broadcast: boolean;
  /** sk_wq: the processes sleeping until data arrives. */
  wq: WaitQueue;
  closed: boolean;
}
