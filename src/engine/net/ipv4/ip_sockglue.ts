// IP-level socket glue (net/ipv4/ip_sockglue.c): how an ICMP error about a
// packet a socket sent is kept for it, on its error queue.
import type { World } from '../../kernel/world.ts';
import type { Sock } from '../../include/sock.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { skb_clone } from '../core/skbuff.ts';
import { sk_error_report } from '../core/sock.ts';
import { SKB_QUEUE_SOCKET_ERROR } from '../../trace/skblog.ts';

const F_ip_icmp_error = kfn(
  'ip_icmp_error',
  'net/ipv4/ip_sockglue.c',
  "Keeps an ICMP error for the socket whose packet it quotes: a clone of the ICMP packet goes on the socket's error queue (sock_queue_err_skb) with the errno it means, and whoever waits on the socket is woken; poll() now reports EPOLLERR until the queue is read or the socket is closed.",
);

/**
 * ip_icmp_error: the caller decides whether the socket wants it (UDP asks
 * for IP_RECVERR; TCP queues an error about its SYN whatever the option).
 */
export function ip_icmp_error(w: World, sk: Sock, skb: SkBuff): void {
  enter(w, F_ip_icmp_error, skb, skb.dev);
  try {
    const copy = skb_clone(w, skb);
    // sock_queue_err_skb
    sk.errorQueue.push(copy);
    w.rec.skbNote(SKB_QUEUE_SOCKET_ERROR, copy.id, sk.id, sk.prot);
    if (!sk.dead) sk_error_report(w, sk);
  } finally {
    leave(w);
  }
}
