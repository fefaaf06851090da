// The kernel tracepoints skbwalk emits, with the fields kernel-trace keeps.
import type { World } from '../kernel/world.ts';
import type { SkBuff } from '../include/skbuff.ts';
import { skbLen } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';
import { ipStr } from '../net/ipv4/addr.ts';
import {
  EV_CONSUME_SKB, EV_FIB_TABLE_LOOKUP, EV_KFREE_SKB, EV_NAPI_POLL, EV_NEIGH_CREATE, EV_NEIGH_UPDATE,
  EV_NET_DEV_QUEUE, EV_NET_DEV_START_XMIT, EV_NET_DEV_XMIT, EV_NETIF_RECEIVE_SKB, EV_NETIF_RX, EV_SOFTIRQ_RAISE,
} from './recorder.ts';

function emit(w: World, kind: number, skb: number, fields: string, netUid: number): void {
  w.rec.event({ ctx: w.ctx, cpu: w.cpu, kind, skb, fields, netUid });
}

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

export function trace_net_dev_queue(w: World, skb: SkBuff): void {
  emit(w, EV_NET_DEV_QUEUE, skb.id, `dev=${skb.dev!.name} len=${skbLen(skb)}`, skb.dev!.net.uid);
}

export function trace_net_dev_start_xmit(w: World, skb: SkBuff, dev: NetDevice): void {
  emit(w, EV_NET_DEV_START_XMIT, skb.id, `dev=${dev.name} protocol=${hex4(skb.protocol)} len=${skbLen(skb)}`, dev.net.uid);
}

export function trace_net_dev_xmit(w: World, skb: SkBuff, rc: number, dev: NetDevice, len: number): void {
  emit(w, EV_NET_DEV_XMIT, skb.id, `dev=${dev.name} len=${len} rc=${rc}`, dev.net.uid);
}

export function trace_netif_rx(w: World, skb: SkBuff): void {
  emit(w, EV_NETIF_RX, skb.id, `dev=${skb.dev!.name} len=${skbLen(skb)}`, skb.dev!.net.uid);
}

export function trace_netif_receive_skb(w: World, skb: SkBuff): void {
  emit(w, EV_NETIF_RECEIVE_SKB, skb.id, `dev=${skb.dev!.name} len=${skbLen(skb)}`, skb.dev!.net.uid);
}

export function trace_napi_poll(w: World, devName: string, work: number, budget: number): void {
  emit(w, EV_NAPI_POLL, 0, `dev=${devName} work=${work} budget=${budget}`, 0);
}

export function trace_kfree_skb(w: World, skb: SkBuff, location: string, reason: string): void {
  emit(w, EV_KFREE_SKB, skb.id, `location=${location} reason=${reason}`, skb.dev ? skb.dev.net.uid : 0);
}

export function trace_consume_skb(w: World, skb: SkBuff, location: string): void {
  emit(w, EV_CONSUME_SKB, skb.id, `location=${location}`, skb.dev ? skb.dev.net.uid : 0);
}

export function trace_neigh_create(w: World, dev: NetDevice, key: number): void {
  emit(w, EV_NEIGH_CREATE, 0, `dev=${dev.name} key=${ipStr(key)}`, dev.net.uid);
}

const NUD_TRACE_NAMES: [number, string][] = [
  [0x01, 'incomplete'], [0x02, 'reachable'], [0x04, 'stale'], [0x08, 'delay'], [0x10, 'probe'],
  [0x20, 'failed'], [0x40, 'noarp'], [0x80, 'permanent'],
];

/** __print_flags(nud_state, "|", ...) as the neigh tracepoints print it. */
export function nudTraceName(state: number): string {
  if (state === 0) return '0x0';
  const parts: string[] = [];
  let rest = state;
  for (const [bit, name] of NUD_TRACE_NAMES) {
    if (state & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push('0x' + rest.toString(16));
  return parts.join('|');
}

export function trace_neigh_update(w: World, dev: NetDevice, key: number, oldState: number, newState: number): void {
  emit(w, EV_NEIGH_UPDATE, 0, `dev=${dev.name} key=${ipStr(key)} state=${nudTraceName(oldState)}->${nudTraceName(newState)}`, dev.net.uid);
}

export interface FibLookupTrace {
  table: number;
  oif: number;
  iif: number;
  proto: number;
  src: number;
  dst: number;
  result: string;
  err: number;
  netUid: number;
}

export function trace_fib_table_lookup(w: World, t: FibLookupTrace): void {
  emit(w, EV_FIB_TABLE_LOOKUP, 0,
    `table=${t.table} oif=${t.oif} iif=${t.iif} proto=${t.proto} src=${ipStr(t.src)} dst=${ipStr(t.dst)} result=${t.result} err=${t.err}`,
    t.netUid);
}

export function trace_softirq_raise(w: World, vec: string): void {
  emit(w, EV_SOFTIRQ_RAISE, 0, `vec=${vec}`, 0);
}
