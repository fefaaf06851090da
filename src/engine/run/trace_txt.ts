// trace.txt: the run's tracepoint events in the kernel-trace recorder's
// normalized form. Only events inside trace windows (while a ping ran) count;
// skb=N numbers buffers by first appearance, and frees of buffers the traffic
// never showed are left out, exactly as the recorder does.
import type { Run } from './run.ts';
import {
  type EventLog,
  type PortText,
  EV_ARGS,
  EV_CONSUME_SKB,
  EV_KFREE_SKB,
  EV_NAPI_POLL,
  EV_NET_DEV_QUEUE,
  EV_NET_DEV_START_XMIT,
  EV_NET_DEV_XMIT,
  EV_NETIF_RECEIVE_SKB,
  EV_NETIF_RX,
  isTcpEvent,
} from '../trace/eventlog.ts';
import { PATH_DROPS } from '../output/normalize_trace.ts';
import { type Drain, TextWriter } from '../trace/textwriter.ts';
import { portLabeller, scriptWords } from '../output/normalize.ts';
import { ipStr } from '../net/ipv4/addr.ts';

/** fieldsText's slots: 2^10 distinct contents at a time. */
const FIELD_SLOT_BITS = 10;
/** A slot's content: the event's kind and its arguments. */
const FIELD_KEY_INTS = 1 + EV_ARGS;

/**
 * trace.txt, made as the run goes: feed() writes the events recorded since
 * the last feed that fall in trace windows, so a run read only for its files
 * (the CLI) can discard its events after each slice instead of holding a
 * flood's hundreds of thousands of them. The text goes to a TextWriter
 * (with a drain, straight to the file), written without a string per line.
 *
 * skb=N numbers buffers by first appearance. What is known of each buffer
 * lives in typed arrays indexed by its address, which the slab keeps small:
 * its number (0: not numbered), and the last event seen of it while
 * numbered: kind (-1: none), CPU, NAPI session, device.
 *
 * TCP's events follow the recorder's rules: a socket whose addresses the
 * script does not name (`words`) is another process's (a listener's own
 * transitions, with remote 0.0.0.0, among them), and the ports the kernel
 * picked become P1, ... by first appearance (`ports` collects them).
 */
export class TraceText {
  readonly w: TextWriter;
  /** The ports the kernel picked that the events showed. */
  readonly ports = new Set<string>();
  private label = new Int32Array(64);
  private lastKind = new Int32Array(64).fill(-1);
  private lastCpu = new Int32Array(64);
  private lastSession = new Int32Array(64);
  private lastDev = new Int32Array(64);
  private numbered = 0;
  /** NAPI polls seen, per CPU. */
  private readonly session = [0, 0];
  /** The window being walked, and the next event to look at (an index over the whole run). */
  private window = 0;
  private next = 0;
  private readonly portText: PortText;
  /** fieldsText's slots: each one's content (kind, then arguments) and its text. */
  private readonly fieldKeys = new Int32Array(FIELD_KEY_INTS << FIELD_SLOT_BITS).fill(-1);
  private readonly fieldText: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(1 << FIELD_SLOT_BITS);
  private readonly scratch = new TextWriter(256);

  constructor(
    private readonly words: ReadonlySet<string>,
    drain?: Drain,
  ) {
    this.w = new TextWriter(1 << 16, drain);
    const label = portLabeller(words);
    this.portText = (port: number): string => {
      const p = String(port);
      if (port !== 0 && !words.has(p)) this.ports.add(p);
      return label(p);
    };
  }

  /** Writes the events recorded since the last feed (all of them are still in the log). */
  feed(run: Run): void {
    const events = run.rec.events;
    const windows = run.out.traceWindows;
    const held = events.dropped + events.length;
    for (; this.window < windows.length; this.window++) {
      const win = windows[this.window];
      const end = win.endEvent < 0 ? held : win.endEvent;
      if (this.next < win.startEvent) this.next = win.startEvent;
      if (this.next < events.dropped) throw new Error('trace.txt: events were discarded before they were written');
      for (; this.next < end; this.next++) this.visit(events, this.next - events.dropped);
      if (win.endEvent < 0) return;
    }
  }

  /** Everything fed so far is written (to the drain, if there is one). */
  finish(): void {
    this.w.flush();
  }

