// What the UI draws for "step N": the call stack, the skb under the current
// call, and the whole machine's state at that moment. Views are computed by
// replaying from the nearest checkpoint, so no per-step copy of the world is
// ever kept. Step 0 is the moment before the first call; every modelled call
// then has two steps: its entry (the call has just been made) and its return
// (everything it did is done, and it is still the top of the call stack).
import type { World } from '../kernel/world.ts';
import type { Net } from '../include/net.ts';
import { cloneWorld } from '../kernel/world.ts';
import type { SkBuff } from '../include/skbuff.ts';
import { PKT_TYPE_NAMES, skbLen } from '../include/skbuff.ts';
import type { NetDevice } from '../include/netdevice.ts';
import { devGetFlags, IFF_LOOPBACK, IFF_NOARP, operState } from '../include/netdevice.ts';
import { NUD_NOARP, NUD_VALID, type Neighbour } from '../include/neighbour.ts';
import {
  RT_TABLE_LOCAL,
  RTN_BLACKHOLE,
  RTN_PROHIBIT,
  RTN_THROW,
  RTN_UNICAST,
  RTN_UNREACHABLE,
  type FibAlias,
} from '../include/route.ts';
import { KERNEL_FUNCTIONS, elixirUrl } from '../trace/functions.ts';
import { Recorder, STEP_RETURN } from '../trace/recorder.ts';
import { formatReturn } from '../trace/retval.ts';
import { createOutput } from './output.ts';
import { tick, type Run } from './run.ts';
import { ipStr, macStr } from '../net/ipv4/addr.ts';
import { proto_list } from '../net/core/sock.ts';
import { ssStateName, type Sock } from '../include/sock.ts';
import type { TcpSock } from '../include/tcp.ts';
import { explainStep } from './explain.ts';
import { changesBetween } from './changes.ts';
import { skbLife, type SkbLifeEntry } from './skblife.ts';
import { findSkb, isSkb } from './skbfind.ts';

export interface FrameView {
  fn: string;
  file: string;
  url: string;
  summary: string;
  skb: number;
  dev: string | null;
  /** The device's engine uid and its namespace's uid (names repeat across namespaces). */
  devUid: number;
  netUid: number;
}

export interface SkbView {
  id: number;
  dev: string | null;
  protocol: string;
  pktType: string;
  len: number;
  headroom: number;
  dataOffset: number;
  tailOffset: number;
  end: number;
  macHeader: number;
  networkHeader: number;
  transportHeader: number;
  /**
   * The buffer from its start, hex, so the UI can show headroom, headers and
   * payload: all of it for the skb a view is about, only through the headers
   * (and a little payload) for the skbs merely drawn (headerBytesOnly).
   */
  bytes: string;
  state: string;
  /** The skb this one was cloned from (skb_clone), or 0. */
  cloneOf: number;
  /** The owning socket's id (skb->sk), 0 when none. */
  sk: number;
  /** skb->dev's engine uid and its namespace's uid, 0 when it has no device. */
  devUid: number;
  netUid: number;
  /** Once freed: the kernel function that freed it and, for a drop, the reason. */
  endLocation: string;
  dropReason: string;
}

export interface DeviceView {
  uid: number;
  ifindex: number;
  name: string;
  kind: string;
  mac: string;
  mtu: number;
  state: string;
  up: boolean;
  carrier: boolean;
  flags: number;
  addrs: string[];
  peerUid: number;
  peerNetUid: number;
  masterUid: number;
  rxPackets: number;
  txPackets: number;
  taps: number;
}

export interface NamespaceView {
  uid: number;
  name: string;
  devices: DeviceView[];
  neighbours: { key: string; dev: string; state: string; mac: string }[];
  routes: string[];
  /** Raw sockets (ping's) and the transport protocols' (UDP, TCP). */
  sockets: SocketView[];
}

