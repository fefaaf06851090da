// An engine session: one scenario run and the queries the UI makes of it.
// Pure (no DOM, no worker APIs): the Web Worker and the tests both drive it.
import { RunBuilder, type Run } from './run/run.ts';
import { viewAt, type StepView } from './run/view.ts';
import { EVENT_NAMES } from './trace/eventlog.ts';
import { TextWriter } from './trace/textwriter.ts';
import { KERNEL_FUNCTIONS } from './trace/functions.ts';
import { STEP_RETURN } from './trace/recorder.ts';
import { formatCapture } from './output/tcpdump.ts';
import type { RunSummary } from './worker/protocol.ts';
import { packLineList, packLines, type LineColumn } from './worker/lines.ts';
import { packCommands, packScriptErrors } from './worker/commands.ts';
import { scriptNotes } from './scenario/notes.ts';
import { findStep, resolveAnchor, dropReasons, packetDevices, type StepAnchor, type StepQuery } from './run/search.ts';

export const MAX_SCENARIO_BYTES = 256 * 1024;

export class ScenarioError extends Error {}

/** Steps simulated between two progress reports (a few tens of milliseconds). */
export const PROGRESS_SLICE_STEPS = 100_000;

/** Called between slices of a run: kernel calls simulated so far, and the limit they count against. */
export type ProgressReport = (calls: number, limit: number) => void;

export class EngineSession {
  readonly run: Run;

  private readonly text: string;

  constructor(scenario: string, seed?: number, onProgress?: ProgressReport) {
    this.text = scenario;
    if (scenario.length > MAX_SCENARIO_BYTES) {
      throw new ScenarioError(
        `the scenario is ${scenario.length} bytes; skbwalk runs scenarios of up to ${MAX_SCENARIO_BYTES} bytes`,
      );
    }
    const builder = new RunBuilder(scenario, { seed });
    while (!builder.advance(PROGRESS_SLICE_STEPS)) onProgress?.(builder.calls, builder.limits.maxSteps);
    this.run = builder.result();
  }

  summary(): RunSummary {
    const r = this.run;
    const rec = r.rec;
    const fnNames = KERNEL_FUNCTIONS.map((f) => f.name);
    return {
      total: rec.count,
      stoppedBy: r.stoppedBy,
      notices: r.out.notices,
      terminal: packLineList(r.out.terminal),
      terminalScriptLines: Uint32Array.from(r.out.terminalLines),
      commands: packCommands(r.out.commands),
      ping: packLineList(r.out.ping),
      captures: r.out.captures.map((cap) => {
        const lines = formatCapture(cap, { numeric: true, ethernet: true, timestamps: false });
        return {
          index: cap.index,
          dev: cap.devName,
          netName: cap.netName,
          lines: packLines(
            cap.packets.length,
            (i) => cap.packets[i].step,
            (i) => lines[i],
          ),
        };
      }),
      stepFn: rec.fn.slice(0, rec.count),
      stepDepth: rec.depth.slice(0, rec.count),
      stepKind: rec.kind.slice(0, rec.count),
      stepSince: rec.since.slice(0, rec.count),
      functionNames: fnNames,
      knownFunctions: [...new Set(fnNames)].sort(),
      scriptErrors: packScriptErrors(r.script.filter((l) => l.error).map((l) => ({ line: l.line, message: l.error! }))),
      ...scriptNotes(this.text),
      ...this.eventColumns(),
      dropReasons: dropReasons(r),
      packetDevices: packetDevices(r),
    };
  }

