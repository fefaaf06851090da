// ICMP datagram ("ping") sockets (net/ipv4/ping.c). iputils ping run as root
// uses a raw socket instead, so echo replies usually find no ping socket here.
import type { World } from '../../kernel/world.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { kfree_skb_reason } from '../core/skbuff.ts';

const F_ping_rcv = kfn(
  'ping_rcv',
  'net/ipv4/ping.c',
  'Echo replies go to ICMP datagram sockets. Ping here uses a raw socket, which already got its own copy, so no ping socket matches and this copy is dropped with NO_SOCKET.',
);

export function ping_rcv(w: World, skb: SkBuff): void {
  enter(w, F_ping_rcv, skb, skb.dev);
  try {
    kfree_skb_reason(w, skb, 'NO_SOCKET', 'ping_rcv');
  } finally {
    leave(w);
  }
}
