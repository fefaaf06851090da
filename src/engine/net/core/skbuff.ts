// Socket buffers: allocation, the head/data/tail arithmetic, clones, and the
// two ways an skb ends (net/core/skbuff.c).
import type { World } from '../../kernel/world.ts';
import type { SkBuff, SkbFclones } from '../../include/skbuff.ts';
import { CHECKSUM_NONE, PACKET_HOST } from '../../include/skbuff.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { trace_consume_skb, trace_kfree_skb } from '../../trace/tracepoints.ts';
import { SKB_ALLOC, SKB_CLONE, SKB_FREE } from '../../trace/skblog.ts';

const F_kfree_skb_reason = kfn(
  'kfree_skb_reason',
  'net/core/skbuff.c',
  'The packet is dropped: its buffer is freed and the kfree_skb tracepoint records where and why (the drop reason).',
);
const F_consume_skb = kfn(
  'consume_skb',
  'net/core/skbuff.c',
  'The packet has done its job and is freed normally; consume_skb, unlike kfree_skb, means "not a drop".',
);
const F_skb_clone = kfn(
  'skb_clone',
  'net/core/skbuff.c',
  'Makes a second sk_buff describing the same packet, so another consumer (a socket, a tap) can hold it independently.',
  'skb',
);

/** LL_RESERVED_SPACE for an Ethernet device: room for a 14-byte header, aligned to 16. */
export const LL_RESERVED_SPACE = 16;

function track(w: World, skb: SkBuff): SkBuff {
  w.rec.liveSkbs?.set(skb.id, skb);
  return skb;
}

function untrack(w: World, skb: SkBuff): void {
  w.rec.liveSkbs?.delete(skb.id);
}

/** SKB_DATA_ALIGN: x86-64's 64-byte cache lines. */
function skbDataAlign(n: number): number {
  return (n + 63) & ~63;
}

/** sizeof(struct skb_shared_info) on x86-64 with 17 frags, already cache-aligned. */
const SKB_SHINFO_SIZE = 320;
/** SKB_SMALL_HEAD_CACHE_SIZE: SKB_HEAD_ALIGN(MAX_TCP_HEADER), the small-head slab. */
const SKB_SMALL_HEAD_CACHE_SIZE = 640;

/** kmalloc_size_roundup: the size of the kmalloc bucket (or pages) that serves n bytes. */
function kmallocSizeRoundup(n: number): number {
  if (n <= 8) return 8;
  if (n <= 96 && n > 64) return 96;
  if (n <= 192 && n > 128) return 192;
  if (n <= 8192) return 2 ** Math.ceil(Math.log2(n));
  return 4096 * 2 ** Math.ceil(Math.log2(n / 4096));
}

/**
 * __alloc_skb/kmalloc_reserve: the data area is rounded up to its slab object,
 * and skb_shared_info sits at the very end of it, so skb->end (the room for
 * data) can be well past what was asked for. Reassembly copies small
 * fragments into that tailroom.
 */
export function skbEndFor(size: number): number {
  const obj = skbDataAlign(size) + SKB_SHINFO_SIZE;
  const bucket = obj <= SKB_SMALL_HEAD_CACHE_SIZE ? SKB_SMALL_HEAD_CACHE_SIZE : kmallocSizeRoundup(obj);
  return bucket - SKB_SHINFO_SIZE;
}

/** How many freed skb structs each CPU's slab keeps for reuse (older ones are forgotten). */
const SLAB_FREELIST_DEPTH = 32;

/** kmem_cache_alloc(skbuff_cache): the CPU's most recently freed struct, else a fresh one. */
function skbStructAlloc(w: World): number {
  const free = w.skbSlab[w.cpu];
  return free.length ? free.pop()! : w.nextSkbAddr++;
}

/** kmem_cache_alloc(skbuff_fclone_cache): the CPU's most recently freed pair, else a fresh one. */
function skbFclonesAlloc(w: World): SkbFclones {
  const free = w.skbFcloneSlab[w.cpu];
  if (free.length) return { addr: free.pop()!, ref: 1 };
  const addr = w.nextSkbAddr;
  w.nextSkbAddr += 2;
  return { addr, ref: 1 };
}

function slabFree(free: number[], addr: number): void {
  free.push(addr);
  if (free.length > SLAB_FREELIST_DEPTH) free.shift();
}

/**
 * kfree_skbmem: a lone struct goes back to skbuff_cache; half of an fclone
 * pair drops the pair's reference, and the pair goes back to
 * skbuff_fclone_cache with the last one.
 */
function skbStructFree(w: World, skb: SkBuff): void {
  const pair = skb.fclones;
  if (!pair) return slabFree(w.skbSlab[w.cpu], skb.addr);
  if (--pair.ref === 0) slabFree(w.skbFcloneSlab[w.cpu], pair.addr);
}

/**
 * Packet memory: heads are carved, zeroed, from shared blocks rather than
 * allocated one by one. A typed array of its own costs the JavaScript engine
 * a separate allocation and a finalizer each (a flood makes a hundred
 * thousand heads); a view into a block costs an object. A block is freed
 * once no head in it is alive, so the size keeps what a long-lived skb
 * (queued on a socket) holds on to small. Heads are never reused, so they
 * start zeroed, as a fresh Uint8Array does.
 */
