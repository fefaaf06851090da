// Format-1 links counted calls; format 2 counts entries and returns. An old
// link must open at the same call.
import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../engine/session.ts';
import { STEP_KIND_ENTRY, STEP_KIND_RETURN, stepFunction } from '../../engine/worker/protocol.ts';
import { SEED_SCENARIO } from '../../scenarios/seed.ts';
import { decodeState } from './urlState.ts';
import { callCount, callOfStep, entryStepOfCall, lastStepOfCall } from './stepNumbering.ts';

const summary = new EngineSession(SEED_SCENARIO).summary();

// A seed link made by format 1 (urlState.test.ts keeps it too), at old step 120: icmp_reply.
const V1_SEED_LINK =
  '#s=1.pAKVUUFOwzAQ_MpqubpxHCoEOfTOnRtFlWtvGiuubdlOUYX4O6pbIGpBlOPOzsyuZt5QYYs38NQTJCINMmajLLUgYUe5hyBNBOPAOwInt5SCVMQghlVnbKYIvusYSKUo5JX1SlrwjkEwbgNrPzoN2Renulo6E8AaN4DU-ohB3gc6HSKK5UIZxTc59f61TFLrWKTioanE3X0lKsGbOWjaHd1-YzVT1tSZ8umNMVyi4oh2yrvObJaOVO-hhgXwEL3iaZ-4o8xN2M35gcOltfwrlyv45fS_FeJCIf5UTOu5UlSfibIKetwGmJnPrEvFMwUNzB5PMU4iL3k6Mpu-FHhW0g8LsXTIMGErmprhgO0tw4DtMyppbcpSDYf1sMYXhhlb1DIO-P4BqBSnGQ';

describe('format-1 step numbers on the seed scenario', () => {
  it('an old link opens at the same call, now counted with returns', async () => {
    const r = await decodeState(V1_SEED_LINK);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.v).toBe(1);
    expect(r.state.step).toBe(120);
    const step = entryStepOfCall(summary, r.state.step);
    expect(step).toBe(217);
    expect(stepFunction(summary, step)).toBe('icmp_reply');
    expect(summary.stepKind[step - 1]).toBe(STEP_KIND_ENTRY);
  });

  it('maps the steps the old embed example used to their calls', () => {
    // Format 1's embed example: 5 raw_sendmsg, 36 veth_xmit, 42 enqueue_to_backlog, 49 net_rx_action.
    for (const [old, fn] of [
      [5, 'raw_sendmsg'],
      [36, 'veth_xmit'],
      [42, 'enqueue_to_backlog'],
      [49, 'net_rx_action'],
    ] as const) {
      expect(stepFunction(summary, entryStepOfCall(summary, old)), `old step ${old}`).toBe(fn);
    }
  });

  it('is a bijection between calls and entry steps, and ranges cover every step once', () => {
    const calls = callCount(summary);
    expect(calls * 2).toBe(summary.total);
    expect(entryStepOfCall(summary, 0)).toBe(0);
    expect(callOfStep(summary, 0)).toBe(0);
    let prevEnd = 0;
    for (let k = 1; k <= calls; k++) {
      const s = entryStepOfCall(summary, k);
      expect(summary.stepKind[s - 1]).toBe(STEP_KIND_ENTRY);
      expect(callOfStep(summary, s)).toBe(k);
      expect(s).toBe(prevEnd + 1);
      prevEnd = lastStepOfCall(summary, k);
      for (let t = s; t <= prevEnd; t++) expect(callOfStep(summary, t)).toBe(k);
    }
    expect(prevEnd).toBe(summary.total);
    // Past the end: the last step.
    expect(entryStepOfCall(summary, calls + 1)).toBe(summary.total);
    expect(lastStepOfCall(summary, calls + 5)).toBe(summary.total);
    expect(summary.stepKind[summary.total - 1]).toBe(STEP_KIND_RETURN);
  });
});
