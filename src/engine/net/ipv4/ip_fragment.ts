// IPv4 reassembly (net/ipv4/ip_fragment.c, net/ipv4/inet_fragment.c).
import type { World } from '../../kernel/world.ts';
import type { SkBuff } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { SKB_QUEUE_REASM } from '../../trace/skblog.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { consume_skb, get16, get32, kfree_skb_partial, put16, skb_clone } from '../core/skbuff.ts';
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
    w.rec.skbNote(SKB_QUEUE_REASM, skb.id, 0, skb.dev!.name);
    const pieces = q.frags.map((f) => ({ f, ...fragInfo(f) })).sort((a, b) => a.offset - b.offset);
    const last = pieces[pieces.length - 1];
    if (last.more) return ret(w, null);
    let expect = 0;
    for (const p of pieces) {
      if (p.offset > expect) return ret(w, null);
      expect = Math.max(expect, p.offset + p.len);
    }
    // The queue keeps its fragments while they are put together (ipq_kill
    // unhashes it; its fragments leave it as they are merged or freed).
    const whole = inet_frag_reasm_prepare(w, skb, pieces);
    net.ipFrags = net.ipFrags.filter((f) => f !== q);
    return ret(w, whole);
  } finally {
    leave(w);
  }
}

/**
 * inet_frag_reasm_prepare + inet_frag_reasm_finish. The fragment that just
 * arrived becomes the head: a clone of it takes its place in the queue, it
 * takes over the first fragment's data (skb_morph) and that first buffer is
 * consumed. Then, in offset order, each other piece is copied into the head's
 * tailroom while the head is still linear and the piece fits
 * (skb_try_coalesce; the piece is freed with no trace event); the first piece
 * that does not fit, and every one after it, hangs on the head's frag_list,
 * freed when the datagram's data is released.
 */
function inet_frag_reasm_prepare(
  w: World,
  head: SkBuff,
  pieces: { f: SkBuff; offset: number; hlen: number; len: number }[],
): SkBuff {
  enter(w, F_inet_frag_reasm_prepare, head, head.dev);
  try {
    const firstPiece = pieces[0];
    const first = firstPiece.f;
    const total = pieces.reduce((m, p) => Math.max(m, p.offset + p.len), 0);
    const hlen = firstPiece.hlen;
    const buf = new Uint8Array(head.networkHeader + hlen + total);
    buf.set(head.head.subarray(0, head.networkHeader));
    buf.set(first.head.subarray(first.networkHeader, first.networkHeader + hlen), head.networkHeader);
    for (const p of pieces) {
      const src = p.f.networkHeader + p.hlen;
      buf.set(p.f.head.subarray(src, src + p.len), head.networkHeader + hlen + p.offset);
    }
    // The rest of the datagram, in offset order; the clone stands in for the head.
    const rest: { f: SkBuff; len: number }[] = [];
    for (const p of pieces) {
      if (p.f === first) continue;
      if (p.f !== head) {
        rest.push(p);
        continue;
      }
      const stand = skb_clone(w, head);
      // skb_morph drops the head's reference to its own data: the clone keeps it alone.
      stand.shinfo!.dataref--;
      head.shinfo = null;
      rest.push({ f: stand, len: p.len });
    }
    // The head now describes the first fragment's buffer (skb_morph).
    const headTail = first.tail;
    const headEnd = first.end;
    if (first !== head) consume_skb(w, first, 'inet_frag_reasm_prepare');
    let tail = headTail;
    let linear = true;
    const fragList: SkBuff[] = [];
    for (const r of rest) {
      if (linear && r.len <= headEnd - tail) {
        tail += r.len;
        kfree_skb_partial(w, r.f);
      } else {
        linear = false;
        fragList.push(r.f);
      }
    }
    if (fragList.length) {
      if (!head.shinfo) head.shinfo = { dataref: 1, fragList: [] };
      head.shinfo.fragList.push(...fragList);
    }
    head.head = buf;
    head.end = Math.max(headEnd, buf.length);
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
