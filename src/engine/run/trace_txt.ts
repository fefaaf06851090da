// trace.txt: the run's tracepoint events in the kernel-trace recorder's
// normalized form. Only events inside trace windows (while a ping ran) count;
// skb=N numbers buffers by first appearance, and frees of buffers the traffic
// never showed are left out, exactly as the recorder does.
import type { Run } from './run.ts';
import {
  EV_ARGS,
  EV_CONSUME_SKB,
  EV_KFREE_SKB,
  EV_NAPI_POLL,
  EV_NET_DEV_QUEUE,
  EV_NET_DEV_START_XMIT,
  EV_NET_DEV_XMIT,
  EV_NETIF_RECEIVE_SKB,
  EV_NETIF_RX,
} from '../trace/eventlog.ts';
import { PATH_DROPS } from '../output/normalize_trace.ts';
import { type Drain, TextWriter } from '../trace/textwriter.ts';
import { portLabeller, scriptWords } from '../output/normalize.ts';
import { ipStr } from '../net/ipv4/addr.ts';

/**
 * Visits the events trace.txt holds, in order, each with the number its
 * buffer gets (0 for an event about no buffer). What is known of each buffer
 * lives in typed arrays indexed by its address, which the slab keeps small.
 */
function walkTrace(run: Run, visit: (event: number, label: number) => void): void {
  const events = run.rec.events;
  let maxAddr = 0;
  for (const win of run.out.traceWindows) {
    const end = win.endEvent < 0 ? events.length : win.endEvent;
    for (let i = win.startEvent; i < end; i++) if (events.skb[i] > maxAddr) maxAddr = events.skb[i];
  }
  // By address: the buffer's number (0: not numbered), and the last event seen
  // of it while numbered: kind (-1: none), CPU, NAPI session, device.
  const label = new Int32Array(maxAddr + 1);
  const lastKind = new Int32Array(maxAddr + 1).fill(-1);
  const lastCpu = new Int32Array(maxAddr + 1);
  const lastSession = new Int32Array(maxAddr + 1);
  const lastDev = new Int32Array(maxAddr + 1);
  let next = 0;
  const session = [0, 0];
  for (const win of run.out.traceWindows) {
    const end = win.endEvent < 0 ? events.length : win.endEvent;
    for (let i = win.startEvent; i < end; i++) {
      const kind = events.kind[i];
      const skb = events.skb[i];
      const cpu = events.ctxCpu[i] >> 1;
      const softirq = (events.ctxCpu[i] & 1) === 1;
      const dev = events.args[i * EV_ARGS];
      if (kind === EV_NAPI_POLL) session[cpu]++;
      if (kind === EV_CONSUME_SKB || kind === EV_KFREE_SKB) {
        if (!label[skb] && !(kind === EV_KFREE_SKB && PATH_DROPS.has(events.reason(i)))) continue;
        const n = label[skb] || ++next;
        label[skb] = 0;
        lastKind[skb] = -1;
        visit(i, n);
        continue;
      }
      if (!skb) {
        visit(i, 0);
        continue;
      }
      if (label[skb] && lastKind[skb] >= 0 && (kind === EV_NET_DEV_QUEUE || kind === EV_NETIF_RECEIVE_SKB)) {
        // A struct freed without a trace event and reused for a new packet
        // keeps its address: as the recorder does, it keeps its number only
        // when the event continues the packet's own path.
        const continues = continuesPath(
          lastKind[skb],
          lastCpu[skb],
          lastSession[skb],
          lastDev[skb],
          kind,
          cpu,
          softirq,
          session[cpu],
          dev,
        );
        if (!continues) label[skb] = 0;
      }
      if (!label[skb]) label[skb] = ++next;
      lastKind[skb] = kind;
      lastCpu[skb] = cpu;
      lastSession[skb] = session[cpu];
      lastDev[skb] = dev;
      visit(i, label[skb]);
    }
  }
}

/**
 * trace.txt as UTF-8 bytes, written without a string per line, with the
 * recorder's rules for TCP's events: a socket whose addresses the script does
 * not name (`words`) is another process's (a listener's own transitions, with
 * remote 0.0.0.0, among them), and the ports the kernel picked become P1, ...
 * by first appearance. Returns the bytes and those ports; with a `drain`, the
 * bytes go to it a buffer at a time as they are made, and none are returned.
 */
export function traceFile(run: Run, words: ReadonlySet<string>, drain?: Drain): { bytes: Uint8Array; ports: Set<string> } {
  const events = run.rec.events;
  const w = new TextWriter(1 << 16, drain);
  const label = portLabeller(words);
  const ports = new Set<string>();
  const portText = (port: number): string => {
    const p = String(port);
    if (port !== 0 && !words.has(p)) ports.add(p);
    return label(p);
  };
  walkTrace(run, (i, n) => {
    const socket = events.endpoints(i);
    if (socket && (!words.has(ipStr(socket[0])) || !words.has(ipStr(socket[2])))) return;
    events.writeText(i, n, w, portText);
    w.byte(0x0a);
  });
  w.flush();
  return { bytes: w.view(), ports };
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
