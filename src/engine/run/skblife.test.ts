// The life index against the views it links to: every entry's step shows
// what the entry says (the skb alive after its allocation, in the queue it was
// put on, out of a socket's queue it left, the connection it opened on a
// listener, gone after it was freed), for every skb of every bundled scenario.
import { describe, expect, it } from 'vitest';
import { runScenario, type Run } from './run.ts';
import { skbLife, type SkbLifeEntry } from './skblife.ts';
import { viewAt, type StepView } from './view.ts';
import { SCENARIOS, DEFAULT_SCENARIO } from '../../scenarios/index.ts';

const line = (e: SkbLifeEntry) => `${e.step} ${e.fn}: ${e.text}`;

/** The socket queue an entry names, as the view places an skb in it. */
const SOCKET_QUEUES = [
  ['receive queue', 'socket'],
  ['write queue', 'write_queue'],
  ['retransmit queue', 'rtx_queue'],
] as const;

/** Whether the view shows skb `id` in socket `sock`'s queue that `text` names. */
function inSocketQueue(v: StepView, id: number, text: string): boolean {
  const sock = Number(/socket (\d+)/.exec(text)?.[1]);
  const where = SOCKET_QUEUES.find(([words]) => text.includes(words))?.[1];
  return v.skbs.some((p) => p.skb === id && p.where === where && p.socket === sock);
}