  private visit(events: EventLog, i: number): void {
    const kind = events.kind[i];
    const skb = events.skb[i];
    const cpu = events.ctxCpu[i] >> 1;
    const softirq = (events.ctxCpu[i] & 1) === 1;
    const dev = events.args[i * EV_ARGS];
    if (kind === EV_NAPI_POLL) this.session[cpu]++;
    if (skb >= this.label.length) this.growTo(skb);
    const label = this.label;
    if (kind === EV_CONSUME_SKB || kind === EV_KFREE_SKB) {
      if (!label[skb] && !(kind === EV_KFREE_SKB && PATH_DROPS.has(events.reason(i)))) return;
      const n = label[skb] || ++this.numbered;
      label[skb] = 0;
      this.lastKind[skb] = -1;
      this.write(events, i, n);
      return;
    }
    if (!skb) {
      this.write(events, i, 0);
      return;
    }
    if (label[skb] && this.lastKind[skb] >= 0 && (kind === EV_NET_DEV_QUEUE || kind === EV_NETIF_RECEIVE_SKB)) {
      // A struct freed without a trace event and reused for a new packet
      // keeps its address: as the recorder does, it keeps its number only
      // when the event continues the packet's own path.
      const continues = continuesPath(
        this.lastKind[skb],
        this.lastCpu[skb],
        this.lastSession[skb],
        this.lastDev[skb],
        kind,
        cpu,
        softirq,
        this.session[cpu],
        dev,
      );
      if (!continues) label[skb] = 0;
    }
    if (!label[skb]) label[skb] = ++this.numbered;
    this.lastKind[skb] = kind;
    this.lastCpu[skb] = cpu;
    this.lastSession[skb] = this.session[cpu];
    this.lastDev[skb] = dev;
    this.write(events, i, label[skb]);
  }

  private write(events: EventLog, i: number, n: number): void {
    if (isTcpEvent(events.kind[i])) {
      const socket = events.endpoints(i)!;
      if (!this.words.has(ipStr(socket[0])) || !this.words.has(ipStr(socket[2]))) return;
      events.writeText(i, n, this.w, this.portText);
    } else {
      events.writeLineStart(i, n, this.w);
      this.w.raw(this.fieldsText(events, i));
    }
    this.w.byte(0x0a);
  }

  /**
   * The text of event i's fields, made once for each content seen: a line's
   * fields are a function of its kind and arguments (the strings' ids stay
   * theirs for the run), and a flood repeats a few dozen of them hundreds of
   * thousands of times. A slot holds the last content hashed to it. TCP's
   * events are not kept: their ports are noted as they are written.
   */
  private fieldsText(events: EventLog, i: number): Uint8Array {
    const kind = events.kind[i];
    const a = events.args;
    const o = i * EV_ARGS;
    let h = kind;
    for (let j = 0; j < EV_ARGS; j++) h = Math.imul(h ^ a[o + j], 0x9e3779b1);
    const slot = h >>> (32 - FIELD_SLOT_BITS);
    const keys = this.fieldKeys;
    const k = slot * FIELD_KEY_INTS;
    let same = keys[k] === kind;
    for (let j = 0; same && j < EV_ARGS; j++) same = keys[k + 1 + j] === a[o + j];
    const known = this.fieldText[slot];
    if (same && known) return known;
    const scratch = this.scratch;
    scratch.length = 0;
    events.writeFields(i, scratch);
    const text = scratch.bytes.slice(0, scratch.length);
    keys[k] = kind;
    for (let j = 0; j < EV_ARGS; j++) keys[k + 1 + j] = a[o + j];
    this.fieldText[slot] = text;
    return text;
  }

  /** Room for buffers up to address `addr`. */
  private growTo(addr: number): void {
    let size = this.label.length * 2;
    while (size <= addr) size *= 2;
    const grown = (a: Int32Array, fill = 0): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      if (fill) b.fill(fill);
      b.set(a);
      return b;
    };
    this.label = grown(this.label);
    this.lastKind = grown(this.lastKind, -1);
    this.lastCpu = grown(this.lastCpu);
    this.lastSession = grown(this.lastSession);
    this.lastDev = grown(this.lastDev);
  }
}

/**
 * trace.txt of a whole run as UTF-8 bytes, and the ports the kernel picked
 * that it shows (see TraceText).
 */
export function traceFile(run: Run, words: ReadonlySet<string>): { bytes: Uint8Array; ports: Set<string> } {
  const trace = new TraceText(words);
  trace.feed(run);
  return { bytes: trace.w.view(), ports: trace.ports };
}

/** trace.txt's lines (for tests that compare runs). */
export function traceLines(run: Run): string[] {
  const text = new TextDecoder().decode(traceFile(run, scriptWords(run.script.map((l) => l.text).join('\n'))).bytes);
  return text ? text.slice(0, -1).split('\n') : [];
}

/** kernel-trace's rule for a numbered buffer's next queue/receive event. */
function continuesPath(
  wasKind: number,
  wasCpu: number,
  wasSession: number,
  wasDev: number,
  kind: number,
  cpu: number,
  softirq: boolean,
  session: number,
  dev: number,
): boolean {
  if (wasKind === EV_NETIF_RECEIVE_SKB) {
    // Received, then forwarded, bridged or passed up from a port, in the same poll.
    return softirq && cpu === wasCpu && session === wasSession && (kind === EV_NETIF_RECEIVE_SKB || dev !== wasDev);
  }
  if (kind === EV_NET_DEV_QUEUE) return wasKind === EV_NET_DEV_START_XMIT && cpu === wasCpu && dev !== wasDev;
  return wasKind === EV_NET_DEV_START_XMIT || wasKind === EV_NETIF_RX || wasKind === EV_NET_DEV_XMIT;
}