export interface SocketView {
  id: number;
  /** The skbs in its receive queue, head first. */
  queued: number[];
  /**
   * TCP's data on its way out, head first: written and not yet sent
   * (sk_write_queue), then sent and not yet acknowledged (tcp_rtx_queue, which
   * tcp_write_xmit moves each skb to as it sends a clone of it); empty for
   * other sockets.
   */
  writeQueue: number[];
  rtxQueue: number[];
  /** A TCP listener's accept queue: the ids of its children whose handshake is done, oldest first. */
  acceptQueue: number[];
  /** A TCP listener's half-open connections (request socks that sent a SYN-ACK). */
  synQueue: number;
  /** A raw socket's bound device (its ifindex), or ''. */
  bound: string;
  /** 'raw', or the protocol's name ('UDP', 'TCP'). */
  proto: string;
  /** Local and peer address:port as ss prints them ('' for a raw socket). */
  local: string;
  peer: string;
  /** The state as ss names it (UNCONN, ESTAB, LISTEN, ...), '' for a raw socket. */
  state: string;
}

export interface CpuView {
  cpu: number;
  inputPktQueue: number[];
  processQueue: number[];
  pollList: string[];
  netRxPending: boolean;
  inNetRxAction: boolean;
  backlogScheduled: boolean;
  budgetUsed: number;
}

/** Where each live skb is at this moment. */
export interface SkbPlace {
  skb: number;
  /**
   * reasm: a fragment waiting in its namespace's IP reassembly queue for the datagram's other fragments.
   * socket: in the socket's receive queue; write_queue, rtx_queue: in a TCP socket's queues on the way out.
   */
  where: 'backlog' | 'process_queue' | 'neigh_queue' | 'socket' | 'write_queue' | 'rtx_queue' | 'reasm' | 'stack';
  cpu?: number;
  dev?: string;
  /** The device's engine uid (names repeat across namespaces). */
  devUid?: number;
  netUid?: number;
  socket?: number;
}

/** The skb the skb panel shows: the one the reader picked, or else the current call's. */
export interface SkbFocus {
  id: number;
  /** Its state at this step; null when it is not alive at this step (not yet allocated, or freed). */
  skb: SkbView | null;
  /** Whether the reader picked it (rather than it being the current call's skb). */
  picked: boolean;
  life: SkbLifeEntry[];
}

export interface StepView {
  step: number;
  total: number;
  /** 'entry': the top frame's call has just been made; 'return': it is returning, its effects done; null at step 0. */
  kind: 'entry' | 'return' | null;
  /** At a return step, what the call returns in the kernel's terms (NET_RX_SUCCESS, -ENETUNREACH, …); null for void. */
  returned: string | null;
  time: number;
  ctx: 'task' | 'softirq' | null;
  cpu: number;
  /**
   * The namespace (uid) of the process whose code runs (current->nsproxy->net_ns),
   * 0 when none (a timer): where a process's skb that neither a device nor a
   * socket owns yet (tcp_sendmsg's, a FIN) is.
   */
  currentNet: number;
  stack: FrameView[];
  explanation: string;
  skb: SkbView | null;
  namespaces: NamespaceView[];
  cpus: CpuView[];
  skbs: SkbPlace[];
  /**
   * The fields and bytes of every skb drawn at this step (queued anywhere or
   * held by a call on the stack), so any of them can be labelled and opened.
   */
  skbViews: SkbView[];
  /** What this call changed since the previous step, in words. */
  changes: string[];
  /** The tracepoint events this call emitted (trace.txt's form, engine skb ids). */
  stepEvents: string[];
  /** Counts of recorded items visible at this step (the UI slices the full logs). */
  events: number;
  terminal: number;
  captures: number[];
  /** The skb for the skb panel (see SkbFocus); null when there is none. */
  focus?: SkbFocus | null;
}

const NUD_NAMES: [number, string][] = [
  [0x01, 'INCOMPLETE'],
  [0x02, 'REACHABLE'],
  [0x04, 'STALE'],
  [0x08, 'DELAY'],
  [0x10, 'PROBE'],
  [0x20, 'FAILED'],
  [0x40, 'NOARP'],
  [0x80, 'PERMANENT'],
];

/**
 * Entries that never needed ARP (on lo, for broadcast and multicast
 * addresses, made NOARP by arp_constructor) are not drawn; an entry an
 * administrator set NOARP (`ip neigh ... nud noarp`) is.
 */
