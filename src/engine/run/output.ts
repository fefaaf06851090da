// What a run shows the user besides the kernel's own steps: terminal lines,
// ping's output, and packet captures. Each item carries the step at which it
// appeared, so the UI can show "everything up to step N".
import type { World } from '../kernel/world.ts';
import { mib } from '../trace/limit.ts';
import { writeNotice } from './terminal.ts';

export interface OutputLine {
  /** Number of steps recorded when the line was printed. */
  step: number;
  text: string;
}

export interface CapturedPacket {
  step: number;
  /** Virtual time, ns. */
  time: number;
  /** The frame from its Ethernet header on, as the tap saw it. */
  bytes: Uint8Array;
  skb: number;
  outgoing: boolean;
}

export interface Capture {
  index: number;
  devName: string;
  devUid: number;
  netUid: number;
  /** The `ip netns` name the tcpdump ran in ('' for the host). */
  netName: string;
  startStep: number;
  packets: CapturedPacket[];
  /** Set when the capture budget stopped this capture: it keeps no more packets. */
  full?: boolean;
}

/** A span of steps during which the kernel's tracepoints were on (a ping ran). */
export interface TraceWindow {
  startStep: number;
  endStep: number;
  /** The window's first event, and the one after its last (-1 while open), counted over the whole run (EventLog.total). */
  startEvent: number;
  endEvent: number;
}

/** One command the shell ran (a script line, or one of several `;`-separated on it). */
export interface CommandRecord {
  /** Script line (1-based) and column where the command starts. */
  line: number;
  col: number;
  /** Steps recorded when it started. */
  step: number;
  /** Index of the first terminal line printed after it started. */
  terminalStart: number;
  /** The exit status it returned at once (a ping that started returns 0 and goes on). */
  status: number;
  /** What it printed on standard error, line by line (skbwalk's refusals included). */
  errors: string[];
}

export interface Output {
  terminal: OutputLine[];
  /** The commands run, in order. */
  commands: CommandRecord[];
  ping: OutputLine[];
  captures: Capture[];
  traceWindows: TraceWindow[];
  /** Script line (1-based) being run when each terminal line was printed. */
  terminalLines: number[];
  /** While replaying, everything is already recorded: appends are dropped. */
  muted: boolean;
  termPartial: { text: string };
  pingPartial: { text: string };
  /** What all captures keep, in bytes (frames plus per-packet bookkeeping), against Limits.maxCaptureBytes. */
  captureBytes: number;
  /**
   * skbwalk's own messages of a budget that was full while the run went on
   * (a capture's), in order, each once: the terminal has them too, and the
   * app's alert and the CLI's standard error say them beside a limit that
   * stopped the run.
   */
  notices: string[];
}

/** Rough bytes a kept packet costs besides its frame (the record object, its fields). */
const PACKET_OVERHEAD = 64;

/**
 * Keeps a frame a capture saw, unless the capture budget is full: then the
 * capture stops (for good, as a tcpdump -c would) and says so, once, on the
 * terminal. The packets kept still make a whole pcap and text.
 */
export function keepCapturedPacket(w: World, cap: Capture, packet: CapturedPacket): void {
  const out = w.out;
  if (cap.full) return;
  const cost = packet.bytes.length + PACKET_OVERHEAD;
  if (out.captureBytes + cost > w.limits.maxCaptureBytes) {
    cap.full = true;
    const notice = `skbwalk: capture on ${cap.devName} stopped at ${cap.packets.length} packets: the ${mib(w.limits.maxCaptureBytes)} capture budget is full`;
    out.notices.push(notice);
    writeNotice(w, notice);
    return;
  }
  out.captureBytes += cost;
  cap.packets.push(packet);
}

export function createOutput(): Output {
  return {
    terminal: [],
    commands: [],
    ping: [],
    captures: [],
    traceWindows: [],
    terminalLines: [],
    muted: false,
    termPartial: { text: '' },
    pingPartial: { text: '' },
    captureBytes: 0,
    notices: [],
  };
}
