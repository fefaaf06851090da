// The views of a run asked of the engine, kept by step and picked skb: the
// steps next to the one on display are asked for ahead of time, so that
// stepping (and playing) shows them without waiting for the worker.
import type { StepView } from '../engine/run/view.ts';

export class ViewCache {
  private readonly pending = new Map<string, Promise<StepView>>();
  private readonly ready = new Map<string, StepView>();

  constructor(private readonly capacity = 8) {}

  private static key(step: number, skb: number | undefined): string {
    return `${step}:${skb ?? ''}`;
  }

  /** The view of `step` if it has arrived. */
  get(step: number, skb: number | undefined): StepView | undefined {
    const k = ViewCache.key(step, skb);
    const v = this.ready.get(k);
    if (v) {
      // Most recently used last: the oldest is evicted first.
      this.ready.delete(k);
      this.ready.set(k, v);
    }
    return v;
  }

  /** True if the view of `step` has arrived or is on its way. */
  has(step: number, skb: number | undefined): boolean {
    const k = ViewCache.key(step, skb);
    return this.ready.has(k) || this.pending.has(k);
  }

  /** The view of `step`: the one asked for already (arrived or on its way), else asks `engine` for it. */
  fetch(step: number, skb: number | undefined, engine: () => Promise<StepView>): Promise<StepView> {
    const k = ViewCache.key(step, skb);
    const done = this.get(step, skb);
    if (done) return Promise.resolve(done);
    const inFlight = this.pending.get(k);
    if (inFlight) return inFlight;
    const p = engine().then(
      (v) => {
        this.pending.delete(k);
        this.ready.set(k, v);
        while (this.ready.size > this.capacity) this.ready.delete(this.ready.keys().next().value!);
        return v;
      },
      (err: unknown) => {
        this.pending.delete(k);
        throw err;
      },
    );
    this.pending.set(k, p);
    return p;
  }
}