/** Whether the view shows the socket an entry says the skb's handshake made: a request counted on its listener, a child in its accept queue. */
function madeSocket(v: StepView, text: string): boolean {
  const listener = Number(/listening socket (\d+)/.exec(text)?.[1]);
  const sk = v.namespaces.flatMap((n) => n.sockets).find((s) => s.id === listener);
  const child = /child socket (\d+)/.exec(text);
  return child ? !!sk?.acceptQueue.includes(Number(child[1])) : (sk?.synQueue ?? 0) > 0;
}

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
  if (/socket \d+'s (receive|write|retransmit) queue/.test(text)) return inSocketQueue(v, id, text);
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
      '52 raw_sendmsg: allocated',
      '68 __neigh_event_send: waits on neighbour 192.168.1.2 (veth0) until ARP resolves it',
      '70 skb_clone: cloned as skb #2',
      '218 __dev_queue_xmit: handed to veth0 for transmit (net_dev_queue)',
      '233 netif_rx_internal: received on veth1 (netif_rx)',
      '237 enqueue_to_backlog: queued on cpu0 input_pkt_queue (the backlog)',
      "241 netdev_start_xmit: transmitted by veth0's driver, rc 0 (net_dev_xmit)",
      '259 process_backlog: moved to cpu0 process_queue',
      '263 __netif_receive_skb_core: taken up the stack from veth1 (netif_receive_skb)',
      '328 consume_skb: freed at icmp_rcv, not a drop (consume_skb)',
    ]);
    expect(skbLife(run, 2).map(line)).toEqual([
      '70 skb_clone: cloned from skb #1',
      '121 consume_skb: freed at neigh_probe, not a drop (consume_skb)',
    ]);
    expect(skbLife(run, 5).at(-1)).toEqual({
      step: 361,
      fn: 'kfree_skb_reason',
      kind: 'drop',
      text: 'dropped at ping_rcv: reason NO_SOCKET (kfree_skb)',
    });
    expect(skbLife(run, 0)).toEqual([]);
    expect(skbLife(run, 999)).toEqual([]);
  });

  const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!.text;

  it("tells a UDP datagram's life into the listener's receive queue and out by its read", () => {
    const run = runScenario(scenario('udp-netns-hello'));
    expect(skbLife(run, 1).map(line)).toEqual([
      '42 udp_sendmsg: allocated',
      '58 __neigh_event_send: waits on neighbour 10.83.0.2 (veth0) until ARP resolves it',
      '60 skb_clone: cloned as skb #2',
      '208 __dev_queue_xmit: handed to veth0 for transmit (net_dev_queue)',
      '223 netif_rx_internal: received on veth1 (netif_rx)',
      '227 enqueue_to_backlog: queued on cpu0 input_pkt_queue (the backlog)',
      "231 netdev_start_xmit: transmitted by veth0's driver, rc 0 (net_dev_xmit)",
      '249 process_backlog: moved to cpu0 process_queue',
      '253 __netif_receive_skb_core: taken up the stack from veth1 (netif_receive_skb)',
      "273 __udp_enqueue_schedule_skb: queued on UDP socket 8's receive queue",
      "326 udp_recvmsg: taken off UDP socket 8's receive queue, read by the program",
      '326 __consume_stateless_skb: freed at skb_consume_udp (no tracepoint fires)',
    ]);
  });

  it("tells a TCP connection's segments through the listener's queues and the sockets' write, retransmit and receive queues", () => {
    const run = runScenario(scenario('tcp-netns-hello'));
    const lives = [1, 2, 7, 8, 9].map((id) => skbLife(run, id).map(line));
    expect(lives).toEqual([
      [
        '53 tcp_connect: allocated',
        "53 tcp_connect: queued on TCP socket 10's retransmit queue (sent, kept until acknowledged)",
        '55 skb_clone: cloned as skb #2',
        "402 tcp_ack: acknowledged: taken off TCP socket 10's retransmit queue",
        '402 __kfree_skb: freed at tcp_ack (no tracepoint fires)',
      ],
      [
        '55 skb_clone: cloned from skb #1',
        '71 __neigh_event_send: waits on neighbour 10.81.0.2 (veth0) until ARP resolves it',
        '73 skb_clone: cloned as skb #3',
        '221 __dev_queue_xmit: handed to veth0 for transmit (net_dev_queue)',
        '236 netif_rx_internal: received on veth1 (netif_rx)',
        '240 enqueue_to_backlog: queued on cpu0 input_pkt_queue (the backlog)',
        "244 netdev_start_xmit: transmitted by veth0's driver, rc 0 (net_dev_xmit)",
        '262 process_backlog: moved to cpu0 process_queue',
        '266 __netif_receive_skb_core: taken up the stack from veth1 (netif_receive_skb)',
        '288 tcp_v4_conn_request: made request socket 13 (SYN_RECV) on listening socket 8',
        '333 consume_skb: freed at tcp_rcv_state_process, not a drop (consume_skb)',
      ],
      [
        '410 tcp_send_ack: allocated',
        '420 __dev_queue_xmit: handed to veth0 for transmit (net_dev_queue)',
        '435 netif_rx_internal: received on veth1 (netif_rx)',
        '445 enqueue_to_backlog: queued on cpu0 input_pkt_queue (the backlog)',
        "449 netdev_start_xmit: transmitted by veth0's driver, rc 0 (net_dev_xmit)",
        '462 process_backlog: moved to cpu0 process_queue',
        '466 __netif_receive_skb_core: taken up the stack from veth1 (netif_receive_skb)',
        "495 tcp_v4_syn_recv_sock: completed the handshake: child socket 14 queued on listening socket 8's accept queue",
        '506 __kfree_skb: freed at tcp_data_queue (no tracepoint fires)',
      ],
      [
        '555 tcp_sendmsg_locked: allocated',
        "557 tcp_sendmsg_locked: queued on TCP socket 10's write queue (written, not yet sent)",
        "558 tcp_write_xmit: queued on TCP socket 10's retransmit queue (sent, kept until acknowledged)",
        '560 skb_clone: cloned as skb #9',
        "750 tcp_ack: acknowledged: taken off TCP socket 10's retransmit queue",
        '750 __kfree_skb: freed at tcp_ack (no tracepoint fires)',
      ],
      [
        '560 skb_clone: cloned from skb #8',
        '570 __dev_queue_xmit: handed to veth0 for transmit (net_dev_queue)',
        '585 netif_rx_internal: received on veth1 (netif_rx)',
        '595 enqueue_to_backlog: queued on cpu0 input_pkt_queue (the backlog)',
        "599 netdev_start_xmit: transmitted by veth0's driver, rc 0 (net_dev_xmit)",
        '612 process_backlog: moved to cpu0 process_queue',
        '616 __netif_receive_skb_core: taken up the stack from veth1 (netif_receive_skb)',
        "632 tcp_data_queue: queued on TCP socket 14's receive queue",
        "914 tcp_recvmsg_locked: taken off TCP socket 14's receive queue, read by the program",
        '914 __kfree_skb: freed at tcp_recvmsg_locked (no tracepoint fires)',
      ],
    ]);
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
        if (e.kind === 'dequeue') {
          expect(inSocketQueue(viewAt(run, e.step - 1, id), id, e.text), `skb #${id} before: ${line(e)}`).toBe(true);
          expect(inSocketQueue(v, id, e.text), `skb #${id}: ${line(e)}`).toBe(false);
        }
        if (e.kind === 'connect') expect(madeSocket(v, e.text), `skb #${id}: ${line(e)}`).toBe(true);
        if (e.kind === 'drop' || e.kind === 'consume') {
          expect(v.stack.at(-1)?.fn, line(e)).toMatch(
            /^(kfree_skb_reason|consume_skb|__kfree_skb|kfree_skb_partial|__consume_stateless_skb)$/,
          );
          // Afterwards it is gone, or (a caller still holding the pointer) shown freed.
          if (e.step < run.rec.count)
            expect(viewAt(run, e.step + 1, id).focus?.skb?.state ?? 'gone', `skb #${id} after its end`).not.toBe('live');
        }
      }
    }
  });

  it('shows a picked skb whatever the current call, and null before it exists', () => {
    const run = runScenario(DEFAULT_SCENARIO);
    const before = viewAt(run, 48, 3);
    expect(before.focus).toMatchObject({ id: 3, skb: null, picked: true });
    const queued = viewAt(run, 120, 3);
    expect(queued.skb?.id).not.toBe(3);
    expect(queued.focus).toMatchObject({ id: 3, picked: true, skb: { id: 3, protocol: 'ETH_P_ARP (0x0806)' } });
    const current = viewAt(run, 98);
    expect(current.focus).toMatchObject({ id: 3, picked: false, skb: { id: 3 } });
    // At skb_clone's return the clone is only the returned value: found all the same.
    expect(viewAt(run, 70, 2).focus).toMatchObject({ id: 2, skb: { id: 2, cloneOf: 1 } });
  });
});
