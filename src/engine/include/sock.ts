// Sockets: only what ping needs (a raw ICMP socket and its receive queue).
import type { SkBuff } from './skbuff.ts';

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
  /** Process id of the owner (the ping program). */
  ownerPid: number;
  closed: boolean;
}