const HEAD_BLOCK_BYTES = 16 * 1024;
let headBlock = new ArrayBuffer(HEAD_BLOCK_BYTES);
let headBlockUsed = 0;

/** A zeroed head of `n` bytes. */
function headAlloc(n: number): Uint8Array {
  if (n > HEAD_BLOCK_BYTES / 8) return new Uint8Array(n);
  if (headBlockUsed + n > HEAD_BLOCK_BYTES) {
    headBlock = new ArrayBuffer(HEAD_BLOCK_BYTES);
    headBlockUsed = 0;
  }
  const head = new Uint8Array(headBlock, headBlockUsed, n);
  // Keep the next head 8-byte aligned, as an allocator would.
  headBlockUsed += (n + 7) & ~7;
  return head;
}

/** A copy of `head` (a clone's own buffer). */
function headCopy(head: Uint8Array): Uint8Array {
  const copy = headAlloc(head.length);
  copy.set(head);
  return copy;
}

/**
 * alloc_skb(headroom + size + extra) then skb_reserve(headroom): `extra` is
 * room the caller asks for beyond what it will fill (ip_append_data's 15).
 */
export function alloc_skb(w: World, size: number, headroom: number, extra = 0): SkBuff {
  return __alloc_skb(w, size, headroom, extra, null);
}

/**
 * alloc_skb_fclone: the skb comes with a companion for its first clone, as
 * tcp_stream_alloc_skb asks for every skb TCP may have to send again.
 */
export function alloc_skb_fclone(w: World, size: number, headroom: number): SkBuff {
  return __alloc_skb(w, size, headroom, 0, skbFclonesAlloc(w));
}

function __alloc_skb(w: World, size: number, headroom: number, extra: number, fclones: SkbFclones | null): SkBuff {
  const id = w.nextSkbId++;
  w.rec.skbNote(SKB_ALLOC, id);
  return track(w, {
    id,
    cloneOf: 0,
    addr: fclones ? fclones.addr : skbStructAlloc(w),
    head: headAlloc(headroom + size),
    data: headroom,
    tail: headroom,
    end: skbEndFor(headroom + size + extra),
    macHeader: -1,
    networkHeader: -1,
    transportHeader: -1,
    dev: null,
    skbIif: 0,
    protocol: 0,
    pktType: PACKET_HOST,
    sk: 0,
    fclone: null,
    fclones,
    dst: null,
    ipcbFlags: 0,
    ipSummed: CHECKSUM_NONE,
    tstamp: w.now,
    state: 'live',
    endLocation: '',
    dropReason: '',
    shinfo: null,
    gsoSize: 0,
    gsoSegs: 0,
    truesize: undefined,
    tcpCb: undefined,
    serr: undefined,
  });
}

/** skb_put: extends the data at the tail, returning the offset of the new area. */
export function skb_put(skb: SkBuff, len: number): number {
  const off = skb.tail;
  if (skb.tail + len > skb.head.length) {
    const bigger = new Uint8Array(skb.tail + len);
    bigger.set(skb.head);
    skb.head = bigger;
  }
  skb.tail += len;
  return off;
}

/** skb_push: extends the data at the front (into the headroom). */
export function skb_push(skb: SkBuff, len: number): number {
  if (skb.data < len) {
    // Not enough headroom: reallocate with more, as skb_cow_head would.
    const extra = len - skb.data + 16;
    const bigger = new Uint8Array(skb.head.length + extra);
    bigger.set(skb.head, extra);
    skb.head = bigger;
    skb.data += extra;
    skb.tail += extra;
    if (skb.macHeader >= 0) skb.macHeader += extra;
    if (skb.networkHeader >= 0) skb.networkHeader += extra;
    if (skb.transportHeader >= 0) skb.transportHeader += extra;
  }
  skb.data -= len;
  return skb.data;
}

export function skb_pull(skb: SkBuff, len: number): void {
  skb.data += len;
}

export function skb_clone(w: World, skb: SkBuff): SkBuff {
  enter(w, F_skb_clone, skb, skb.dev);
  try {
    if (!skb.shinfo) skb.shinfo = { dataref: 1, fragList: [] };
    skb.shinfo.dataref++;
    const id = w.nextSkbId++;
    w.rec.skbNote(SKB_CLONE, id, skb.id);
    // The original of an fclone pair whose companion is free clones into it;
    // any other clone is a struct of skbuff_cache.
    const pair = skb.fclones;
    const intoCompanion = pair !== null && pair.addr === skb.addr && pair.ref === 1;
    if (intoCompanion) pair.ref = 2;
    return ret(
      w,
      // Every field written out, in alloc_skb's order: all skbs share one
      // shape, so the code that reads them stays fast (a spread would make
      // clones an object shape of their own).
      track(w, {
        id,
        cloneOf: skb.id,
        addr: intoCompanion ? pair.addr + 1 : skbStructAlloc(w),
        head: headCopy(skb.head),
        data: skb.data,
        tail: skb.tail,
        end: skb.end,
        macHeader: skb.macHeader,
        networkHeader: skb.networkHeader,
        transportHeader: skb.transportHeader,
        dev: skb.dev,
        skbIif: skb.skbIif,
        protocol: skb.protocol,
        pktType: skb.pktType,
        sk: skb.sk,
        fclone: null,
        fclones: intoCompanion ? pair : null,
        dst: skb.dst,
        ipcbFlags: skb.ipcbFlags,
        ipSummed: skb.ipSummed,
        tstamp: skb.tstamp,
        state: 'live',
        endLocation: '',
        dropReason: '',
        shinfo: skb.shinfo,
        gsoSize: skb.gsoSize,
        gsoSegs: skb.gsoSegs,
        truesize: skb.truesize,
        tcpCb: skb.tcpCb ? { ...skb.tcpCb } : undefined,
        serr: skb.serr,
      }),
    );
  } finally {
    leave(w);
  }
}

