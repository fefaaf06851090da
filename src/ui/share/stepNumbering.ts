// Step numbers across link formats. Format 1 links (and the embeds opened
// with them) counted kernel calls: step k was the moment call k was entered.
// Format 2 counts every call's entry and its return, so the same call's entry
// has a larger number. These map between the two using the run's step kinds
// (RunSummary.stepKind); each summary's table is built once.
import { STEP_KIND_ENTRY, type RunSummary } from '../../engine/worker/protocol.ts';

type Kinds = Pick<RunSummary, 'stepKind'>;

const cache = new WeakMap<Kinds, Uint32Array>();

/** entries[k - 1] = the step (format 2) at which call k is entered. */
function entrySteps(s: Kinds): Uint32Array {
  let t = cache.get(s);
  if (!t) {
    let n = 0;
    for (let i = 0; i < s.stepKind.length; i++) if (s.stepKind[i] === STEP_KIND_ENTRY) n++;
    t = new Uint32Array(n);
    let k = 0;
    for (let i = 0; i < s.stepKind.length; i++) if (s.stepKind[i] === STEP_KIND_ENTRY) t[k++] = i + 1;
    cache.set(s, t);
  }
  return t;
}

/** Kernel calls in the run (format 1's last step). */
export function callCount(s: Kinds): number {
  return entrySteps(s).length;
}

/**
 * A format-1 step (call k entered; 0 = before the first call) as a format-2
 * step: the same call's entry. Past the last call: the run's last step.
 */
export function entryStepOfCall(s: Kinds, call: number): number {
  const t = entrySteps(s);
  if (call <= 0) return 0;
  if (call > t.length) return s.stepKind.length;
  return t[call - 1];
}

/**
 * The end of a format-1 range ending at call k (an embed's `to`): the last
 * step before call k+1 is entered, so call k's own callees and returns are
 * shown too. Past the last call: the run's last step.
 */
export function lastStepOfCall(s: Kinds, call: number): number {
  const t = entrySteps(s);
  if (call >= t.length) return s.stepKind.length;
  return t[call] - 1;
}

/** A format-2 step in format 1's numbering: the calls entered up to and including it. */
export function callOfStep(s: Kinds, step: number): number {
  const t = entrySteps(s);
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
