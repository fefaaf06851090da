// One or two sentences about the current call, in our own words: the
// function's summary plus what it is doing to this particular packet.
import type { KernelFunction } from '../trace/functions.ts';
import type { SkBuff } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';
import { skbLen } from '../include/skbuff.ts';
import { get32 } from '../net/core/skbuff.ts';
import { ipStr } from '../net/ipv4/addr.ts';

function describe(skb: SkBuff): string {
  const h = skb.head;
  if (skb.protocol === 0x0806 && skb.networkHeader >= 0) {
    const o = skb.networkHeader;
    const op = (h[o + 6] << 8) | h[o + 7];
    return op === 1 ? `ARP request who-has ${ipStr(get32(h, o + 24))}` : `ARP reply ${ipStr(get32(h, o + 14))} is-at …`;
  }
  if (skb.protocol === 0x0800 && skb.networkHeader >= 0) {
    const o = skb.networkHeader;
    const t = o + (h[o] & 0xf) * 4;
    const proto = h[o + 9];
    const what =
      proto === 1
        ? h[t] === 8
          ? 'ICMP echo request'
          : h[t] === 0
            ? 'ICMP echo reply'
            : h[t] === 3
              ? 'ICMP destination unreachable'
              : `ICMP type ${h[t]}`
        : `IP proto ${proto}`;
    return `${what} ${ipStr(get32(h, o + 12))} → ${ipStr(get32(h, o + 16))}`;
  }
  return `a ${skbLen(skb)}-byte buffer`;
}

export function explainStep(fn: KernelFunction, skb: SkBuff | null, dev: NetDevice | null): string {
  let s = fn.summary;
  if (skb) s += ` Here: skb #${skb.id}, ${describe(skb)}${dev ? ` on ${dev.name}` : ''}, len ${skbLen(skb)}.`;
  else if (dev) s += ` Here: on ${dev.name}.`;
  return s;
}
