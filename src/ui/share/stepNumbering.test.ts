// Each link format counted the steps of its time's engine; an old link must
// open at the same moment. Format 1 counted calls; format 2 counted entries and
// returns, before the inline queue helpers were modelled as calls; format 3
// counted those, before ping made system calls.
import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../engine/session.ts';
import { STEP_KIND_ENTRY, STEP_KIND_RETURN, stepFunction, type RunSummary } from '../../engine/worker/protocol.ts';
import { SEED_SCENARIO } from '../../scenarios/seed.ts';
import { decodeState, encodeState } from './urlState.ts';
import { MODELLED_SINCE, appStepOfLinkStep, lastAppStepOfLinkStep, linkStepCount, linkStepOfAppStep } from './stepNumbering.ts';

const summary = new EngineSession(SEED_SCENARIO).summary();

// A seed link made by format 1 (urlState.test.ts keeps it too), at old step 120: icmp_reply.
const V1_SEED_LINK =
  '#s=1.pAKVUUFOwzAQ_MpqubpxHCoEOfTOnRtFlWtvGiuubdlOUYX4O6pbIGpBlOPOzsyuZt5QYYs38NQTJCINMmajLLUgYUe5hyBNBOPAOwInt5SCVMQghlVnbKYIvusYSKUo5JX1SlrwjkEwbgNrPzoN2Renulo6E8AaN4DU-ohB3gc6HSKK5UIZxTc59f61TFLrWKTioanE3X0lKsGbOWjaHd1-YzVT1tSZ8umNMVyi4oh2yrvObJaOVO-hhgXwEL3iaZ-4o8xN2M35gcOltfwrlyv45fS_FeJCIf5UTOu5UlSfibIKetwGmJnPrEvFMwUNzB5PMU4iL3k6Mpu-FHhW0g8LsXTIMGErmprhgO0tw4DtMyppbcpSDYf1sMYXhhlb1DIO-P4BqBSnGQ';

/** The seed run as format 2 counted it (488 steps), as that engine numbered them. */
const FORMAT_2_SEED = [
  [1, 'ip_route_output_key_hash_rcu', STEP_KIND_ENTRY],
  [61, 'enqueue_to_backlog', STEP_KIND_ENTRY],
  [68, 'enqueue_to_backlog', STEP_KIND_RETURN],
  [88, 'process_backlog', STEP_KIND_ENTRY],
  [89, '__netif_receive_skb', STEP_KIND_ENTRY],
  [217, 'icmp_reply', STEP_KIND_ENTRY],
  [488, 'inet_release', STEP_KIND_RETURN],
] as const;

function at(s: RunSummary, step: number): [string | null, number] {
  return [stepFunction(s, step), s.stepKind[step - 1]];
}

describe('format-1 step numbers on the seed scenario', () => {
  it('an old link opens at the same call, now counted with returns and the queue helpers', async () => {
    const r = await decodeState(V1_SEED_LINK);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.v).toBe(1);
    expect(r.state.step).toBe(120);
    const step = appStepOfLinkStep(summary, 1, r.state.step);
    expect(step).toBe(279);
    expect(at(summary, step)).toEqual(['icmp_reply', STEP_KIND_ENTRY]);
  });

  it('maps the steps the old embed example used to their calls', () => {
    // Format 1's embed example: 5 raw_sendmsg, 36 veth_xmit, 42 enqueue_to_backlog, 49 net_rx_action.
    const got = [5, 36, 42, 49].map((old) => stepFunction(summary, appStepOfLinkStep(summary, 1, old)));
    expect(got).toEqual(['raw_sendmsg', 'veth_xmit', 'enqueue_to_backlog', 'net_rx_action']);
  });

  it('is a bijection between calls and entry steps, and ranges cover every step once', () => {
    const calls = linkStepCount(summary, 1);
    const helperCalls = Array.from(summary.stepFn).filter((f, i) => {
      return summary.stepKind[i] === STEP_KIND_ENTRY && summary.functionNames[f] in MODELLED_SINCE;
    }).length;
    expect(helperCalls).toBe(26);
    expect((calls + helperCalls) * 2).toBe(linkStepCount(summary, 3));
    expect(appStepOfLinkStep(summary, 1, 0)).toBe(0);
    expect(linkStepOfAppStep(summary, 1, 0)).toBe(0);
    // Step 0 stands for ping's socket, setsockopt and connect, which no call of format 1 counted.
    let prevEnd = lastAppStepOfLinkStep(summary, 1, 0);
    expect(prevEnd).toBe(23);
    for (let k = 1; k <= calls; k++) {
      const s = appStepOfLinkStep(summary, 1, k);
      expect(summary.stepKind[s - 1]).toBe(STEP_KIND_ENTRY);
      expect(summary.functionNames[summary.stepFn[s - 1]] in MODELLED_SINCE).toBe(false);
      expect(summary.stepSince[s - 1]).toBe(0);
      expect(linkStepOfAppStep(summary, 1, s)).toBe(k);
      expect(s).toBe(prevEnd + 1);
      prevEnd = lastAppStepOfLinkStep(summary, 1, k);
      for (let t = s; t <= prevEnd; t++) expect(linkStepOfAppStep(summary, 1, t)).toBe(k);
    }
    expect(prevEnd).toBe(summary.total);
    // Past the end: the last step.
    expect(appStepOfLinkStep(summary, 1, calls + 1)).toBe(summary.total);
    expect(lastAppStepOfLinkStep(summary, 1, calls + 5)).toBe(summary.total);
    expect(summary.stepKind[summary.total - 1]).toBe(STEP_KIND_RETURN);
  });
});

