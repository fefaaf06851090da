// The messages between the UI and the engine worker. Versioned: a UI and a
// worker of different versions refuse each other instead of misreading.
import type { StepView } from '../run/view.ts';

export const PROTOCOL_VERSION = 1;

export interface LineAt {
  step: number;
  text: string;
}

export interface CaptureSummary {
  index: number;
  dev: string;
  netName: string;
  lines: LineAt[];
}

export interface RunSummary {
  total: number;
  stoppedBy: string | null;
  terminal: LineAt[];
  /** Script line number of each terminal line. */
  terminalScriptLines: number[];
  ping: LineAt[];
  /** Every tracepoint event, in trace.txt's per-event form, with its step. */
  events: LineAt[];
  captures: CaptureSummary[];
  /** Function name of every step (index = step - 1), for the timeline and breakpoints. */
  functions: string[];
  stepFn: Uint16Array;
  stepDepth: Uint16Array;
  /** Names of all modelled kernel functions (for breakpoints). */
  knownFunctions: string[];
  /** Commands of the script that failed to parse, with their line numbers. */
  scriptErrors: { line: number; message: string }[];
  /** The scenario's title and the narrative notes of its commands. */
  title: string;
  notes: { line: number; text: string }[];
}

export type Request =
  | { v: number; id: number; type: 'load'; scenario: string; seed?: number }
  | { v: number; id: number; type: 'view'; step: number }
  | {
      v: number;
      id: number;
      type: 'find';
      from: number;
      direction: 1 | -1;
      kind: 'event' | 'function' | 'over' | 'out';
      name?: string;
    };

export type Response =
  | { v: number; id: number; type: 'loaded'; summary: RunSummary }
  | { v: number; id: number; type: 'view'; view: StepView }
  | { v: number; id: number; type: 'found'; step: number | null }
  | { v: number; id: number; type: 'error'; message: string };
