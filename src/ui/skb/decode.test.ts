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

  it("decodes a TCP SYN's header and each of its options, with their bytes", () => {
    // The SYN of tcp-netns-hello as the kernel sent it (Ethernet + IPv4 + TCP with 20 bytes of options).
    const frame =
      '1a408006a84666ca44dce27b08004500003c47f740004006de200a5100010a51000285b61f901702365d00000000a002faf014d30000020405b40402080a08f36bc5000000000103030a';
    const skb = {
      id: 3,
      dev: 'veth0',
      protocol: 'ETH_P_IP (0x0800)',
      pktType: 'PACKET_HOST',
      len: 74,
      headroom: 0,
      dataOffset: 0,
      tailOffset: 74,
      end: 74,
      macHeader: 0,
      networkHeader: 14,
      transportHeader: 34,
      bytes: frame,
      state: 'live',
      cloneOf: 0,
      sk: 0,
      devUid: 5,
      netUid: 1,
      endLocation: '',
      dropReason: '',
    } satisfies SkbView;
    const layers = decodeSkb(skb);
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'TCP']);
    const tcp = layers[2];
    expect(tcp.fields.map((f) => [f.name, f.value, f.start, f.end])).toEqual([
      ['source', '34230', 34, 36],
      ['dest', '8080', 36, 38],
      ['seq', '386020957', 38, 42],
      ['ack_seq', '0', 42, 46],
      ['doff', '40 bytes', 46, 47],
      ['flags', 'SYN', 47, 48],
      ['window', '64240', 48, 50],
      ['check', '0x14d3', 50, 52],
      ['urg_ptr', '0', 52, 54],
      ['option', 'mss 1460', 54, 58],
      ['option', 'sackOK', 58, 60],
      ['option', 'TS val 150170565 ecr 0', 60, 70],
      ['option', 'nop', 70, 71],
      ['option', 'wscale 10', 71, 74],
    ]);
  });
});
