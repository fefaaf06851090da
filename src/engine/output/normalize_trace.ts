// The reference recorder's trace.txt (kernel-trace's normalize_trace), made
// from what the kernel's own tracepoints wrote into tracefs while a scenario
// ran on a real machine: `skbwalk record` uses it, so that its records and
// the references are made the same way. Each event line becomes
// `CTX EVENT key=value ...` (see ../shared/kernel-reference/README.md); skb
// addresses become numbers by first appearance; and everything that is not
// the scenario's own traffic is left out: other processes' packets (the
// machine is shared), other namespaces' devices, IPv6, netlink and unix
// buffers, the copies a capture takes, and packets caused by any of those.
import { portLabeller, splitLinesPy } from './normalize.ts';

/**
 * Drops of packets that may never have reached a device (held in a neighbour
 * queue, say): their kfree_skb is kept though the buffer was never seen.
 * skbwalk's own trace.txt (run/trace_txt.ts) keeps the same ones.
 */
export const PATH_DROPS = new Set([
  'NEIGH_FAILED',
  'NEIGH_QUEUEFULL',
  'NEIGH_DEAD',
  'NEIGH_CREATEFAIL',
  'IP_OUTNOROUTES',
  'IP_INNOROUTES',
  'IP_RPFILTER',
  'IP_LOCAL_SOURCE',
  'IP_INVALID_SOURCE',
  'CPU_BACKLOG',
  'QDISC_DROP',
  'IP_INADDRERRORS',
]);

/**
 * Frees left out: buffers that are never packets of the traffic (netlink
 * messages, unix-socket data, the copies a capture takes), and a packet read
 * on another CPU than the one that made it, freed when that CPU next polls.
 */
const UNTRACED_FREES = ['netlink', 'unix_', 'tpacket_rcv', 'packet_rcv', 'skb_defer_free_flush'];

const SKB_EVENTS = new Set([
  'net_dev_queue',
  'net_dev_start_xmit',
  'net_dev_xmit',
  'netif_rx',
  'netif_receive_skb',
  'consume_skb',
  'kfree_skb',
]);

/** A tracefs line: `COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS`. */
const LINE = /^\s*(\S+)-(\d+)\s+\[(\d+)\]\s+(\S+)\s+[\d.]+:\s+(\w+):\s*(.*)$/;
const KEY_VALUE = /(\w+)=(\S+)/g;

/** The ports the scenario's sockets used that its script does not name. */
export function ephemeralPorts(raw: string, words: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const [, a, p, b, q] of raw.matchAll(/([\d.]+)\/(\d+) -> ([\d.]+)\/(\d+)/g)) {
    if (words.has(a) && words.has(b)) [p, q].forEach((x) => found.add(x));
  }
  for (const [, a, b, p, q] of raw.matchAll(/sport=(\d+) dport=(\d+) saddr=(\S+) daddr=(\S+)/g)) {
    if (words.has(p) && words.has(q)) [a, b].forEach((x) => found.add(x));
  }
  for (const [, a, p, b, q] of raw.matchAll(/src=([\d.]+):(\d+) dest=([\d.]+):(\d+)/g)) {
    if (words.has(a) && words.has(b)) [p, q].forEach((x) => found.add(x));
  }
  return new Set([...found].filter((p) => p !== '0' && !words.has(p)));
}

interface Event {
  /** The packet's number (by first appearance), or null for an event about no packet. */
  n: number | null;
  /** The packet its CPU was receiving when a softirq event happened, if any. */
  why: number | null;
  ctx: 'task' | 'softirq';
  text: string;
}

interface Seen {
  ev: string;
  cpu: string;
  session: number | undefined;
  dev: string | undefined;
}

interface Birth {
  why: number | null;
  ctx: 'task' | 'softirq';
  ev: string;
  dev: string | undefined;
  afterOurs: boolean;
}

/**
 * trace.txt from tracefs's text. `words`: the script's words (devices,
 * addresses, ports); `pids`: the scenario's ping and nc processes (a
 * task-context event of any other process is foreign).
 */
