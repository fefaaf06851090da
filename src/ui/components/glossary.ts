// The kernel words a newcomer meets first, in our own words, each with the
// place to read the real thing on elixir.bootlin.com (Linux v6.18).

export interface GlossaryTerm {
  id: string;
  /** How the term is written. */
  term: string;
  definition: string;
  /** The identifier to look up on elixir. */
  ident: string;
}

export const ELIXIR_IDENT = 'https://elixir.bootlin.com/linux/v6.18/A/ident/';

export const GLOSSARY: GlossaryTerm[] = [
  {
    id: 'skb',
    term: 'skb',
    definition:
      'struct sk_buff, the kernel’s packet: metadata (device, protocol, header offsets) and a buffer with headroom, the packet bytes and tailroom. Each skbwalk token is one.',
    ident: 'sk_buff',
  },
  {
    id: 'softnet_data',
    term: 'softnet_data',
    definition:
      'Per-CPU receive state: the backlog queues (input_pkt_queue, process_queue), the poll_list of NAPI instances waiting to run, and drop counters.',
    ident: 'softnet_data',
  },
  {
    id: 'backlog',
    term: 'backlog',
    definition:
      'The per-CPU queue where netif_rx parks packets from devices without NAPI of their own (veth, loopback): enqueue_to_backlog adds to input_pkt_queue, process_backlog later drains it.',
    ident: 'enqueue_to_backlog',
  },
  {
    id: 'napi',
    term: 'NAPI',
    definition:
      'The kernel’s polling scheme for receiving: instead of handling each packet as it arrives, a device (or a CPU’s backlog) is put on the poll_list and polled for up to a budget of packets in the NET_RX softirq.',
    ident: 'napi_struct',
  },
  {
    id: 'net_rx',
    term: 'NET_RX',
    definition:
      'The receive softirq (NET_RX_SOFTIRQ). Raising it only marks work as pending; net_rx_action runs later, when the sending code re-enables bottom halves, and polls each NAPI instance on the poll_list.',
    ident: 'NET_RX_SOFTIRQ',
  },
  {
    id: 'neighbour',
    term: 'neighbour',
    definition:
      'The kernel’s entry for a next hop on a link (the ARP cache): its state (INCOMPLETE, REACHABLE, STALE…), its link-layer address, and a queue of packets waiting for that address to be resolved.',
    ident: 'neighbour',
  },
];

export function elixirIdentUrl(t: GlossaryTerm): string {
  return `${ELIXIR_IDENT}${t.ident}`;
}

const BY_WORD = new Map(GLOSSARY.map((t) => [t.term.toLowerCase(), t]));
const WORDS = new RegExp(`(?<![\\w#])(${GLOSSARY.map((t) => t.term).join('|')})(?![\\w])`, 'gi');

/** Splits `text` into plain strings and glossary terms (each term once: ones already in `seen` stay plain). */
export function splitTerms(text: string, seen: Set<string>): (string | GlossaryTerm)[] {
  const out: (string | GlossaryTerm)[] = [];
  let last = 0;
  for (const m of text.matchAll(WORDS)) {
    const t = BY_WORD.get(m[1].toLowerCase());
    if (!t || seen.has(t.id)) continue;
    seen.add(t.id);
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(t);
    last = m.index + m[1].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
