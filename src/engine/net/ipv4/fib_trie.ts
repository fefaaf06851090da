// The FIB (net/ipv4/fib_trie.c). Without custom rules the kernel merges the
// local table into main, so one list of aliases answers lookups for both; the
// table id a lookup reports is the table the caller asked for.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import type { FibAlias } from '../../include/route.ts';
import { RTN_BLACKHOLE, RTN_PROHIBIT, RTN_THROW, RTN_UNREACHABLE } from '../../include/route.ts';
import { ENETUNREACH, EHOSTUNREACH, EACCES, EINVAL, EAGAIN } from '../../include/errno.ts';
import { kfn } from '../../trace/functions.ts';
import { enter, leave, ret } from '../../kernel/call.ts';
import { trace_fib_table_lookup } from '../../trace/tracepoints.ts';
import { inPrefix } from './addr.ts';

const F_fib_table_lookup = kfn(
  'fib_table_lookup',
  'net/ipv4/fib_trie.c',
  'Longest-prefix match in the routing trie. Routes whose device does not match a requested output interface are skipped, backtracking to shorter prefixes.',
  'fib',
);

export interface Flowi4 {
  oif: number;
  iif: number;
  proto: number;
  saddr: number;
  daddr: number;
  scope: number;
}

export interface FibResult {
  alias: FibAlias | null;
  err: number;
}

export function fibInsertSorted(net: Net, fa: FibAlias, append: boolean): void {
  const fib = net.ipv4.fib;
  let i = 0;
  // Longer prefixes first; among equal prefixes keep insertion order (append)
  // or put the new one first (prepend, as `ip route add` does without append).
  while (i < fib.length && (fib[i].dstLen > fa.dstLen || (fib[i].dstLen === fa.dstLen && (append || fib[i].dst !== fa.dst)))) i++;
  fib.splice(i, 0, fa);
}

/**
 * fib_table_dump: a table's routes as an RTM_GETROUTE dump answers them, in
 * the trie's walk order (by destination, longer prefixes first, then by
 * metric), each a copy (a message, not the kernel's own entry).
 */
export function fib_table_dump(net: Net, table: number): FibAlias[] {
  return net.ipv4.fib
    .map((fa, i) => ({ fa, i }))
    .filter((x) => x.fa.table === table)
    .sort((a, b) => a.fa.dst - b.fa.dst || b.fa.dstLen - a.fa.dstLen || a.fa.metric - b.fa.metric || a.i - b.i)
    .map((x) => ({ ...x.fa }));
}

const TYPE_ERRORS: Record<number, number> = {
  [RTN_UNREACHABLE]: -EHOSTUNREACH,
  [RTN_PROHIBIT]: -EACCES,
  [RTN_BLACKHOLE]: -EINVAL,
  // fib_props: a throw route ends the lookup in this table, as if nothing matched.
  [RTN_THROW]: -EAGAIN,
};

/** The trie walk itself, without a step: what `ip route get` and the lookup share. */
export function fibMatch(net: Net, fl: Flowi4): FibResult {
  for (const fa of net.ipv4.fib) {
    if (fa.dead) continue;
    if (!inPrefix(fl.daddr, fa.dst, fa.dstLen)) continue;
    if (fa.scope < fl.scope) continue;
    const typeErr = TYPE_ERRORS[fa.type];
    if (typeErr) return { alias: fa, err: typeErr };
    // Past the error types every route has a device.
    if (fl.oif && fa.dev!.ifindex !== fl.oif) continue;
    return { alias: fa, err: 0 };
  }
  return { alias: null, err: -EAGAIN };
}

export function fib_table_lookup(w: World, net: Net, table: number, fl: Flowi4): FibResult {
  enter(w, F_fib_table_lookup);
  try {
    const r = fibMatch(net, fl);
    trace_fib_table_lookup(w, net.uid, table, fl, r.alias && r.err === 0 ? r.alias.dev!.name : '-', r.err);
    return ret(w, r);
  } finally {
    leave(w);
  }
}

/** fib_lookup without custom rules: one lookup in main; -EAGAIN means no route. */
export function fib_lookup(w: World, net: Net, fl: Flowi4): FibResult {
  const r = fib_table_lookup(w, net, 254, fl);
  if (r.err === -EAGAIN) return { alias: null, err: -ENETUNREACH };
  return r;
}
