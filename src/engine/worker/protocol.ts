// The messages between the UI and the engine worker. Versioned: a UI and a
// worker of different versions refuse each other instead of misreading.
import type { StepView } from '../run/view.ts';
import type { RunExports } from '../output/exports.ts';
import type { StepAnchor, StepQuery } from '../run/search.ts';
import type { LineColumn } from './lines.ts';
import type { CommandColumns, ScriptErrorColumns } from './commands.ts';

export type { StepAnchor, StepQuery, LineColumn, CommandColumns, ScriptErrorColumns };

/**
 * 2: steps are calls' entries and returns, sent as typed arrays (stepFn, stepDepth, stepKind) and one name table.
 * 3: lines (events, terminal, ping, captures) are packed columns (lines.ts); a load reports its progress.
 * 4: the terminal lines' script lines are a Uint32Array, transferred with the rest.
 * 5: the commands and the script's refusals are columns (commands.ts), transferred with the rest.
 * 6: a summary holds the notices of budgets that were full while the run went on (a capture's).
 * 7: every step says since which share-link format it is counted (stepSince).
 */
export const PROTOCOL_VERSION = 7;

export interface LineAt {
  step: number;
  text: string;
}

export interface CaptureSummary {
  index: number;
  dev: string;
  netName: string;
  lines: LineColumn;
}

export interface RunSummary {
  total: number;
  stoppedBy: string | null;
  /** skbwalk's messages of budgets that were full while the run went on (`skbwalk: capture on veth0 stopped at …`). */
  notices: string[];
  terminal: LineColumn;
  /** Script line number of each terminal line (one per line of `terminal`: a million for a million pings). */
  terminalScriptLines: Uint32Array;
  ping: LineColumn;
  /** Every tracepoint event, in trace.txt's per-event form, with its step. */
  events: LineColumn;
  captures: CaptureSummary[];
  /** Function id of every step (index = step - 1); its name is functionNames[id]. */
  stepFn: Uint16Array;
  /** Call depth of every step (0 = outermost); a return step has its entry's depth. */
  stepDepth: Uint16Array;
  /** STEP_KIND_ENTRY or STEP_KIND_RETURN for every step. */
  stepKind: Uint8Array;
  /**
   * The share-link format since which each step is counted (0: every format):
   * calls the engine added on a path older links counted (src/ui/share/stepNumbering.ts).
   */
  stepSince: Uint8Array;
  /** Name of every modelled kernel function, by function id. */
  functionNames: string[];
  /** Names of all modelled kernel functions (for breakpoints). */
  knownFunctions: string[];
  /**
   * Every command the shell ran, in order: its script line and column, the
   * step it started at, the index of its first terminal line, the exit status
   * it returned at once, and what it printed on standard error.
   */
  commands: CommandColumns;
  /** Commands of the script that failed to parse, with their line numbers. */
  scriptErrors: ScriptErrorColumns;
  /** The scenario's title and the narrative notes of its commands. */
  title: string;
  notes: { line: number; text: string }[];
  /** Names of the run's namespaces ('' is the host); `eventNetns` indexes it. */
  namespaceNames: string[];
  /** The namespace (index into namespaceNames) of each event in `events`. */
  eventNetns: Uint16Array;
  /** The skb id of each event in `events` (0: none). */
  eventSkb: Int32Array;
  /** Tracepoint names of the run's events, in order of first appearance; `eventKind` indexes it. */
  eventKinds: string[];
  /** The tracepoint (index into eventKinds) of each event. */
  eventKind: Uint16Array;
  /** Devices the events name (`dev=`), as `ns1/veth1` (or `veth0` in the host), in order of first appearance. */
  eventDevices: string[];
  /** The device of each event: 0 for none, else 1 + its index in eventDevices. */
  eventDevice: Uint16Array;
  /** The skb ids the events name, ascending. */
  eventSkbs: Int32Array;
  /** The drop reasons of the run's kfree_skb events, first drop first. */
  dropReasons: string[];
  /** The devices packets are queued on or received by, in the run. */
  packetDevices: { netns: string; dev: string }[];
}

export const STEP_KIND_ENTRY = 0;
export const STEP_KIND_RETURN = 1;

/** The kernel function of step `step` (1..total), entered or returning there; null at step 0. */
export function stepFunction(s: Pick<RunSummary, 'stepFn' | 'functionNames'>, step: number): string | null {
  return step >= 1 && step <= s.stepFn.length ? (s.functionNames[s.stepFn[step - 1]] ?? null) : null;
}

/** True if step `step` is a call's return. */
export function isReturnStep(s: Pick<RunSummary, 'stepKind'>, step: number): boolean {
  return step >= 1 && s.stepKind[step - 1] === STEP_KIND_RETURN;
}

export type Request =
  | { v: number; id: number; type: 'load'; scenario: string; seed?: number }
  | { v: number; id: number; type: 'view'; step: number; skb?: number }
  | { v: number; id: number; type: 'export' }
  | {
      v: number;
      id: number;
      type: 'find';
      from: number;
      direction: 1 | -1;
      kind: 'event' | 'function' | 'over' | 'out';
      name?: string;
    }
  | {
      v: number;
      id: number;
      type: 'find';
      from: number;
      direction: 1 | -1;
      /** A search by what happens at a step: a call, a drop, a packet on a device (run/search.ts). */
      kind: 'query';
      query: StepQuery;
    }
  | { v: number; id: number; type: 'resolve'; anchors: StepAnchor[] };

/** How far a load has got: simulating (kernel calls so far, of the step limit), then preparing the summary. */
export interface LoadProgress {
  phase: 'simulating' | 'preparing';
  calls: number;
  limit: number;
}

export type Response =
  | ({ v: number; id: number; type: 'progress' } & LoadProgress)
  | { v: number; id: number; type: 'loaded'; summary: RunSummary }
  | { v: number; id: number; type: 'view'; view: StepView }
  | { v: number; id: number; type: 'found'; step: number | null }
  | { v: number; id: number; type: 'exported'; files: RunExports }
  | { v: number; id: number; type: 'resolved'; steps: (number | null)[] }
  | { v: number; id: number; type: 'error'; message: string };
