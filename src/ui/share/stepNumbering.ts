// Step numbers across link formats. Each format counted the steps of the
// engine of its time; a link (and an embed opened with it) must still open at
// the same call, so a link's step is mapped through the steps that format
// counted:
// - format 1 counted calls: step k = the moment call k was entered;
// - format 2 counted every call's entry and its return;
// - format 3 counted the same, and the calls of the kernel's inline queue
//   helpers that the engine has modelled since (MODELLED_SINCE), which format 2
//   did not count;
// - format 4 counts the same, and the calls ping's system calls make
//   (socket, setsockopt, connect, sendto, recvmsg, close) on its way to the
//   calls format 3 counted (ping called raw_sendmsg, ip_route_connect, ...
//   directly), and raw_err's on the way to an ICMP error's queueing. Those
//   are functions format 3 counted elsewhere (nc's __sys_sendto), so the
//   engine marks each step with the format since which it is counted
//   (RunSummary.stepSince, kernel/call.ts countedSince).
// The mapping uses the run's step kinds, functions and marks (RunSummary.stepKind,
// stepFn, stepSince); each summary's table is built once per format.
import { STEP_KIND_ENTRY, type RunSummary } from '../../engine/worker/protocol.ts';

type Steps = Pick<RunSummary, 'stepKind' | 'stepFn' | 'functionNames' | 'stepSince'>;

/**
 * Kernel functions modelled since a given link format: links of older formats
 * did not count their steps. Every other function has been counted since format 1.
 */
export const MODELLED_SINCE: Readonly<Record<string, number>> = {
  __skb_queue_tail: 3,
  __skb_dequeue: 3,
  skb_queue_splice_tail_init: 3,
};

const cache = new WeakMap<Steps, Map<number, Uint32Array>>();

/** counted[k - 1] = the app's step that was step k of a link of `format`. */
function countedSteps(s: Steps, format: number): Uint32Array {
  let byFormat = cache.get(s);
  if (!byFormat) cache.set(s, (byFormat = new Map()));
  let t = byFormat.get(format);
  if (!t) {
    const counts = s.functionNames.map((name) => (MODELLED_SINCE[name] ?? 1) <= format);
    const out: number[] = [];
    for (let i = 0; i < s.stepKind.length; i++) {
      if (!counts[s.stepFn[i]] || s.stepSince[i] > format) continue;
      if (format === 1 && s.stepKind[i] !== STEP_KIND_ENTRY) continue;
      out.push(i + 1);
    }
    t = Uint32Array.from(out);
    byFormat.set(format, t);
  }
  return t;
}

/** The steps a link of `format` counts in this run (its last step). */
export function linkStepCount(s: Steps, format: number): number {
  return countedSteps(s, format).length;
}

/**
 * A step of a link of `format` (0 = before the first call) as the app's step:
 * the same moment (for format 1, the same call's entry). Past the end: the
 * run's last step.
 */
export function appStepOfLinkStep(s: Steps, format: number, step: number): number {
  const t = countedSteps(s, format);
  if (step <= 0) return 0;
  if (step > t.length) return s.stepKind.length;
  return t[step - 1];
}

/**
 * The end of a range ending at a link's step k (an embed's `to`): the last
 * app step before the link's step k+1, so what step k stood for (a format-1
 * call's callees and returns, the inline helpers that follow a format-2 step)
 * is shown too. Past the end: the run's last step.
 */
export function lastAppStepOfLinkStep(s: Steps, format: number, step: number): number {
  const t = countedSteps(s, format);
  if (step >= t.length) return s.stepKind.length;
  return t[Math.max(step, 0)] - 1;
}

/** An app step in a link's numbering: the link's steps up to and including it. */
export function linkStepOfAppStep(s: Steps, format: number, step: number): number {
  const t = countedSteps(s, format);
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