describe('format-2 step numbers on the seed scenario', () => {
  it('a format-2 link opens at the same call and the same side of it (entry or return)', async () => {
    const link = (await encodeState({ v: 4, scenario: SEED_SCENARIO, step: 217 })).replace(/^#s=4\./, '#s=2.');
    const r = await decodeState(link);
    expect(r.ok && r.state).toMatchObject({ v: 2, step: 217 });
    expect(linkStepCount(summary, 2)).toBe(488);
    expect(summary.total).toBe(594);
    const mapped = FORMAT_2_SEED.map(([old]) => {
      const step = appStepOfLinkStep(summary, 2, old);
      return [step, ...at(summary, step)];
    });
    expect(mapped).toEqual([
      [24, 'ip_route_output_key_hash_rcu', STEP_KIND_ENTRY],
      [99, 'enqueue_to_backlog', STEP_KIND_ENTRY],
      [108, 'enqueue_to_backlog', STEP_KIND_RETURN],
      [128, 'process_backlog', STEP_KIND_ENTRY],
      [135, '__netif_receive_skb', STEP_KIND_ENTRY],
      [279, 'icmp_reply', STEP_KIND_ENTRY],
      [593, 'inet_release', STEP_KIND_RETURN],
    ]);
  });

  it('skips exactly the queue helpers and the system calls: the steps between two old steps are theirs', () => {
    const helperSteps: string[] = [];
    const syscallSteps: string[] = [];
    let prev = 0;
    for (let k = 1; k <= linkStepCount(summary, 2); k++) {
      const s = appStepOfLinkStep(summary, 2, k);
      expect(linkStepOfAppStep(summary, 2, s)).toBe(k);
      expect(lastAppStepOfLinkStep(summary, 2, k - 1)).toBe(s - 1);
      for (let t = prev + 1; t < s; t++) {
        expect(linkStepOfAppStep(summary, 2, t)).toBe(k - 1);
        (summary.stepSince[t - 1] ? syscallSteps : helperSteps).push(stepFunction(summary, t)!);
      }
      prev = s;
    }
    // After the last old step (inet_release's return): sock_close's.
    expect(prev).toBe(summary.total - 1);
    expect(at(summary, summary.total)).toEqual(['sock_close', STEP_KIND_RETURN]);
    expect(new Set(helperSteps)).toEqual(new Set(['__skb_queue_tail', '__skb_dequeue', 'skb_queue_splice_tail_init']));
    expect(new Set(syscallSteps)).toEqual(
      new Set([
        '__sys_socket',
        'inet_create',
        'sk_alloc',
        '__sys_setsockopt',
        '__sys_connect',
        'inet_dgram_connect',
        'inet_autobind',
        'udp_lib_get_port',
        '__ip4_datagram_connect',
        'sock_close',
        'inet_release',
        'udp_lib_close',
        '__sys_sendto',
        'inet_sendmsg',
        '__sys_recvmsg',
        'inet_recvmsg',
      ]),
    );
    expect(helperSteps.length + syscallSteps.length + 1).toBe(summary.total - 488);
    // Between old steps 88 (process_backlog's entry) and 89 (__netif_receive_skb's): the queue helpers it calls.
    const between = [129, 130, 131, 132, 133, 134].map((t) => at(summary, t));
    expect(between).toEqual([
      ['__skb_dequeue', STEP_KIND_ENTRY],
      ['__skb_dequeue', STEP_KIND_RETURN],
      ['skb_queue_splice_tail_init', STEP_KIND_ENTRY],
      ['skb_queue_splice_tail_init', STEP_KIND_RETURN],
      ['__skb_dequeue', STEP_KIND_ENTRY],
      ['__skb_dequeue', STEP_KIND_RETURN],
    ]);
    // An old range ending at step 88 shows the helpers too, up to the next old step.
    expect(lastAppStepOfLinkStep(summary, 2, 88)).toBe(134);
  });
});

describe('format-3 step numbers on the seed scenario', () => {
  /** The seed run as format 3 counted it (540 steps), as that engine numbered them. */
  const FORMAT_3_SEED = [
    [1, 'ip_route_output_key_hash_rcu', STEP_KIND_ENTRY],
    [9, 'raw_sendmsg', STEP_KIND_ENTRY],
    [241, 'icmp_reply', STEP_KIND_ENTRY],
    [352, 'raw_recvmsg', STEP_KIND_RETURN],
    [540, 'inet_release', STEP_KIND_RETURN],
  ] as const;

  it('a format-3 link opens at the same call: ping reached it directly then, through its system calls now', () => {
    expect(linkStepCount(summary, 3)).toBe(540);
    const mapped = FORMAT_3_SEED.map(([old]) => at(summary, appStepOfLinkStep(summary, 3, old)));
    expect(mapped).toEqual(FORMAT_3_SEED.map(([, fn, kind]) => [fn, kind]));
    // The system call on the way is there, uncounted by format 3: sendto's entry is the same format-3 step as what came before.
    const send = appStepOfLinkStep(summary, 3, 9);
    expect(at(summary, send - 2)).toEqual(['__sys_sendto', STEP_KIND_ENTRY]);
    expect(linkStepOfAppStep(summary, 3, send - 2)).toBe(8);
  });

  it('format 4 counts every step', () => {
    expect(linkStepCount(summary, 4)).toBe(summary.total);
    for (const s of [0, 1, 91, 594]) expect(appStepOfLinkStep(summary, 4, s)).toBe(s);
  });
});
