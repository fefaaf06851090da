// Generic datagram socket code (net/core/datagram.c).
import type { Sock } from '../../include/sock.ts';
import { EPOLLERR, EPOLLIN, EPOLLOUT, EPOLLRDNORM, EPOLLWRBAND, EPOLLWRNORM } from '../../include/sock.ts';
import { sock_writeable } from './sock.ts';

/** datagram_poll: readable with a packet queued, in error with a pending or queued error. */
export function datagram_poll(sk: Sock): number {
  let mask = 0;
  if (sk.err || sk.errorQueue.length) mask |= EPOLLERR;
  if (sk.receiveQueue.length) mask |= EPOLLIN | EPOLLRDNORM;
  if (sock_writeable(sk)) mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
  return mask;
}