function drawnNeighbour(n: Neighbour): boolean {
  if (!(n.nudState & NUD_NOARP)) return true;
  return n.type === RTN_UNICAST && !(n.dev.flags & (IFF_LOOPBACK | IFF_NOARP));
}

function nudName(s: number): string {
  const hit = NUD_NAMES.find(([b]) => s & b);
  return hit ? hit[1] : 'NONE';
}

/** What a drawn skb's view keeps past the start of its last header: the longest TCP (or IPv4) header and a little payload, enough for a token's label and summary. */
const DRAWN_BYTES_PAST_LAST_HEADER = 60 + 64;

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/**
 * The skb as the UI sees it. `headerBytesOnly`: the bytes stop a little past
 * the last header, for skbs that are only drawn (a TCP socket's queue can hold
 * a megabyte in one skb, and every step's view would carry it).
 */
export function skbView(skb: SkBuff, headerBytesOnly = false): SkbView {
  const proto =
    skb.protocol === 0x0800
      ? 'ETH_P_IP (0x0800)'
      : skb.protocol === 0x0806
        ? 'ETH_P_ARP (0x0806)'
        : `0x${skb.protocol.toString(16).padStart(4, '0')}`;
  return {
    id: skb.id,
    dev: skb.dev ? skb.dev.name : null,
    protocol: proto,
    pktType: PKT_TYPE_NAMES[skb.pktType] ?? String(skb.pktType),
    len: skbLen(skb),
    headroom: skb.data,
    dataOffset: skb.data,
    tailOffset: skb.tail,
    end: skb.head.length,
    macHeader: skb.macHeader,
    networkHeader: skb.networkHeader,
    transportHeader: skb.transportHeader,
    bytes: hex(
      headerBytesOnly
        ? skb.head.subarray(
            0,
            Math.max(skb.data, skb.macHeader, skb.networkHeader, skb.transportHeader) + DRAWN_BYTES_PAST_LAST_HEADER,
          )
        : skb.head,
    ),
    state: skb.state,
    cloneOf: skb.cloneOf,
    sk: skb.sk,
    devUid: skb.dev ? skb.dev.uid : 0,
    netUid: skb.dev ? skb.dev.net.uid : 0,
    endLocation: skb.endLocation,
    dropReason: skb.dropReason,
  };
}

function deviceView(d: NetDevice): DeviceView {
  return {
    uid: d.uid,
    ifindex: d.ifindex,
    name: d.name,
    kind: d.kind,
    mac: macStr(d.addr),
    mtu: d.mtu,
    state: operState(d),
    up: (d.flags & 1) !== 0,
    carrier: d.carrier,
    flags: devGetFlags(d),
    addrs: d.inDev.addrs.map((a) => `${ipStr(a.local)}/${a.prefixlen}`),
    peerUid: d.peer ? d.peer.uid : 0,
    peerNetUid: d.peer ? d.peer.net.uid : 0,
    masterUid: d.master ? d.master.uid : 0,
    rxPackets: d.stats.rxPackets,
    txPackets: d.stats.txPackets,
    taps: d.taps.length,
  };
}

/** Route types that name themselves in a route's line; the others have a device that says enough. */
const ROUTE_TYPE_WORDS: Record<number, string> = {
  [RTN_BLACKHOLE]: 'blackhole',
  [RTN_UNREACHABLE]: 'unreachable',
  [RTN_PROHIBIT]: 'prohibit',
  [RTN_THROW]: 'throw',
};

function routeText(fa: FibAlias): string {
  const words: string[] = [];
  if (fa.table === RT_TABLE_LOCAL) words.push('local');
  if (ROUTE_TYPE_WORDS[fa.type]) words.push(ROUTE_TYPE_WORDS[fa.type]);
  words.push(fa.dstLen === 0 ? 'default' : `${ipStr(fa.dst)}/${fa.dstLen}`);
  if (fa.gateway) words.push('via', ipStr(fa.gateway));
  // Blackhole, unreachable and prohibit routes have no device.
  if (fa.dev) words.push('dev', fa.dev.name);
  return words.join(' ');
}

