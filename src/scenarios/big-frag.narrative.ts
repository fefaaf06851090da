// The narrative of the gallery scenario big-frag (big-frag.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const BIG_FRAG_NARRATIVE: ScenarioNarrative = {
  summary:
    'ping -s 3000: a 3028-byte IP packet on a 1500-byte MTU. The sender cuts it into three fragments; the receiver puts them back together before ICMP sees them. The reply is fragmented the same way.',
  notes: [
    {
      at: { fn: 'ip_do_fragment' },
      title: 'Cut into fragments',
      text: "The echo request is larger than veth0's MTU and may be fragmented (ping does not set DF here), so ip_finish_output hands it to ip_do_fragment.",
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth0', where: 'len=1514' },
      title: 'First fragment',
      text: 'The first fragment waited for ARP; each fragment is a full Ethernet frame of its own (1514 bytes on the wire, 1500 of IP).',
    },
    {
      at: { fn: 'ip_defrag' },
      title: 'Collecting fragments',
      text: 'ns1 receives the first fragment while the host is still sending the others; ip_local_deliver sees a fragment and ip_defrag keeps it in a reassembly queue until the rest arrive.',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth0', where: 'len=82' },
      title: 'The last, small fragment',
      text: '3028 bytes of IP make 1500 + 1500 + 68: the third fragment carries the remaining 48 bytes of payload.',
    },
    {
      at: { event: 'consume_skb', netns: 'ns1', where: 'location=inet_frag_reasm_prepare' },
      title: 'Reassembled',
      text: 'The last fragment completes the packet: inet_frag_reasm_prepare joins the fragments into one skb (the others hang off its frag_list) and ICMP sees one 3008-byte echo request.',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth1', netns: 'ns1', where: 'len=1514' },
      title: 'The reply, fragmented too',
      text: 'The echo reply is as large as the request, so ns1 fragments it the same way on veth1.',
    },
  ],
};