export function kfree_skb_reason(w: World, skb: SkBuff, reason: string, location: string): void {
  enter(w, F_kfree_skb_reason, skb, skb.dev);
  try {
    trace_kfree_skb(w, skb, location, reason);
    untrack(w, skb);
    skb.state = 'dropped';
    skb.endLocation = location;
    skb.dropReason = reason;
    skb_release_data(w, skb);
    skbStructFree(w, skb);
  } finally {
    leave(w);
  }
}

export function consume_skb(w: World, skb: SkBuff, location: string): void {
  enter(w, F_consume_skb, skb, skb.dev);
  try {
    trace_consume_skb(w, skb, location);
    untrack(w, skb);
    skb.state = 'consumed';
    skb.endLocation = location;
    skb_release_data(w, skb);
    skbStructFree(w, skb);
  } finally {
    leave(w);
  }
}

const F_kfree_skb_partial = kfn(
  'kfree_skb_partial',
  'net/core/skbuff.c',
  'Frees an skb whose data was just copied elsewhere (a fragment merged into the reassembled datagram): no tracepoint fires, and its struct goes back to the slab for the next packet.',
);

const F___kfree_skb = kfn(
  '__kfree_skb',
  'net/core/skbuff.c',
  'Frees an skb with no tracepoint: how TCP lets go of the segments it has taken in (an ACK, data the reader copied) and of what the peer acknowledged.',
);

/** __kfree_skb: freed without a tracepoint, its struct back to the slab. */
export function __kfree_skb(w: World, skb: SkBuff): void {
  enter(w, F___kfree_skb, skb, skb.dev);
  try {
    w.rec.skbNote(SKB_FREE, skb.id);
    untrack(w, skb);
    skb.state = 'consumed';
    skb.endLocation = '__kfree_skb';
    skb_release_data(w, skb);
    skbStructFree(w, skb);
  } finally {
    leave(w);
  }
}

/** kfree_skb_partial: freed without a tracepoint (the data now lives in another skb). */
export function kfree_skb_partial(w: World, skb: SkBuff): void {
  enter(w, F_kfree_skb_partial, skb, skb.dev);
  try {
    w.rec.skbNote(SKB_FREE, skb.id);
    untrack(w, skb);
    skb.state = 'consumed';
    skb.endLocation = 'kfree_skb_partial';
    skb_release_data(w, skb);
    skbStructFree(w, skb);
  } finally {
    leave(w);
  }
}

const F___consume_stateless_skb = kfn(
  '__consume_stateless_skb',
  'net/core/skbuff.c',
  'Frees a buffer whose data the program has read (UDP after recvmsg): no tracepoint fires, and its struct goes back to the slab.',
);

/** __consume_stateless_skb: freed without a tracepoint (read by a UDP socket, say). */
export function __consume_stateless_skb(w: World, skb: SkBuff, location: string): void {
  enter(w, F___consume_stateless_skb, skb, skb.dev);
  try {
    w.rec.skbNote(SKB_FREE, skb.id, 0, location);
    untrack(w, skb);
    skb.state = 'consumed';
    skb.endLocation = location;
    skb_release_data(w, skb, true);
    skbStructFree(w, skb);
  } finally {
    leave(w);
  }
}

/**
 * The last reference to the data frees a reassembled datagram's other
 * fragments, with the reason the head is freed with: __kfree_skb (behind
 * consume_skb and kfree_skb) passes NOT_SPECIFIED, __consume_stateless_skb
 * (a UDP read) SKB_CONSUMED.
 */
function skb_release_data(w: World, skb: SkBuff, consumed = false): void {
  const sh = skb.shinfo;
  if (!sh || --sh.dataref > 0) return;
  const list = sh.fragList;
  sh.fragList = [];
  for (const f of list) {
    if (consumed) consume_skb(w, f, 'skb_release_data');
    else kfree_skb_reason(w, f, 'NOT_SPECIFIED', 'skb_release_data');
  }
}

/** Reads/writes of big-endian fields inside the packet. */
export function get16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

export function get32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/** The Internet checksum (RFC 1071) over b[off, off+len). */
export function ipChecksum(b: Uint8Array, off: number, len: number): number {
  let sum = 0;
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
