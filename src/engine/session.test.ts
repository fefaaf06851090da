import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EngineSession } from './session.ts';

const seed = readFileSync(new URL('../../test/fixtures/kernel/seed-veth-same-ns/scenario.sh', import.meta.url), 'utf8');

describe('EngineSession on the seed scenario', () => {
  const s = new EngineSession(seed);
  const sum = s.summary();

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
      const i = sum.functions.indexOf(fn, at);
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

  it('step N shows the call entered at N and its stack, outermost first', () => {
    const n = sum.functions.indexOf('enqueue_to_backlog') + 1;
    const v = s.view(n);
    expect(v.stack.at(-1)!.fn).toBe('enqueue_to_backlog');
    expect(v.stack[0].fn).toBe('raw_sendmsg');
    expect(v.stack.at(-1)!.url).toBe('https://elixir.bootlin.com/linux/v6.18/source/net/core/dev.c');
    expect(v.skb?.dev).toBe('veth1');
    // Once enqueue_to_backlog has returned, the skb sits in CPU 0's backlog.
    const after = s.view(s.find(n, 1, 'over')!);
    expect(after.cpus[0].inputPktQueue).toContain(v.skb!.id);
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
  });

  it('step 0 is before the first call', () => {
    const v = s.view(0);
    expect(v.stack).toEqual([]);
    expect(v.events).toBe(0);
    expect(v.namespaces[0].devices.map((d) => d.name)).toEqual(['lo', 'veth1', 'veth0']);
  });

  it('finds steps: next event, a function, step over and out', () => {
    const fnStep = s.find(0, 1, 'function', 'net_rx_action')!;
    expect(sum.functions[fnStep - 1]).toBe('net_rx_action');
    const ev = s.find(0, 1, 'event')!;
    expect(sum.events[0].step).toBe(ev);
    const over = s.find(fnStep, 1, 'over')!;
    expect(s.view(over).stack.length).toBeLessThanOrEqual(s.view(fnStep).stack.length);
    const out = s.find(fnStep + 3, 1, 'out')!;
    expect(s.view(out).stack.length).toBeLessThan(s.view(fnStep + 3).stack.length);
    expect(s.find(sum.total, 1, 'event')).toBeNull();
  });

  it('is deterministic: the same scenario gives the same steps, events and bytes', () => {
    const again = new EngineSession(seed).summary();
    expect(again.functions).toEqual(sum.functions);
    expect(again.events).toEqual(sum.events);
    expect(again.captures).toEqual(sum.captures);
  });
});
