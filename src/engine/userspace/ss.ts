// iproute2's `ss` (6.1) for TCP and UDP sockets: asks the kernel for the
// namespace's sockets (a sock_diag request, inet_diag_dump) and prints them
// in ss's columns, each as wide as its widest entry (the output is not a
// terminal, so nothing is spread to a screen width).
import type { ToolContext } from './tool.ts';
import { provide_program } from './programs.ts';
import {
  IPPROTO_TCP,
  IPPROTO_UDP,
  TCP_CLOSE,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCP_TIME_WAIT,
  ssStateName,
} from '../include/sock.ts';
import { inet_diag_dump, type InetDiagMsg } from '../net/ipv4/inet_diag.ts';
import { ipStr } from '../net/ipv4/addr.ts';
import { getservbyport } from './etc/services.ts';

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}`;

/** Every state (SS_ALL), and ss's default for TCP: connected ones (SS_CONN). */
const SS_ALL = 0x1fff;
const SS_CONN = SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE) | (1 << TCP_TIME_WAIT) | (1 << TCP_SYN_RECV));

interface Db {
  name: 'udp' | 'tcp';
  protocol: number;
  /** What ss shows of this table without -a or -l. */
  defaultStates: number;
}

/** In the order ss shows them: UDP's table before TCP's. */
const DBS: Db[] = [
  { name: 'udp', protocol: IPPROTO_UDP, defaultStates: 1 << TCP_ESTABLISHED },
  { name: 'tcp', protocol: IPPROTO_TCP, defaultStates: SS_CONN },
];

interface Column {
  header: string;
  right: boolean;
  /** Printed before the column unless it is the line's first. */
  delim: string;
}

const COLUMNS: Column[] = [
  { header: 'Netid', right: false, delim: '' },
  { header: 'State', right: false, delim: ' ' },
  { header: 'Recv-Q', right: false, delim: ' ' },
  { header: 'Send-Q', right: false, delim: ' ' },
  { header: 'Local Address:', right: true, delim: ' ' },
  { header: 'Port', right: false, delim: '' },
  { header: 'Peer Address:', right: true, delim: ' ' },
  { header: 'Port', right: false, delim: '' },
  { header: 'Process', right: false, delim: '' },
];

/** ss's state names (sstate_namel, matched without case) by their TCP state. */
const STATE_NAMES = [
  '',
  'established',
  'syn-sent',
  'syn-recv',
  'fin-wait-1',
  'fin-wait-2',
  'time-wait',
  'closed',
  'close-wait',
  'last-ack',
  'listening',
  'closing',
];

/** scan_state: a state's bit, or a group's bits; null for a name ss does not know. */
function scan_state(name: string): number | null {
  const n = name.toLowerCase();
  const i = STATE_NAMES.indexOf(n);
  if (i > 0) return 1 << i;
  const bucket = (1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT);
  if (n === 'all') return SS_ALL;
  if (n === 'connected') return SS_ALL & ~((1 << TCP_CLOSE) | (1 << TCP_LISTEN));
  if (n === 'synchronized') return SS_ALL & ~((1 << TCP_CLOSE) | (1 << TCP_LISTEN) | (1 << TCP_SYN_SENT));
  if (n === 'bucket') return bucket;
  if (n === 'big') return SS_ALL & ~bucket;
  return null;
}

export function ss_main(ctx: ToolContext, argv: string[]): number {
  const flags = new Set<string>();
  // `state NAME` and `exclude NAME`: the first replaces the states the
  // options chose (all of them, for exclude), the next ones add or remove.
  let stateFilter: number | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'state' || a === 'exclude' || a === 'excl') {
      const name = argv[++i];
      if (name === undefined) {
        ctx.stderr('ss: missing argument');
        return 255;
      }
      const bits = scan_state(name);
      if (bits === null) {
        ctx.stderr(`ss: wrong state name: ${name}`);
        return 255;
      }
      if (a === 'state') stateFilter = (stateFilter ?? 0) | bits;
      else stateFilter = (stateFilter ?? SS_ALL) & ~bits;
      continue;
    }
    if (/^-[a-zA-Z0-9]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (!'tualnp4H'.includes(f)) {
          if ('hV'.includes(f) || !/[a-zA-Z0-9]/.test(f)) break;
          ctx.stderr(`ss: invalid option -- '${f}'`);
          for (const l of USAGE.split('\n')) ctx.stderr(l);
          return 255;
        }
        flags.add(f);
      }
    } else {
      ctx.stderr(`skbwalk: ss: "${a}": filters and long options are not supported (it runs ss -t/-u with -a, -l, -n, -p, -4)`);
      return 1;
    }
  }
  const dbs = DBS.filter((d) => flags.has(d.name[0]));
  if (!dbs.length) {
    ctx.stderr('skbwalk: ss needs -t or -u (only the TCP and UDP tables are modelled)');
    return 1;
  }
  let states = 0;
  if (stateFilter !== null) states = stateFilter;
  else if (flags.has('a')) states = SS_ALL;
  else if (flags.has('l')) states = (1 << TCP_LISTEN) | (1 << TCP_CLOSE);
  else for (const d of dbs) states |= d.defaultStates;
  const numeric = flags.has('n');
  const rows: string[][] = [];
  const chosen = stateFilter !== null || flags.has('a') || flags.has('l');
  for (const d of dbs) {
    const msgs = inet_diag_dump(ctx.w, ctx.net, d.protocol, states & (chosen ? SS_ALL : d.defaultStates)) ?? [];
    for (const m of msgs) rows.push(row(ctx, d, m, numeric, flags.has('p')));
  }
  const shown = COLUMNS.map((_, i) => {
    if (i === 0) return dbs.length > 1;
    if (i === 1) return (states & (states - 1)) !== 0;
    return true;
  });
  // ss measures a field when it moves on to the next one; the last line's
  // last field (Process) is still open when the widths are computed, so it
  // does not count (nor does the header's, when no socket follows it).
  // -H: no header line, which then takes no part in the widths either.
  const header = !flags.has('H');
  const lines = header ? [COLUMNS.map((c) => c.header), ...rows] : rows;
  const widths = COLUMNS.map((_, i) =>
    Math.max(...lines.filter((l, n) => i < COLUMNS.length - 1 || n < lines.length - 1).map((l) => l[i].length), 0),
  );
  const render = (cells: string[]) => {
    let line = '';
    let first = true;
    COLUMNS.forEach((c, i) => {
      if (!shown[i]) return;
      if (!first) line += c.delim;
      first = false;
      line += c.right ? cells[i].padStart(widths[i]) : cells[i].padEnd(widths[i]);
    });
    return line;
  };
  if (header) ctx.stdout(render(COLUMNS.map((c) => c.header)));
  for (const r of rows) ctx.stdout(render(r));
  return 0;
}

function row(ctx: ToolContext, d: Db, m: InetDiagMsg, numeric: boolean, processes: boolean): string[] {
  const port = (p: number) => (p === 0 ? '*' : numeric ? String(p) : (getservbyport(p, d.name) ?? String(p)));
  return [
    d.name,
    ssStateName(m.state),
    // "%-6d": the queues fill six columns even without a header to widen them.
    String(m.rqueue).padEnd(6),
    String(m.wqueue).padEnd(6),
    `${ipStr(m.saddr)}:`,
    port(m.sport),
    `${ipStr(m.daddr)}:`,
    port(m.dport),
    processes ? users(ctx, m.sockId) : '',
  ];
}

/** ss -p: the processes holding the socket, from their descriptor tables (/proc/PID/fd). */
function users(ctx: ToolContext, sockId: number): string {
  const found: string[] = [];
  for (const p of ctx.w.procs) {
    (p.files ?? []).forEach((s, fd) => {
      if (s && s.sk.id === sockId) found.push(`("${p.comm}",pid=${p.pid},fd=${fd})`);
    });
  }
  return found.length ? ` users:(${found.join(',')})` : '';
}

provide_program('ss', { ss_main });
