// IPv4 reassembly (net/ipv4/ip_fragment.c, net/ipv4/inet_fragment.c).
import type { World } from '../../kernel/world.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { consume_skb, get16, get32, put16 } from '../core/skbuff.ts';
import { ip_send_check } from './ip_output.ts';

const F_ip_defrag = kfn(
  'ip_defrag',
  'net/ipv4/ip_fragment.c',
  'A fragment: it waits in a reassembly queue keyed by (source, destination, id, protocol) until every piece is there.',
  'defrag',
);
const F_inet_frag_reasm_prepare = kfn(
  'inet_frag_reasm_prepare',
  'net/ipv4/inet_fragment.c',
  "The last missing piece arrived: its skb becomes the whole datagram, and the earlier fragments' buffers are consumed.",
  'skb',
);

export function ipIsFragment(skb: SkBuff): boolean {
  return (get16(skb.head, skb.networkHeader + 6) & 0x3fff) !== 0;
}

function fragInfo(skb: SkBuff): { offset: number; more: boolean; hlen: number; len: number } {
  const o = skb.networkHeader;
  const h = skb.head;
  const fo = get16(h, o + 6);
  const hlen = (h[o] & 0xf) * 4;
  return { offset: (fo & 0x1fff) * 8, more: (fo & 0x2000) !== 0, hlen, len: get16(h, o + 2) - hlen };
}

/** Returns the reassembled datagram, or null while pieces are missing. */
export function ip_defrag(w: World, skb: SkBuff): SkBuff | null {
  enter(w, F_ip_defrag, skb, skb.dev);
  try {
    const net = skb.dev!.net;
    const o = skb.networkHeader;
    const h = skb.head;
    const key = `${get32(h, o + 12)}>${get32(h, o + 16)}#${get16(h, o + 4)}/${h[o + 9]}`;
    let q = net.ipFrags.find((f) => f.key === key);
    if (!q) {
      q = { key, frags: [] };
      net.ipFrags.push(q);
    }
    q.frags.push(skb);
    const pieces = q.frags.map((f) => ({ f, ...fragInfo(f) })).sort((a, b) => a.offset - b.offset);
    const last = pieces[pieces.length - 1];
    if (last.more) return ret(w, null);
    let expect = 0;
    for (const p of pieces) {
      if (p.offset > expect) return ret(w, null);
      expect = Math.max(expect, p.offset + p.len);
    }
    net.ipFrags = net.ipFrags.filter((f) => f !== q);
    return ret(w, inet_frag_reasm_prepare(w, skb, pieces));
  } finally {
    leave(w);
  }
}

function inet_frag_reasm_prepare(
  w: World,
  head: SkBuff,
  pieces: { f: SkBuff; offset: number; hlen: number; len: number }[],
): SkBuff {
  enter(w, F_inet_frag_reasm_prepare, head, head.dev);
  try {
    const firstPiece = pieces[0];
    const total = pieces.reduce((m, p) => Math.max(m, p.offset + p.len), 0);
    const hlen = firstPiece.hlen;
    const buf = new Uint8Array(head.networkHeader + hlen + total);
    buf.set(head.head.subarray(0, head.networkHeader));
    buf.set(firstPiece.f.head.subarray(firstPiece.f.networkHeader, firstPiece.f.networkHeader + hlen), head.networkHeader);
    for (const p of pieces) {
      const src = p.f.networkHeader + p.hlen;
      buf.set(p.f.head.subarray(src, src + p.len), head.networkHeader + hlen + p.offset);
    }
    // The first fragment's buffer is morphed into the one that completed the
    // datagram and consumed; the others hang on its frag_list until its data
    // is released.
    const first = pieces[0].f;
    if (first !== head) consume_skb(w, first, 'inet_frag_reasm_prepare');
    const rest = pieces.map((p) => p.f).filter((f) => f !== first && f !== head);
    if (rest.length) {
      if (!head.shinfo) head.shinfo = { dataref: 1, fragList: [] };
      head.shinfo.fragList.push(...rest);
    }
    head.head = buf;
    head.data = head.networkHeader;
    head.tail = buf.length;
    head.transportHeader = head.networkHeader + hlen;
    put16(buf, head.networkHeader + 2, hlen + total);
    put16(buf, head.networkHeader + 6, 0);
    ip_send_check(head);
    return ret(w, head);
  } finally {
    leave(w);
  }
}
