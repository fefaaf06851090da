import { describe, expect, it } from 'vitest';
import { decodeSkb } from './decode.ts';
import type { SkbView } from '../../engine/run/view.ts';

const arpHex = '0000fffffffffffffaa0aedd1b4108060001080006040001faa0aedd1b41c0a80101000000000000c0a80102';

describe('decodeSkb', () => {
  it('decodes an ARP request behind its Ethernet header', () => {
    const skb = {
      id: 3,
      dev: 'veth1',
      protocol: 'ETH_P_ARP (0x0806)',
      pktType: 'PACKET_BROADCAST',
      len: 28,
      headroom: 16,
      dataOffset: 16,
      tailOffset: 44,
      end: 44,
      macHeader: 2,
      networkHeader: 16,
      transportHeader: -1,
      bytes: arpHex,
      state: 'live',
      cloneOf: 0,
      sk: 0,
      devUid: 5,
      netUid: 1,
      endLocation: '',
      dropReason: '',
    } satisfies SkbView;
    const layers = decodeSkb(skb);
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'ARP']);
    const arp = layers[1];
    expect(arp.fields.find((f) => f.name === 'tpa')).toMatchObject({ value: '192.168.1.2', start: 40, end: 44 });
    expect(arp.fields.find((f) => f.name === 'oper')?.value).toBe('1 (request)');
    expect(layers[0].fields.find((f) => f.name === 'dst')?.value).toBe('ff:ff:ff:ff:ff:ff');
  });
});