/** A TCP socket's write queue (written, not yet sent); empty for other sockets. */
function tcpWriteQueue(sk: Sock): SkBuff[] {
  return 'writeQueue' in sk ? (sk as TcpSock).writeQueue : [];
}

/** A TCP socket's retransmit queue (sent, not yet acknowledged); empty for other sockets. */
function tcpRtxQueue(sk: Sock): SkBuff[] {
  return 'rtxQueue' in sk ? (sk as TcpSock).rtxQueue : [];
}

/**
 * The namespace's UDP and TCP sockets: those their protocols keep in their
 * tables, in the order ss lists them, then those only a process still holds
 * (a connection in TIME_WAIT is out of the tables, its unread data still queued).
 */
function inetSockets(w: World, net: Net): Sock[] {
  // Raw sockets are drawn on their own (first), without ports.
  const out = proto_list()
    .filter((p) => p.name !== 'RAW')
    .flatMap((p) => p.sockets(net));
  const listed = new Set(out.map((sk) => sk.id));
  for (const task of w.procs)
    for (const file of task.files ?? [])
      if (file && file.sk.netUid === net.uid && file.sk.prot !== 'RAW' && !listed.has(file.sk.id)) {
        listed.add(file.sk.id);
        out.push(file.sk);
      }
  return out;
}

export function worldView(w: World): Pick<StepView, 'namespaces' | 'cpus' | 'skbs'> {
  const skbs: SkbPlace[] = [];
  const namespaces = w.nets.map((net): NamespaceView => {
    for (const n of net.neighbours)
      for (const s of n.arpQueue)
        skbs.push({ skb: s.id, where: 'neigh_queue', dev: n.dev.name, devUid: n.dev.uid, netUid: net.uid });
    for (const sk of net.rawSockets)
      for (const s of sk.receiveQueue) skbs.push({ skb: s.id, where: 'socket', socket: sk.id, netUid: net.uid });
    const socks = inetSockets(w, net);
    for (const sk of socks) {
      for (const s of sk.receiveQueue) skbs.push({ skb: s.id, where: 'socket', socket: sk.id, netUid: net.uid });
      for (const s of tcpWriteQueue(sk)) skbs.push({ skb: s.id, where: 'write_queue', socket: sk.id, netUid: net.uid });
      for (const s of tcpRtxQueue(sk)) skbs.push({ skb: s.id, where: 'rtx_queue', socket: sk.id, netUid: net.uid });
    }
    for (const q of net.ipFrags)
      for (const s of q.frags) if (s.state === 'live') skbs.push({ skb: s.id, where: 'reasm', netUid: net.uid });
    return {
      uid: net.uid,
      name: net.name,
      devices: net.devices.map(deviceView),
      neighbours: net.neighbours.filter(drawnNeighbour).map((n) => ({
        key: ipStr(n.key),
        dev: n.dev.name,
        state: nudName(n.nudState),
        // The MAC is known in the valid states (what the kernel reports as NDA_LLADDR).
        mac: n.nudState & NUD_VALID ? macStr(n.ha) : '',
      })),
      routes: net.ipv4.fib.map(routeText),
      sockets: [
        ...net.rawSockets.map((sk): SocketView => ({
          id: sk.id,
          queued: sk.receiveQueue.map((s) => s.id),
          writeQueue: [],
          rtxQueue: [],
          bound: sk.boundDevIf ? String(sk.boundDevIf) : '',
          proto: 'raw',
          local: '',
          peer: '',
          state: '',
          acceptQueue: [],
          synQueue: 0,
        })),
        ...socks.map((sk): SocketView => ({
          id: sk.id,
          queued: sk.receiveQueue.map((s) => s.id),
          writeQueue: tcpWriteQueue(sk).map((s) => s.id),
          rtxQueue: tcpRtxQueue(sk).map((s) => s.id),
          bound: '',
          proto: sk.prot,
          local: `${ipStr(sk.rcvSaddr)}:${sk.num || '*'}`,
          peer: `${ipStr(sk.daddr)}:${sk.dport || '*'}`,
          state: ssStateName(sk.state),
          acceptQueue: 'acceptQueue' in sk ? (sk as TcpSock).acceptQueue.map((c) => c.id) : [],
          synQueue: 'synQueue' in sk ? (sk as TcpSock).synQueue.length : 0,
        })),
      ],
    };
  });
  const cpus = w.cpus.map((sd): CpuView => {
    for (const s of sd.inputPktQueue)
      skbs.push({ skb: s.id, where: 'backlog', cpu: sd.cpu, dev: s.dev?.name, devUid: s.dev?.uid, netUid: s.dev?.net.uid });
    for (const s of sd.processQueue)
      skbs.push({
        skb: s.id,
        where: 'process_queue',
        cpu: sd.cpu,
        dev: s.dev?.name,
        devUid: s.dev?.uid,
        netUid: s.dev?.net.uid,
      });
    return {
      cpu: sd.cpu,
      inputPktQueue: sd.inputPktQueue.map((s) => s.id),
      processQueue: sd.processQueue.map((s) => s.id),
      pollList: [...sd.pollList],
      netRxPending: (sd.softirqPending & 8) !== 0,
      inNetRxAction: sd.inNetRxAction,
      backlogScheduled: (sd.backlogState & 1) !== 0,
      budgetUsed: sd.budgetUsed,
    };
  });
  return { namespaces, cpus, skbs };
}

