import { describe, expect, it } from 'vitest';
import { EngineSession } from './session.ts';
import { STEP_KIND_ENTRY, STEP_KIND_RETURN, stepFunction } from './worker/protocol.ts';
import { recordScript } from '../../test/records.ts';
import { linesOf } from './worker/lines.ts';

const seed = recordScript('seed-veth-same-ns');

describe('EngineSession on the seed scenario', () => {
  const s = new EngineSession(seed);
  const sum = s.summary();
  /** The function of each step that enters a call (index = step - 1; returns are ''). */
  const entered = Array.from(sum.stepFn, (id, i) => (sum.stepKind[i] === STEP_KIND_ENTRY ? sum.functionNames[id] : ''));

  it('records the calls the seed article walks through, in order', () => {
    const order = [
      'dev_hard_start_xmit',
      'veth_xmit',
      '__dev_forward_skb',
      'enqueue_to_backlog',
      'raise_softirq_irqoff',
      'net_rx_action',
      'process_backlog',
      '__netif_receive_skb_core',
      'arp_rcv',
      'icmp_rcv',
      'loopback_xmit',
    ];
    let at = 0;
    for (const fn of order) {
      const i = entered.indexOf(fn, at);
      expect(i, `${fn} after step ${at}`).toBeGreaterThanOrEqual(at);
      at = i;
    }
  });

  it('views are the same whether reached forwards or backwards', () => {
    const steps = [sum.total, 1, 57, 3, sum.total >> 1, 57];
    const seen = new Map<number, string>();
    for (const n of steps) {
      const v = JSON.stringify(s.view(n));
      if (seen.has(n)) expect(v).toBe(seen.get(n));
      seen.set(n, v);
    }
  });

  it('every call has an entry step and, later, a return step at the same depth', () => {
    const open: number[] = [];
    for (let i = 0; i < sum.total; i++) {
      if (sum.stepKind[i] === STEP_KIND_ENTRY) {
        expect(sum.stepDepth[i]).toBe(open.length);
        open.push(sum.stepFn[i]);
      } else {
        expect(sum.stepKind[i]).toBe(STEP_KIND_RETURN);
        expect(sum.stepDepth[i]).toBe(open.length - 1);
        expect(sum.stepFn[i]).toBe(open.pop());
      }
    }
    expect(open).toEqual([]);
    expect(entered.filter((f) => f).length * 2).toBe(sum.total);
  });

  it('step N shows the call entered at N and its stack, outermost first', () => {
    const n = entered.indexOf('enqueue_to_backlog') + 1;
    const v = s.view(n);
    expect(v.kind).toBe('entry');
    expect(v.returned).toBeNull();
    expect(v.stack.at(-1)!.fn).toBe('enqueue_to_backlog');
    // ping's sendto(): the system call, the family's sendmsg, the raw socket's.
    expect(v.stack.slice(0, 3).map((f) => f.fn)).toEqual(['__sys_sendto', 'inet_sendmsg', 'raw_sendmsg']);
    expect(v.stack.at(-1)!.url).toBe('https://elixir.bootlin.com/linux/v6.18/source/net/core/dev.c');
    expect(v.skb?.dev).toBe('veth1');
    // ping's raw socket, made by socket(), is drawn; its probe socket is closed by now.
    expect(v.namespaces[0].sockets.map((k) => k.proto)).toEqual(['raw']);
    expect(v.cpus[0].inputPktQueue).toEqual([]);
    // Step over lands on enqueue_to_backlog's own return: still on the stack,
    // returning NET_RX_SUCCESS, and the skb it queued is in CPU 0's backlog.
    const overStep = s.find(n, 1, 'over')!;
    expect(stepFunction(sum, overStep)).toBe('enqueue_to_backlog');
    expect(sum.stepKind[overStep - 1]).toBe(STEP_KIND_RETURN);
    const after = s.view(overStep);
    expect(after.kind).toBe('return');
    expect(after.returned).toBe('NET_RX_SUCCESS');
    expect(after.stack.map((f) => f.fn)).toEqual(v.stack.map((f) => f.fn));
    expect(after.cpus[0].inputPktQueue).toEqual([v.skb!.id]);
    expect(after.cpus[0].backlogScheduled).toBe(true);
    expect(after.cpus[0].netRxPending).toBe(true);
    const host = after.namespaces[0];
    const veth1 = host.devices.find((d) => d.name === 'veth1')!;
    expect(after.skbs).toContainEqual({
      skb: v.skb!.id,
      where: 'backlog',
      cpu: 0,
      dev: 'veth1',
      devUid: veth1.uid,
      netUid: host.uid,
    });
    // The queueing itself is __skb_queue_tail's, the step before: it is on the stack, under enqueue_to_backlog.
    expect(after.changes).toEqual([]);
    const tail = s.view(overStep - 1);
    expect(tail.stack.map((f) => f.fn)).toEqual([...v.stack.map((f) => f.fn), '__skb_queue_tail']);
    expect(tail.kind).toBe('return');
    expect(tail.changes).toEqual([`cpu0 input_pkt_queue: skb #${v.skb!.id} queued (1 now)`]);
    expect(after.explanation).toMatch(/^enqueue_to_backlog returns NET_RX_SUCCESS to netif_rx_internal: /);
    // Step out from there lands on the caller's return, with the same return value.
    const outStep = s.find(overStep, 1, 'out')!;
    expect(stepFunction(sum, outStep)).toBe('netif_rx_internal');
    expect(s.view(outStep).returned).toBe('NET_RX_SUCCESS');
    expect(s.view(outStep).stack.length).toBe(v.stack.length - 1);
  });

  it('process_backlog moves the backlog to process_queue, where it is seen, then takes the skbs one by one', () => {
    const poll = entered.indexOf('process_backlog') + 1;
    const fns = (step: number) => s.view(step).stack.map((f) => f.fn);
    expect(s.view(poll).cpus[0].inputPktQueue.length).toBe(1);
    const skb = s.view(poll).cpus[0].inputPktQueue[0];
    // process_queue is empty at first: __skb_dequeue returns NULL, then the splice.
    const steps = [1, 2, 3, 4, 5, 6].map((d) => {
      const v = s.view(poll + d);
      return [v.stack.at(-1)!.fn, v.kind, v.returned, v.cpus[0].inputPktQueue, v.cpus[0].processQueue, v.changes];
    });
    expect(steps).toEqual([
      ['__skb_dequeue', 'entry', null, [skb], [], []],
      ['__skb_dequeue', 'return', 'NULL', [skb], [], []],
      ['skb_queue_splice_tail_init', 'entry', null, [skb], [], []],
      [
        'skb_queue_splice_tail_init',
        'return',
        null,
        [],
        [skb],
        [`cpu0 input_pkt_queue: skb #${skb} dequeued (0 left)`, `cpu0 process_queue: skb #${skb} queued (1 now)`],
      ],
      ['__skb_dequeue', 'entry', null, [], [skb], []],
      ['__skb_dequeue', 'return', `skb #${skb}`, [], [], [`cpu0 process_queue: skb #${skb} dequeued (0 left)`]],
    ]);
    expect(fns(poll + 4)).toEqual([...fns(poll), 'skb_queue_splice_tail_init']);
    expect(s.view(poll + 4).skbs).toContainEqual(expect.objectContaining({ skb, where: 'process_queue', cpu: 0 }));
    expect(fns(poll + 7).at(-1)).toBe('__netif_receive_skb');
  });

  it('a step where NET_RX is raised has raise_softirq_irqoff on the stack, returning', () => {
    const raise = entered.indexOf('raise_softirq_irqoff') + 1;
    expect(s.view(raise).cpus[0].netRxPending).toBe(false);
    const back = s.find(raise, 1, 'over')!;
    expect(back).toBe(raise + 1);
    const v = s.view(back);
    expect(v.cpus[0].netRxPending).toBe(true);
    expect(v.stack.at(-1)!.fn).toBe('raise_softirq_irqoff');
    expect(v.returned).toBeNull();
  });

  it('step 0 is before the first call', () => {
    const v = s.view(0);
    expect(v.stack).toEqual([]);
    expect(v.events).toBe(0);
    expect(v.namespaces[0].devices.map((d) => d.name)).toEqual(['lo', 'veth1', 'veth0']);
  });

  it('finds steps: next event, a function, step over and out', () => {
    const fnStep = s.find(0, 1, 'function', 'net_rx_action')!;
    expect(stepFunction(sum, fnStep)).toBe('net_rx_action');
    expect(sum.stepKind[fnStep - 1]).toBe(STEP_KIND_ENTRY);
    const ev = s.find(0, 1, 'event')!;
    expect(sum.events.steps[0]).toBe(ev);
    const over = s.find(fnStep, 1, 'over')!;
    expect(s.view(over).stack.length).toBeLessThanOrEqual(s.view(fnStep).stack.length);
    const out = s.find(fnStep + 3, 1, 'out')!;
    expect(s.view(out).stack.length).toBeLessThan(s.view(fnStep + 3).stack.length);
    expect(s.find(sum.total, 1, 'event')).toBeNull();
  });

  it('is deterministic: the same scenario gives the same steps, events and bytes', () => {
    const again = new EngineSession(seed).summary();
    expect(again.stepFn).toEqual(sum.stepFn);
    expect(again.stepKind).toEqual(sum.stepKind);
    expect(again.events).toEqual(sum.events);
    expect(again.captures).toEqual(sum.captures);
  });
});

