// The kernel tracepoints skbwalk emits, with the fields kernel-trace keeps.
// Each writes integers (and interned strings) into the run's EventLog.
import type { World } from '../kernel/world.ts';
import type { SkBuff } from '../include/skbuff.ts';
import { skbLen } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';
import {
  EV_CONSUME_SKB,
  EV_FIB_TABLE_LOOKUP,
  EV_KFREE_SKB,
  EV_NAPI_POLL,
  EV_NEIGH_CREATE,
  EV_NEIGH_UPDATE,
  EV_NET_DEV_QUEUE,
  EV_NET_DEV_START_XMIT,
  EV_NET_DEV_XMIT,
  EV_NETIF_RECEIVE_SKB,
  EV_NETIF_RX,
  EV_SOFTIRQ_RAISE,
  EV_INET_SOCK_SET_STATE,
  EV_TCP_SEND_RESET,
  EV_TCP_RECEIVE_RESET,
  EV_TCP_RETRANSMIT_SKB,
} from './eventlog.ts';

/** `skb` is the address the tracepoint prints; `skbId` the engine's id (for each skb's life). */
function start(w: World, kind: number, skb: number, netUid: number, skbId = 0): number {
  return w.rec.event(kind, w.ctx, w.cpu, skb, netUid, skbId);
}

function devLen(w: World, kind: number, skb: SkBuff, dev: NetDevice, len: number): void {
  const o = start(w, kind, skb.addr, dev.net.uid, skb.id);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(dev.name);
  ev.args[o + 1] = len;
}

export function trace_net_dev_queue(w: World, skb: SkBuff): void {
  devLen(w, EV_NET_DEV_QUEUE, skb, skb.dev!, skbLen(skb));
}

export function trace_netif_rx(w: World, skb: SkBuff): void {
  devLen(w, EV_NETIF_RX, skb, skb.dev!, skbLen(skb));
}

export function trace_netif_receive_skb(w: World, skb: SkBuff): void {
  devLen(w, EV_NETIF_RECEIVE_SKB, skb, skb.dev!, skbLen(skb));
}

export function trace_net_dev_start_xmit(w: World, skb: SkBuff, dev: NetDevice): void {
  const o = start(w, EV_NET_DEV_START_XMIT, skb.addr, dev.net.uid, skb.id);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(dev.name);
  ev.args[o + 1] = skb.protocol;
  ev.args[o + 2] = skbLen(skb);
}

export function trace_net_dev_xmit(w: World, skb: SkBuff, rc: number, dev: NetDevice, len: number): void {
  const o = start(w, EV_NET_DEV_XMIT, skb.addr, dev.net.uid, skb.id);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(dev.name);
  ev.args[o + 1] = len;
  ev.args[o + 2] = rc;
}

export function trace_napi_poll(w: World, devName: string, work: number, budget: number): void {
  const o = start(w, EV_NAPI_POLL, 0, 0);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(devName);
  ev.args[o + 1] = work;
  ev.args[o + 2] = budget;
}

export function trace_kfree_skb(w: World, skb: SkBuff, location: string, reason: string): void {
  const o = start(w, EV_KFREE_SKB, skb.addr, skb.dev ? skb.dev.net.uid : 0, skb.id);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(location);
  ev.args[o + 1] = ev.intern(reason);
}

export function trace_consume_skb(w: World, skb: SkBuff, location: string): void {
  const o = start(w, EV_CONSUME_SKB, skb.addr, skb.dev ? skb.dev.net.uid : 0, skb.id);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(location);
}

export function trace_neigh_create(w: World, dev: NetDevice, key: number): void {
  const o = start(w, EV_NEIGH_CREATE, 0, dev.net.uid);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(dev.name);
  ev.args[o + 1] = key | 0;
}

export function trace_neigh_update(w: World, dev: NetDevice, key: number, oldState: number, newState: number): void {
  const o = start(w, EV_NEIGH_UPDATE, 0, dev.net.uid);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(dev.name);
  ev.args[o + 1] = key | 0;
  ev.args[o + 2] = oldState;
  ev.args[o + 3] = newState;
}

/** fib_table_lookup's tracepoint: the flow looked up, and the result's device name ('-' for none) and error. */
export function trace_fib_table_lookup(
  w: World,
  netUid: number,
  table: number,
  fl: { oif: number; iif: number; proto: number; saddr: number; daddr: number },
  result: string,
  err: number,
): void {
  const o = start(w, EV_FIB_TABLE_LOOKUP, 0, netUid);
  if (o < 0) return;
  const ev = w.rec.events;
  const a = ev.args;
  a[o] = table;
  a[o + 1] = fl.oif;
  a[o + 2] = fl.iif;
  a[o + 3] = fl.proto;
  a[o + 4] = fl.saddr | 0;
  a[o + 5] = fl.daddr | 0;
  a[o + 6] = ev.intern(result);
  a[o + 7] = err;
}

export function trace_softirq_raise(w: World, vec: string): void {
  const o = start(w, EV_SOFTIRQ_RAISE, 0, 0);
  if (o < 0) return;
  const ev = w.rec.events;
  ev.args[o] = ev.intern(vec);
}

/** Addresses and ports of a TCP event: the socket's (or the reset's) own first. */
export interface TcpEndpoints {
  saddr: number;
  sport: number;
  daddr: number;
  dport: number;
}

function tcpEvent(w: World, kind: number, netUid: number, e: TcpEndpoints, state = 0, newState = 0): void {
  const o = start(w, kind, 0, netUid);
  if (o < 0) return;
  const a = w.rec.events.args;
  a[o] = e.saddr | 0;
  a[o + 1] = e.sport;
  a[o + 2] = e.daddr | 0;
  a[o + 3] = e.dport;
  a[o + 4] = state;
  a[o + 5] = newState;
}

/** sock:inet_sock_set_state for a TCP socket. */
export function trace_inet_sock_set_state(w: World, netUid: number, e: TcpEndpoints, oldState: number, newState: number): void {
  tcpEvent(w, EV_INET_SOCK_SET_STATE, netUid, e, oldState, newState);
}

/** tcp:tcp_send_reset: the reset's own addresses; `state` 0 when no socket sends it. */
export function trace_tcp_send_reset(w: World, netUid: number, e: TcpEndpoints, state: number): void {
  tcpEvent(w, EV_TCP_SEND_RESET, netUid, e, state);
}

/** tcp:tcp_receive_reset: the socket's addresses. */
export function trace_tcp_receive_reset(w: World, netUid: number, e: TcpEndpoints): void {
  tcpEvent(w, EV_TCP_RECEIVE_RESET, netUid, e);
}

/** tcp:tcp_retransmit_skb */
export function trace_tcp_retransmit_skb(w: World, netUid: number, e: TcpEndpoints, state: number): void {
  tcpEvent(w, EV_TCP_RETRANSMIT_SKB, netUid, e, state);
}