/** At most this many skbs get their bytes in a view (a flood can queue thousands). */
const MAX_SKB_VIEWS = 200;

/** The skbs drawn at this moment: those held by the calls on the stack first, then every queued one. */
function drawnSkbViews(w: World, held: (SkBuff | null)[]): SkbView[] {
  const seen = new Map<number, SkbView>();
  const add = (s: SkBuff | null | undefined) => {
    if (s && !seen.has(s.id) && seen.size < MAX_SKB_VIEWS) seen.set(s.id, skbView(s, true));
  };
  for (let i = held.length - 1; i >= 0; i--) add(held[i]);
  for (const sd of w.cpus) {
    for (const s of sd.inputPktQueue) add(s);
    for (const s of sd.processQueue) add(s);
  }
  for (const net of w.nets) {
    for (const n of net.neighbours) for (const s of n.arpQueue) add(s);
    for (const sk of net.rawSockets) for (const s of sk.receiveQueue) add(s);
    for (const sk of inetSockets(w, net)) for (const s of [...sk.receiveQueue, ...tcpWriteQueue(sk), ...tcpRtxQueue(sk)]) add(s);
    for (const q of net.ipFrags) for (const s of q.frags) if (s.state === 'live') add(s);
  }
  return [...seen.values()];
}

/** Thrown to end a replay at the asked step: a plain object, since an Error would capture a stack trace on every view. */
const STOP_REPLAY = { stopReplay: true } as const;

