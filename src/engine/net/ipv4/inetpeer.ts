// The inet_peer cache (net/ipv4/inetpeer.c): per namespace, one entry per
// remote address, holding the state of per-host rate limits.
import type { InetPeer, Net } from '../../include/net.ts';
import type { World } from '../../kernel/world.ts';
import { HZ, jiffiesAt } from '../../kernel/timer.ts';

/**
 * inet_getpeer_v4 (https://elixir.bootlin.com/linux/v6.18/source/net/ipv4/inetpeer.c):
 * the entry for `daddr`, made on first use. A new entry's rate_last lies a
 * minute back, so that its first token count starts full. (The kernel's
 * garbage collection of unused entries, after ten minutes at most, is not
 * modelled: an entry that old has passed every rate limit's window anyway.)
 */
export function inet_getpeer_v4(w: World, net: Net, daddr: number): InetPeer {
  const peers = net.ipv4.peers;
  let p = peers.find((x) => x.daddr === daddr);
  if (!p) {
    p = { daddr, rateTokens: 0, nRedirects: 0, rateLast: jiffiesAt(w.now) - 60 * HZ };
    peers.push(p);
  }
  return p;
}
