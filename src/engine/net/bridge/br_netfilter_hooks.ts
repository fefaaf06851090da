// br_netfilter (net/bridge/br_netfilter_hooks.c), loaded on the machine the
// kernel records come from, with bridge-nf-call-iptables on: bridged IPv4
// packets go through iptables' hooks, whose tables are empty here, so they
// pass unchanged and are not stepped through. What the module does on its
// own is the MTU handling at the end of POST_ROUTING: a bridged IPv4 packet
// bigger than the port's MTU is dropped if it has DF set, else cut to the
// bridge's MTU.
import type { World } from '../../kernel/world.ts';
import type { NetDevice } from '../../include/netdevice.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { ETH_HLEN, ETH_P_IP, skb_is_gso, skbLen } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave } from '../../kernel/call.ts';
import { kfree_skb_reason } from '../core/skbuff.ts';
import { ip_do_fragment, ip_dont_fragment } from '../ipv4/ip_output.ts';
import { br_dev_queue_push_xmit, br_register_post_routing } from './br.ts';

const F_br_nf_dev_queue_xmit = kfn(
  'br_nf_dev_queue_xmit',
  'net/bridge/br_netfilter_hooks.c',
  "br_netfilter's last step before a bridged IPv4 packet leaves, for one bigger than the port's MTU: with DF set it is dropped (br_nf_ip_fragment); without, it is cut to the bridge's MTU and each piece leaves with the frame's Ethernet header (br_nf_push_frag_xmit).",
);
/**
 * br_nf_post_routing's okfn, for the packets it has work for: IPv4, not GSO,
 * bigger than the port's MTU. True when it took the packet.
 */
function br_nf_post_routing(w: World, skb: SkBuff, to: NetDevice): boolean {
  if (skb.protocol !== ETH_P_IP || skb_is_gso(skb) || skbLen(skb) <= to.mtu) return false;
  br_nf_dev_queue_xmit(w, skb, to);
  return true;
}

function br_nf_dev_queue_xmit(w: World, skb: SkBuff, to: NetDevice): void {
  enter(w, F_br_nf_dev_queue_xmit, skb, to);
  try {
    // br_nf_ip_fragment: DF set (and not ignored) means no fragmenting.
    if (ip_dont_fragment(skb)) {
      kfree_skb_reason(w, skb, 'NOT_SPECIFIED', 'br_nf_dev_queue_xmit');
      return;
    }
    // The bridge's fake route (bridge_parent_rtable) gives the bridge's own MTU;
    // each piece leaves with the frame's Ethernet header (br_nf_push_frag_xmit).
    const mac = skb.head.slice(skb.macHeader, skb.macHeader + ETH_HLEN);
    ip_do_fragment(w, skb, to.master!.mtu, (w, frag) => {
      frag.macHeader = frag.networkHeader - ETH_HLEN;
      frag.head.set(mac, frag.macHeader);
      br_dev_queue_push_xmit(w, frag);
      return 0;
    });
  } finally {
    leave(w);
  }
}

br_register_post_routing(br_nf_post_routing);