function countUpTo<T extends { step: number }>(items: T[], step: number): number {
  // Items appended at step s are visible from view s (their recorder count).
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].step <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The view of step `n` (0..total); `pickedSkb`, when given, is the skb the panel shows. */
export function viewAt(run: Run, n: number, pickedSkb?: number): StepView {
  const total = run.rec.count;
  const step = Math.max(0, Math.min(total, Math.floor(n)));
  // Step k > 0 is the moment call k (recorder index k-1) is entered. Step 0 is
  // the moment just before the first call: the script's setup has run.
  const index = step - 1;
  const stopAt = Math.max(0, index);
  let cp = run.checkpoints[0];
  // Start before the previous call when there is one, to see what this call changed.
  const from = index > 0 ? stopAt - 1 : stopAt;
  for (const c of run.checkpoints) if (c.step <= from) cp = c;
  const w = cloneWorld(cp.world);
  const rec = new Recorder();
  rec.storing = false;
  rec.count = cp.step;
  const out = createOutput();
  out.muted = true;
  w.rec = rec;
  w.out = out;
  let captured: Omit<
    StepView,
    'step' | 'total' | 'events' | 'terminal' | 'captures' | 'changes' | 'stepEvents' | 'kind' | 'returned' | 'focus'
  > | null = null;
  let kind: StepView['kind'] = null;
  let returned: string | null = null;
  let focus: SkbFocus | null = null;
  let returnedSkb: SkBuff | null = null;
  let previous: ReturnType<typeof worldView> | null = null;
  const capture = (skb: SkBuff | null, before: boolean) => {
    const frames = before ? [] : rec.stack;
    const stack = frames.map((fnId, i): FrameView => {
      const f = KERNEL_FUNCTIONS[fnId];
      const s = rec.frameSkb[i];
      const d = rec.frameDev[i];
      return {
        fn: f.name,
        file: f.file,
        url: elixirUrl(f),
        summary: f.summary,
        skb: s ? s.id : 0,
        dev: d ? d.name : null,
        devUid: d ? d.uid : 0,
        netUid: d ? d.net.uid : 0,
      };
    });
    const top = frames.length ? frames[frames.length - 1] : -1;
    let explanation = top >= 0 ? explainStep(KERNEL_FUNCTIONS[top], skb, rec.frameDev[rec.frameDev.length - 1]) : '';
    if (top >= 0 && kind === 'return') {
      const caller = frames.length > 1 ? KERNEL_FUNCTIONS[frames[frames.length - 2]].name : null;
      const to = caller ? ` to ${caller}` : '';
      explanation = `${KERNEL_FUNCTIONS[top].name} returns${returned !== null ? ` ${returned}` : ''}${to}: what it did is done. ${explanation}`;
    }
    captured = {
      time: w.now,
      ctx: frames.length ? w.ctx : null,
      cpu: w.cpu,
      currentNet: w.currentNet,
      stack,
      explanation,
      skb: skb ? skbView(skb) : null,
      ...worldView(w),
      skbViews: drawnSkbViews(w, before ? [] : [...rec.frameSkb, skb]),
    };
    const focusId = pickedSkb ?? (skb ? skb.id : 0);
    if (focusId > 0) {
      // At a return step the skb may be only the returned value (skb_clone's clone, arp_create's request).
      const held = findSkb(w, before ? [] : [...rec.frameSkb, returnedSkb], focusId);
      focus = {
        id: focusId,
        skb: held ? skbView(held) : null,
        picked: pickedSkb !== undefined,
        life: skbLife(run, focusId),
      };
    }
  };
  rec.observer = {
    onStep(i, fn, skb, _dev, stepKind, retval) {
      if (i === stopAt - 1) previous = worldView(w);
      if (i === stopAt) {
        if (index >= 0) {
          kind = stepKind === STEP_RETURN ? 'return' : 'entry';
          if (stepKind === STEP_RETURN) returned = formatReturn(KERNEL_FUNCTIONS[fn], retval);
          if (stepKind === STEP_RETURN && isSkb(retval)) returnedSkb = retval;
        }
        capture(index < 0 ? null : skb, index < 0);
        throw STOP_REPLAY;
      }
    },
  };
  try {
    while (tick(w, run.script)) {
      /* replay */
    }
    capture(null, true); // a run without calls: step 0 is the end state
  } catch (e) {
    if (e !== STOP_REPLAY) throw e;
  }
  const c = captured!;
  const o = run.out;
  const evCount = index < 0 ? 0 : run.rec.eventStart[index] + countEventsAt(run, index);
  const terminalCount = countUpTo(o.terminal, step);
  const ev = run.rec.events;
  const stepEvents: string[] = [];
  if (index >= 0) for (let i = run.rec.eventStart[index]; i < evCount; i++) stepEvents.push(ev.text(i));
  return {
    step,
    total,
    kind,
    returned,
    ...c,
    changes: previous && index > 0 ? changesBetween(previous, c) : [],
    stepEvents,
    events: evCount,
    terminal: terminalCount,
    captures: o.captures.map((cap) => countUpTo(cap.packets, step)),
    focus,
  };
}

/** Events emitted by the call at `index` itself before it returned control to a callee. */
function countEventsAt(run: Run, index: number): number {
  const next = index + 1 < run.rec.count ? run.rec.eventStart[index + 1] : run.rec.events.length;
  return next - run.rec.eventStart[index];
}

export function eventText(run: Run, i: number): string {
  return run.rec.events.text(i);
}
