import { describe, expect, it } from 'vitest';
import { deepClone } from './clone.ts';

describe('deepClone', () => {
  it('copies plain data, keeping shared references and cycles', () => {
    const net: Record<string, unknown> = { name: 'ns1', devices: [] as unknown[] };
    const a = { name: 'veth0', net, peer: null as unknown, addr: new Uint8Array([1, 2, 3]) };
    const b = { name: 'veth1', net, peer: a, addr: new Uint8Array([4]) };
    a.peer = b;
    (net.devices as unknown[]).push(a, b);
    const c = deepClone({ nets: [net], n: 3 });
    const cnet = c.nets[0] as typeof net;
    const [ca, cb] = cnet.devices as (typeof a)[];
    expect(ca).not.toBe(a);
    expect(ca.net).toBe(cnet);
    expect(ca.peer).toBe(cb);
    expect(cb.peer as typeof a).toBe(ca);
    expect(ca.addr).toEqual(new Uint8Array([1, 2, 3]));
    ca.addr[0] = 9;
    expect(a.addr[0]).toBe(1);
    expect(c.n).toBe(3);
  });
});
