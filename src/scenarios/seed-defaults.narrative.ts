// The narrative of the gallery scenario seed-defaults (seed-defaults.ts), kept apart from its
// script so the page loads it only when the scenario is opened.
import type { ScenarioNarrative } from './types.ts';

export const SEED_DEFAULTS_NARRATIVE: ScenarioNarrative = {
  summary:
    "The seed's veth pair with rp_filter=1 (what most distributions set) and accept_local left off. The ARP request reaches veth1 but is never answered: ping fails.",
  notes: [
    {
      at: { event: 'neigh_create', dev: 'veth0' },
      title: 'The echo request waits',
      text: "As in the seed, veth0 has no neighbour for 192.168.1.2: the echo request waits in the new INCOMPLETE entry's queue while ARP asks for the MAC.",
    },
    {
      at: { event: 'fib_table_lookup', where: 'src=192.168.1.2 dst=192.168.1.1' },
      title: 'The reverse-path check',
      text: "arp_process checks the sender 192.168.1.1 against veth1 (fib_validate_source). The address is the host's own, and accept_local=0 refuses packets from local addresses; strict rp_filter would refuse them too, since the way back to 192.168.1.1 is veth0, not veth1.",
    },
    {
      at: { event: 'consume_skb', where: 'location=arp_process' },
      title: 'Silently ignored',
      text: 'The ARP request is freed without an answer. It is consumed, not dropped: no drop reason, nothing in any counter. Only the missing reply tells.',
    },
    {
      at: { event: 'net_dev_queue', dev: 'veth0', nth: 3 },
      title: 'Third and last try',
      text: 'The neighbour timer resends the ARP request every second (ucast_probes and mcast_probes: 3 tries in all).',
    },
    {
      at: { reason: 'NEIGH_FAILED' },
      title: 'The neighbour fails',
      text: 'After the third unanswered probe the entry goes FAILED and the echo request that waited in its queue is freed with reason NEIGH_FAILED. The kernel also sends ping an ICMP host unreachable through lo, but ping bound to veth0 with -I prints no "From" line for it.',
    },
  ],
};