describe('the event columns of a run summary', () => {
  // Each column read back against the event's own text: its tracepoint is the
  // line's second word, its device the `dev=` field, named with its namespace.
  for (const name of ['docker-bridge', 'router-forward', 'tcp-netns-hello', 'link-down-peer']) {
    it(`agree with every event's line in ${name}`, () => {
      const s = new EngineSession(recordScript(name));
      const sum = s.summary();
      const ev = s.run.rec.events;
      const lines = linesOf(sum.events);
      expect(lines.map((l) => l.text)).toEqual(Array.from({ length: ev.length }, (_, i) => ev.text(i)));
      expect(lines.map((l) => l.step)).toEqual(Array.from(ev.step.subarray(0, ev.length), (step) => step + 1));
      const device = (i: number) => {
        const dev = / dev=(\S+)/.exec(lines[i].text)?.[1];
        if (!dev || dev === '(no_device)') return '';
        const ns = sum.namespaceNames[sum.eventNetns[i]];
        return ns ? `${ns}/${dev}` : dev;
      };
      expect(lines.map((_, i) => sum.eventDevice[i] && sum.eventDevices[sum.eventDevice[i] - 1])).toEqual(
        lines.map((_, i) => device(i) || 0),
      );
      expect(lines.map((_, i) => sum.eventKinds[sum.eventKind[i]])).toEqual(lines.map((l) => l.text.split(' ')[1]));
      expect(new Set(sum.eventKinds).size).toBe(sum.eventKinds.length);
      expect(new Set(sum.eventDevices).size).toBe(sum.eventDevices.length);
    });
  }
});