  /**
   * The events, packed, and their columns: namespace, skb, tracepoint and
   * device, so the Events panel filters without reading the texts.
   */
  private eventColumns(): Pick<
    RunSummary,
    | 'events'
    | 'namespaceNames'
    | 'eventNetns'
    | 'eventSkb'
    | 'eventKinds'
    | 'eventKind'
    | 'eventDevices'
    | 'eventDevice'
    | 'eventSkbs'
  > {
    const ev = this.run.rec.events;
    const names: string[] = [];
    const index = new Map<number, number>();
    for (const w of [...this.run.checkpoints.map((c) => c.world), this.run.final]) {
      for (const n of w.nets) {
        if (!index.has(n.uid)) {
          index.set(n.uid, names.length);
          names.push(n.name);
        }
      }
    }
    const n = ev.length;
    const eventNetns = new Uint16Array(n);
    const eventKind = new Uint16Array(n);
    const eventDevice = new Uint16Array(n);
    const kinds = new Columnizer();
    const devices = new Columnizer();
    // Each tracepoint's column id, and each namespace's devices' ids by name:
    // a million events are read through their columns and a few small maps,
    // their texts written straight into one buffer, never as strings.
    const kindIds = new Map<number, number>();
    const deviceIds = new Map<number, Map<string, number>>();
    const steps = new Int32Array(n);
    const starts = new Uint32Array(n + 1);
    const text = new TextWriter(Math.max(256, n * 64));
    for (let i = 0; i < n; i++) {
      const ns = index.get(ev.netUid[i]) ?? 0;
      eventNetns[i] = ns;
      const kind = ev.kind[i];
      let kindId = kindIds.get(kind);
      if (kindId === undefined) kindIds.set(kind, (kindId = kinds.id(EVENT_NAMES[kind])));
      eventKind[i] = kindId;
      const dev = ev.dev(i);
      if (dev && dev !== '(no_device)') {
        let ids = deviceIds.get(ns);
        if (!ids) deviceIds.set(ns, (ids = new Map()));
        let id = ids.get(dev);
        if (id === undefined) {
          const name = names[ns] ?? '';
          ids.set(dev, (id = 1 + devices.id(name ? `${name}/${dev}` : dev)));
        }
        eventDevice[i] = id;
      }
      steps[i] = ev.step[i] + 1;
      ev.writeText(i, ev.skb[i], text);
      starts[i + 1] = text.length;
    }
    const events: LineColumn = { count: n, steps, starts, bytes: text.bytes.slice(0, text.length) };
    const eventSkb = ev.skb.slice(0, ev.length);
    const eventSkbs = Int32Array.from(new Set(eventSkb.filter((id) => id !== 0))).sort();
    return {
      events,
      namespaceNames: names,
      eventNetns,
      eventSkb,
      eventKinds: kinds.names,
      eventKind,
      eventDevices: devices.names,
      eventDevice,
      eventSkbs,
    };
  }

  /** The next/previous step after `from` that `query` matches (see run/search.ts). */
  findQuery(from: number, direction: 1 | -1, query: StepQuery): number | null {
    return findStep(this.run, from, direction, query);
  }

  /** The step each anchor names, or null where the run has no such moment. */
  resolve(anchors: StepAnchor[]): (number | null)[] {
    return anchors.map((a) => resolveAnchor(this.run, a));
  }

  /** The view of `step`; `skb`, when given, is the skb the reader picked for the skb panel. */
  view(step: number, skb?: number): StepView {
    return viewAt(this.run, step, skb);
  }

  /**
   * Searches for a step from `from` (a view step, 0..total):
   * - 'event': the next/previous step that emitted a tracepoint event;
   * - 'function': the next/previous entry of a call of `name`;
   * - 'over': the next step at the same or an outer depth: from a call's entry
   *   that is its return (after its effects), from a return the next step;
   * - 'out': the next step at an outer depth: the caller's return.
   */
  find(from: number, direction: 1 | -1, kind: 'event' | 'function' | 'over' | 'out', name?: string): number | null {
    const rec = this.run.rec;
    const total = rec.count;
    const depthAt = (step: number) => (step >= 1 ? rec.depth[step - 1] : 0);
    const fnId = name !== undefined ? KERNEL_FUNCTIONS.findIndex((f) => f.name === name) : -1;
    const base = depthAt(from);
    for (let s = from + direction; s >= 1 && s <= total; s += direction) {
      const i = s - 1;
      switch (kind) {
        case 'event': {
          const next = i + 1 < total ? rec.eventStart[i + 1] : rec.events.length;
          if (next > rec.eventStart[i]) return s;
          break;
        }
        case 'function':
          if (rec.kind[i] !== STEP_RETURN && fnId >= 0 && rec.fn[i] === fnId) return s;
          if (rec.kind[i] !== STEP_RETURN && fnId < 0 && name !== undefined && KERNEL_FUNCTIONS[rec.fn[i]].name === name)
            return s;
          break;
        case 'over':
          if (from === 0 || rec.depth[i] <= base) return s;
          break;
        case 'out':
          if (rec.depth[i] < base) return s;
          break;
      }
    }
    return null;
  }
}

/** Numbers names in order of first appearance. */
class Columnizer {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}