export function normalizeTrace(raw: string, words: ReadonlySet<string>, pids: ReadonlySet<string>): string {
  const devices = new Set([...words, 'lo']);
  const ids = new Map<string, number>();
  const last = new Map<string, Seen>();
  const v6 = new Set<number>();
  const foreign = new Set<number>();
  const session = new Map<string, number>();
  const cause = new Map<string, number>();
  const caused = new Map<number, Birth>();
  const afterOurs = new Map<string, boolean>();
  const events: Event[] = [];
  let next = 0;

  const skb = (addr: string, free = false): number => {
    let n = ids.get(addr);
    if (n === undefined) {
      n = ++next;
      ids.set(addr, n);
    }
    if (free) ids.delete(addr);
    return n;
  };
  const isOurDevice = (dev: string): boolean => devices.has(dev) || dev === '-' || dev === '(no_device)';

  for (const line of splitLinesPy(raw)) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, , pid, cpu, flags, ev, rest] = m;
    const irqFlag = flags.slice(2, 3);
    const ctx = irqFlag.includes('s') ? 'softirq' : 'task';
    const kv = new Map<string, string>();
    for (const [, k, v] of rest.matchAll(KEY_VALUE)) kv.set(k, v);
    const addr = SKB_EVENTS.has(ev) ? (kv.get('skbaddr') ?? null) : null;
    if (ctx === 'task' && !pids.has(pid)) {
      // Another process's event (this machine is shared): a buffer it touches is its own now.
      if (addr !== null) {
        ids.delete(addr);
        if (ev !== 'consume_skb' && ev !== 'kfree_skb') {
          foreign.add(skb(addr));
          last.set(addr, { ev, cpu, session: session.get(cpu), dev: kv.get('dev') });
        }
      }
      if (!irqFlag.toLowerCase().includes('h')) afterOurs.set(cpu, false);
      continue;
    }
    if (addr !== null && ids.has(addr) && (ev === 'net_dev_queue' || ev === 'netif_receive_skb')) {
      // TCP frees most buffers without a trace event (so do other processes' devices), and the
      // address comes back for a new packet. A buffer goes on only as one of these:
      const was = last.get(addr)!;
      let goesOn: boolean;
      if (was.ev === 'netif_receive_skb') {
        // received, then forwarded, bridged or passed up from a port, in the same poll
        goesOn =
          ctx === 'softirq' &&
          cpu === was.cpu &&
          session.get(cpu) === was.session &&
          (ev === 'netif_receive_skb' || kv.get('dev') !== was.dev);
      } else if (ev === 'net_dev_queue') {
        // sent on a device that hands it to another (a bridge to a port)
        goesOn = was.ev === 'net_dev_start_xmit' && cpu === was.cpu && kv.get('dev') !== was.dev;
      } else {
        // sent, then received by the other end
        goesOn = ['net_dev_start_xmit', 'netif_rx', 'net_dev_xmit'].includes(was.ev);
      }
      if (!goesOn) ids.delete(addr);
    }
    const born = addr !== null && !ids.has(addr);
    // A softirq event happens on behalf of the packet its CPU is receiving, if any.
    const why = ctx === 'softirq' ? (cause.get(cpu) ?? null) : null;
    const had = events.length;
    let n: number | null = null;
    if (ev === 'consume_skb' || ev === 'kfree_skb') {
      const loc = (kv.get('location') ?? '').replace(/\+0x.*/, '');
      if (UNTRACED_FREES.some((p) => loc.startsWith(p))) {
        if (addr !== null) ids.delete(addr);
        continue;
      }
      const reason = /reason: (\S+)/.exec(rest);
      if ((addr === null || !ids.has(addr)) && !(reason && PATH_DROPS.has(reason[1]))) continue; // not ours
      n = skb(addr ?? '', true);
      if (addr !== null) last.delete(addr);
      if (ev === 'kfree_skb') {
        events.push({ n, why, ctx, text: `kfree_skb skb=${n} location=${loc} reason=${reason ? reason[1] : ''}` });
      } else {
        events.push({ n, why, ctx, text: `consume_skb skb=${n} location=${loc}` });
      }
    } else if (ev === 'net_dev_queue' || ev === 'netif_rx' || ev === 'netif_receive_skb') {
      n = skb(addr!);
      events.push({ n, why, ctx, text: `${ev} skb=${n} dev=${kv.get('dev')} len=${kv.get('len')}` });
    } else if (ev === 'net_dev_start_xmit') {
      n = skb(addr!);
      if (kv.get('protocol') === '0x86dd') v6.add(n);
      events.push({
        n,
        why,
        ctx,
        text: `${ev} skb=${n} dev=${kv.get('dev')} protocol=${kv.get('protocol')} len=${kv.get('len')}`,
      });
    } else if (ev === 'net_dev_xmit') {
      n = skb(addr!);
      events.push({ n, why, ctx, text: `${ev} skb=${n} dev=${kv.get('dev')} len=${kv.get('len')} rc=${kv.get('rc')}` });
    } else if (ev === 'napi_poll') {
      const p = /for device (\S+) work (\d+) budget (\d+)/.exec(rest);
      if (p) events.push({ n: null, why, ctx, text: `napi_poll dev=${p[1]} work=${p[2]} budget=${p[3]}` });
      session.set(cpu, (session.get(cpu) ?? 0) + 1);
      cause.delete(cpu);
    } else if (ev === 'softirq_raise') {
      // Our devices raise NET_RX from a process or a softirq; from a hard interrupt it is a real NIC's.
      if (rest.includes('NET_RX') && !irqFlag.toLowerCase().includes('h'))
        events.push({ n: null, why, ctx, text: 'softirq_raise vec=NET_RX' });
      continue;
    } else if (ev === 'neigh_create') {
      const p = /dev (\S+) .*primary_key4 (\S+)/.exec(rest);
      if (p) events.push({ n: null, why, ctx, text: `neigh_create dev=${p[1]} key=${p[2]}` });
    } else if (ev === 'neigh_update') {
      const p = /dev (\S+) .*nud_state (\S+) .*primary_key4 (\S+) .*new_state (\S+)/.exec(rest);
      if (p) events.push({ n: null, why, ctx, text: `neigh_update dev=${p[1]} key=${p[3]} state=${p[2]}->${p[4]}` });
    } else if (ev === 'fib_table_lookup') {
      const p = /table (\d+) oif (\d+) iif (\d+) proto (\d+) (\S+?)\/\S* -> (\S+?)\/\S* .*==> dev (\S+) .*err (-?\d+)/.exec(rest);
      if (p) {
        const [, t, oif, iif, proto, src, dst, dev, err] = p;
        events.push({
          n: null,
          why,
          ctx,
          text: `fib_table_lookup table=${t} oif=${oif} iif=${iif} proto=${proto} src=${src} dst=${dst} result=${dev} err=${err}`,
        });
      }
    } else if (
      ev === 'inet_sock_set_state' ||
      ev === 'tcp_receive_reset' ||
      ev === 'tcp_retransmit_skb' ||
      ev === 'tcp_send_reset'
    ) {
      let src: [string, string];
      let dst: [string, string];
      const split = (s: string): [string, string] => {
        const i = s.lastIndexOf(':');
        return [s.slice(0, i), s.slice(i + 1)];
      };
      if (ev === 'tcp_send_reset') {
        // the reset's own addresses
        src = split(kv.get('src') ?? ':');
        dst = split(kv.get('dest') ?? ':');
      } else {
        // the socket's: local, then remote
        src = [kv.get('saddr') ?? '', kv.get('sport') ?? ''];
        dst = [kv.get('daddr') ?? '', kv.get('dport') ?? ''];
      }
      // a socket of another process on this machine
      if ((kv.get('protocol') ?? 'IPPROTO_TCP') !== 'IPPROTO_TCP' || !words.has(src[0]) || !words.has(dst[0])) continue;
      let text = `${ev} ` + (ev === 'inet_sock_set_state' ? 'proto=TCP ' : '');
      text += `src=${src[0]}:${src[1]} dst=${dst[0]}:${dst[1]}`;
      if (ev === 'inet_sock_set_state')
        text += ` state=${(kv.get('oldstate') ?? '').slice(4)}->${(kv.get('newstate') ?? '').slice(4)}`;
      else if (kv.has('state')) text += ' state=' + kv.get('state')!.replace(/^TCP_/, '');
      events.push({ n: null, why, ctx, text });
    }
    if (ev === 'netif_receive_skb' && n !== null) cause.set(cpu, n);
    if (addr !== null && ids.has(addr) && n !== null) {
      const dev = kv.get('dev');
      last.set(addr, { ev, cpu, session: session.get(cpu), dev });
      if (dev === undefined || !devices.has(dev)) foreign.add(n);
      if (born) caused.set(n, { why, ctx, ev, dev, afterOurs: afterOurs.get(cpu) ?? false });
    }
    // Whether this CPU's last doing was ours, in a softirq that goes on (a neighbour timer, say).
    const added = events.length > had;
    const named = added ? / (?:dev|result)=(\S+)/.exec(events[events.length - 1].text) : null;
    afterOurs.set(
      cpu,
      added &&
        ctx === 'softirq' &&
        ev !== 'napi_poll' &&
        (why === null || !foreign.has(why)) &&
        (!named || isOurDevice(named[1])),
    );
  }
  for (const e of events) {
    const dev = / (?:dev|result)=(\S+)/.exec(e.text);
    if (dev && !devices.has(dev[1]) && e.n !== null) foreign.add(e.n);
  }
  // A packet sent on behalf of another's packet.
  for (const n of [...caused.keys()].sort((a, b) => a - b)) {
    const why = caused.get(n)!.why;
    if (why !== null && foreign.has(why)) foreign.add(n);
  }
  // Every namespace has a lo, and so has the machine, whose processes talk over it. A packet on lo
  // that nothing of ours led to (sent by a timer, a delayed ACK say, or first seen as received)
  // is not ours if the scenario's own traffic had not used lo yet.
  const unowned = new Set<number>();
  for (const [n, c] of caused) {
    if (c.dev === 'lo' && c.why === null && !c.afterOurs && (c.ctx === 'softirq' || c.ev !== 'net_dev_queue')) unowned.add(n);
  }
  let firstLo = next + 1;
  for (const [n, c] of caused) if (c.dev === 'lo' && !unowned.has(n) && !foreign.has(n) && n < firstLo) firstLo = n;
  for (const n of unowned) if (n < firstLo) foreign.add(n);

  const out: string[] = [];
  const port = portLabeller(words);
  const kept = new Map<number, number>();
  for (const e of events) {
    const dev = / dev=(\S+)/.exec(e.text);
    if (e.n !== null && (v6.has(e.n) || foreign.has(e.n))) continue;
    if (e.n === null && e.why !== null && foreign.has(e.why)) continue;
    if (e.n === null && dev && !devices.has(dev[1]) && dev[1] !== '(no_device)') continue;
    // another namespace's route lookup (its DNS, say)
    const res = / result=(\S+)/.exec(e.text);
    if (e.n === null && res && !devices.has(res[1]) && res[1] !== '-' && res[1] !== '(no_device)') continue;
    let text = e.text;
    if (e.n !== null) {
      // numbered among the kept packets only
      const n = e.n;
      let k = kept.get(n);
      if (k === undefined) {
        k = kept.size + 1;
        kept.set(n, k);
      }
      text = text.replace(/\bskb=\d+/g, `skb=${k}`);
    }
    text = text.replace(/(=[\d.]+):(\d+)/g, (_m, a: string, p: string) => `${a}:${port(p)}`);
    out.push(`${e.ctx} ${text}`);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
