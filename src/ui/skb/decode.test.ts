import { describe, expect, it } from 'vitest';
import { decodeSkb } from './decode.ts';
import type { SkbView } from '../../engine/run/view.ts';

const arpHex = '0000fffffffffffffaa0aedd1b4108060001080006040001faa0aedd1b41c0a80101000000000000c0a80102';

/** An IPv4 frame as veth0 sent it: Ethernet at offset 0, IP at 14, the transport header at 34. */
function sentIpv4Frame(frame: string): SkbView {
  const len = frame.length / 2;
  return {
    id: 3,
    dev: 'veth0',
    protocol: 'ETH_P_IP (0x0800)',
    pktType: 'PACKET_HOST',
    len,
    headroom: 0,
    dataOffset: 0,
    tailOffset: len,
    end: len,
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
  };
}

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
    const skb = sentIpv4Frame(frame);
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

  it("decodes a UDP datagram's header and payload, and not a later fragment's bytes as one", () => {
    // The datagram of udp-netns-hello as the kernel sent it: "hi\n" to port 9090.
    const frame = '52a438aaa675de5f54f25f8108004500001f614140004011c4e40a5300010a530002bf492382000b14c568690a';
    const skb = sentIpv4Frame(frame);
    const layers = decodeSkb(skb);
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'UDP']);
    expect(layers[2]).toEqual({
      name: 'UDP',
      start: 34,
      end: 45,
      fields: [
        { name: 'source', value: '48969', start: 34, end: 36 },
        { name: 'dest', value: '9090', start: 36, end: 38 },
        { name: 'len', value: '11', start: 38, end: 40 },
        { name: 'check', value: '0x14c5', start: 40, end: 42 },
        { name: 'payload', value: '3 bytes', start: 42, end: 45 },
      ],
    });
    // The same bytes as a second fragment (offset 8 × 8): its data is not a header.
    const later = { ...skb, bytes: frame.slice(0, 40) + '0001' + frame.slice(44) };
    expect(decodeSkb(later).map((l) => l.name)).toEqual(['Ethernet', 'IPv4']);
  });
});
