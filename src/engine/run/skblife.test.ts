// The life index against the views it links to: every entry's step shows
// what the entry says (the skb alive after its allocation, in the queue it was
// put on, gone after it was freed), for every skb of every bundled scenario.
import { describe, expect, it } from 'vitest';
import { runScenario, type Run } from './run.ts';
import { skbLife, type SkbLifeEntry } from './skblife.ts';
import { viewAt, type StepView } from './view.ts';
import { SCENARIOS, DEFAULT_SCENARIO } from '../../scenarios/index.ts';

const line = (e: SkbLifeEntry) => `${e.step} ${e.fn}: ${e.text}`;

/** Whether the view shows skb `id` in the queue the entry names. */
function inNamedQueue(v: StepView, id: number, text: string): boolean {
  const cpu = /cpu(\d+) (input_pkt_queue|process_queue)/.exec(text);
  if (cpu) {
    const c = v.cpus[Number(cpu[1])];
    if (cpu[2] === 'input_pkt_queue') return c.inputPktQueue.includes(id);
    // process_backlog moves the backlog over and at once takes the first skb off to receive it.
    return c.processQueue.includes(id) || v.stack.at(-1)?.skb === id;
  }
  if (text.startsWith('waits on neighbour')) return v.skbs.some((p) => p.skb === id && p.where === 'neigh_queue');
  if (text.includes('receive queue')) return v.skbs.some((p) => p.skb === id && p.where === 'socket');
  return v.focus?.skb !== null; // error and reassembly queues are not drawn: held, at least
}

function skbIds(run: Run): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < run.rec.skbLog.length; i++) ids.add(run.rec.skbLog.skb[i]);
  return [...ids].sort((a, b) => a - b);
}

describe('skb life', () => {
  it("tells the seed's echo request and ARP request from birth to end", () => {
    const run = runScenario(DEFAULT_SCENARIO);
    expect(skbLife(run, 1).map(line)).toEqual([
      '14 raw_sendmsg: allocated',
      '30 __neigh_event_send: waits on neighbour 192.168.1.2 (veth0) until ARP resolves it',
      '32 skb_clone: cloned as skb #2',
      '180 __dev_queue_xmit: handed to veth0 for transmit (net_dev_queue)',
      '195 netif_rx_internal: received on veth1 (netif_rx)',
      '199 enqueue_to_backlog: queued on cpu0 input_pkt_queue (the backlog)',
      "187 netdev_start_xmit: transmitted by veth0's driver, rc 0 (net_dev_xmit)",
      '221 process_backlog: moved to cpu0 process_queue',
      '225 __netif_receive_skb_core: taken up the stack from veth1 (netif_receive_skb)',
      '290 consume_skb: freed at icmp_rcv, not a drop (consume_skb)',
    ]);
    expect(skbLife(run, 2).map(line)).toEqual([
      '32 skb_clone: cloned from skb #1',
      '83 consume_skb: freed at neigh_probe, not a drop (consume_skb)',
    ]);
    expect(skbLife(run, 5).at(-1)).toEqual({
      step: 323,
      fn: 'kfree_skb_reason',
      kind: 'drop',
      text: 'dropped at ping_rcv: reason NO_SOCKET (kfree_skb)',
    });
    expect(skbLife(run, 0)).toEqual([]);
    expect(skbLife(run, 999)).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.id, s.text]))('links each entry to a step that shows it (%s)', (_id, text) => {
    const run = runScenario(text);
    const ids = skbIds(run);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const life = skbLife(run, id);
      expect(['alloc', 'clone'], `skb #${id} starts`).toContain(life[0].kind);
      const ends = life.filter((e) => e.kind === 'drop' || e.kind === 'consume');
      expect(ends.length, `skb #${id} ends at most once`).toBeLessThanOrEqual(1);
      for (const e of life) {
        expect(e.step).toBeGreaterThanOrEqual(1);
        expect(e.step).toBeLessThanOrEqual(run.rec.count);
        const v = viewAt(run, e.step, id);
        expect(v.focus?.id).toBe(id);
        // A clone is at least the value skb_clone returns; a new skb may sit in a local variable only
        // (ip_do_fragment builds its fragments before sending them), which no view can show.
        if (e.kind === 'clone') expect(v.focus?.skb, `skb #${id} after "${line(e)}"`).not.toBeNull();
        if (e.kind === 'queue') expect(inNamedQueue(v, id, e.text), `skb #${id}: ${line(e)}`).toBe(true);
        if (e.kind === 'drop' || e.kind === 'consume') {
          expect(v.stack.at(-1)?.fn, line(e)).toMatch(/^(kfree_skb_reason|consume_skb)$/);
          // Afterwards it is gone, or (a caller still holding the pointer) shown freed.
          if (e.step < run.rec.count)
            expect(viewAt(run, e.step + 1, id).focus?.skb?.state ?? 'gone', `skb #${id} after its end`).not.toBe('live');
        }
      }
    }
  });

  it('shows a picked skb whatever the current call, and null before it exists', () => {
    const run = runScenario(DEFAULT_SCENARIO);
    const before = viewAt(run, 10, 3);
    expect(before.focus).toMatchObject({ id: 3, skb: null, picked: true });
    const queued = viewAt(run, 82, 3);
    expect(queued.skb?.id).not.toBe(3);
    expect(queued.focus).toMatchObject({ id: 3, picked: true, skb: { id: 3, protocol: 'ETH_P_ARP (0x0806)' } });
    const current = viewAt(run, 60);
    expect(current.focus).toMatchObject({ id: 3, picked: false, skb: { id: 3 } });
    // At skb_clone's return the clone is only the returned value: found all the same.
    expect(viewAt(run, 32, 2).focus).toMatchObject({ id: 2, skb: { id: 2, cloneOf: 1 } });
  });
});
