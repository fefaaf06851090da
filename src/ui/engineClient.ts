// The UI side of the engine worker: every request carries an id and gets a
// promise that settles with the worker's answer to that id.
import {
  PROTOCOL_VERSION,
  type LoadProgress,
  type Request,
  type Response,
  type RunSummary,
  type StepAnchor,
  type StepQuery,
} from '../engine/worker/protocol.ts';
import type { StepView } from '../engine/run/view.ts';
import type { RunExports } from '../engine/output/exports.ts';

export type FindKind = 'event' | 'function' | 'over' | 'out';

type Pending = {
  resolve: (r: Response) => void;
  reject: (e: Error) => void;
  /** For a load: called with each progress report before the answer. */
  progress?: (p: LoadProgress) => void;
};

// Request without the envelope (v, id), distributed over the union members.
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'v' | 'id'> : never) : never;

export interface EngineClient {
  /** Runs the scenario; `onProgress` hears how far the run has got while it computes. */
  load(scenario: string, onProgress?: (p: LoadProgress) => void): Promise<RunSummary>;
  /** The view of `step`; `skb` names the skb the reader picked, shown in the view's focus. */
  view(step: number, skb?: number): Promise<StepView>;
  find(from: number, direction: 1 | -1, kind: FindKind, name?: string): Promise<number | null>;
  /** The run's downloadable files (trace.txt, terminal, pcaps, pcapng). */
  exports(): Promise<RunExports>;
  /** The next/previous step after `from` that the query matches (a drop, a packet on a device, a call). */
  findQuery(from: number, direction: 1 | -1, query: StepQuery): Promise<number | null>;
  /** The steps the anchors name, null where the run has no such moment. */
  resolve(anchors: StepAnchor[]): Promise<(number | null)[]>;
  /** Terminates the worker: whatever it was computing stops, and its pending answers fail. */
  dispose(): void;
}

function spawnWorker(): Worker {
  return new Worker(new URL('../engine/worker/worker.ts', import.meta.url), { type: 'module' });
}

/** A worker started before React renders, so loading the engine overlaps the first render. */
let spare: Worker | null = null;

export function prewarmEngine(): void {
  if (!spare && typeof Worker !== 'undefined') spare = spawnWorker();
}

export class WorkerEngineClient implements EngineClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = spare ?? spawnWorker();
    spare = null;
    this.worker.onmessage = (e: MessageEvent<Response>) => this.onResponse(e.data);
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.failAll(new Error(`the engine worker failed: ${e.message || 'could not start'}`));
    };
    this.worker.onmessageerror = () => this.failAll(new Error('the engine worker sent an unreadable message'));
  }

  private onResponse(r: Response): void {
    if (!r || typeof r !== 'object') return;
    const p = this.pending.get(r.id);
    if (!p) return;
    if (r.type === 'progress' && r.v === PROTOCOL_VERSION) {
      p.progress?.({ phase: r.phase, calls: r.calls, limit: r.limit });
      return;
    }
    this.pending.delete(r.id);
    if (r.v !== PROTOCOL_VERSION) {
      p.reject(new Error(`engine protocol mismatch: the UI speaks v${PROTOCOL_VERSION}, the worker v${r.v}`));
    } else if (r.type === 'error') {
      p.reject(new Error(r.message));
    } else {
      p.resolve(r);
    }
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }

  private send(body: RequestBody, progress?: (p: LoadProgress) => void): Promise<Response> {
    const id = this.nextId++;
    const req = { ...body, v: PROTOCOL_VERSION, id } as Request;
    return new Promise<Response>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      try {
        this.worker.postMessage(req);
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  async load(scenario: string, onProgress?: (p: LoadProgress) => void): Promise<RunSummary> {
    const r = await this.send({ type: 'load', scenario }, onProgress);
    if (r.type !== 'loaded') throw new Error(`unexpected engine answer "${r.type}" to load`);
    return r.summary;
  }

  async view(step: number, skb?: number): Promise<StepView> {
    const r = await this.send(skb === undefined ? { type: 'view', step } : { type: 'view', step, skb });
    if (r.type !== 'view') throw new Error(`unexpected engine answer "${r.type}" to view`);
    return r.view;
  }

  async find(from: number, direction: 1 | -1, kind: FindKind, name?: string): Promise<number | null> {
    const r = await this.send({ type: 'find', from, direction, kind, name });
    if (r.type !== 'found') throw new Error(`unexpected engine answer "${r.type}" to find`);
    return r.step;
  }

  async exports(): Promise<RunExports> {
    const r = await this.send({ type: 'export' });
    if (r.type !== 'exported') throw new Error(`unexpected engine answer "${r.type}" to export`);
    return r.files;
  }

  async findQuery(from: number, direction: 1 | -1, query: StepQuery): Promise<number | null> {
    const r = await this.send({ type: 'find', from, direction, kind: 'query', query });
    if (r.type !== 'found') throw new Error(`unexpected engine answer "${r.type}" to find`);
    return r.step;
  }

  async resolve(anchors: StepAnchor[]): Promise<(number | null)[]> {
    const r = await this.send({ type: 'resolve', anchors });
    if (r.type !== 'resolved') throw new Error(`unexpected engine answer "${r.type}" to resolve`);
    return r.steps;
  }

  dispose(): void {
    this.failAll(new Error('the engine was restarted'));
    this.worker.terminate();
  }
}
