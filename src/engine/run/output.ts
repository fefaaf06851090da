// What a run shows the user besides the kernel's own steps: terminal lines,
// ping's output, and packet captures. Each item carries the step at which it
// appeared, so the UI can show "everything up to step N".

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
}

/** A span of steps during which the kernel's tracepoints were on (a ping ran). */
export interface TraceWindow {
  startStep: number;
  endStep: number;
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
  };
}
