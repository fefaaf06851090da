// What can come next in a scenario command, for the editor's completion: the
// programs skbwalk runs, their subcommands and options (the forms in the
// README's Scenarios table, as src/engine/userspace/ parses them), and the
// device and namespace names the script has made so far. Pure.

export interface CompletionItem {
  label: string;
  /** 'keyword' (subcommand, option), 'device', 'namespace', 'program', 'key' (sysctl). */
  kind: 'keyword' | 'device' | 'namespace' | 'program' | 'key';
  detail?: string;
}

export interface Names {
  devices: readonly string[];
  namespaces: readonly string[];
}

/** iproute2's rule: an argument abbreviates a word when it is a non-empty prefix of it. */
export function matchesWord(arg: string, word: string): boolean {
  return arg.length > 0 && arg.length <= word.length && word.startsWith(arg);
}

/** The objects skbwalk's `ip` runs, in iproute2's table order (the first an abbreviation matches wins). */
export const IP_OBJECTS = ['address', 'route', 'neighbor', 'neighbour', 'link', 'netns'] as const;

export const PROGRAMS: CompletionItem[] = [
  { label: 'ip', kind: 'program', detail: 'iproute2: links, addresses, routes, neighbours, namespaces' },
  { label: 'ping', kind: 'program', detail: 'iputils ping' },
  { label: 'tcpdump', kind: 'program', detail: 'capture on a device' },
  { label: 'sysctl', kind: 'program', detail: 'read or write net.* settings' },
  { label: 'echo', kind: 'program', detail: 'echo V > /proc/sys/...' },
  { label: 'ifconfig', kind: 'program', detail: 'net-tools' },
  { label: 'sleep', kind: 'program', detail: 'wait N seconds' },
  { label: 'nc', kind: 'program', detail: 'netcat-openbsd: a TCP or UDP client or listener' },
  { label: 'ss', kind: 'program', detail: 'iproute2: list sockets' },
  { label: 'printf', kind: 'program', detail: 'printf FORMAT ARGS | nc ...' },
  { label: 'wait', kind: 'program', detail: 'wait for the background jobs (CMD &)' },
];

const kw = (labels: string, detail?: string): CompletionItem[] =>
  labels.split(' ').map((label) => ({ label, kind: 'keyword', detail }));

const IP_OPTIONS = kw('-n -netns -br -brief -4 -6 -s -d -o');
const IP_OBJECT_ITEMS = kw('link address route neighbour netns');

const SUBCOMMANDS: Record<string, CompletionItem[]> = {
  link: kw('add set del show'),
  address: kw('add del show'),
  route: kw('show add del get'),
  neighbor: kw('show flush add change replace del get'),
  neighbour: kw('show flush add change replace del get'),
  netns: kw('add del list exec'),
};

const LINK_SET_ACTIONS = kw('up down netns master nomaster mtu address name');
/** The NUD states `ip neigh ... nud` takes (iproute2's nud_state_a2n names). */
const NUD_STATES = kw('permanent noarp reachable stale none incomplete delay probe failed');
const LINK_TYPES = kw('veth bridge');

/** Per-device IPv4 settings skbwalk models (net.ipv4.conf.DEV.KEY); each is checked against the engine in a test. */
export const CONF_KEYS = [
  'accept_local',
  'accept_redirects',
  'arp_accept',
  'arp_announce',
  'arp_filter',
  'arp_ignore',
  'forwarding',
  'log_martians',
  'proxy_arp',
  'route_localnet',
  'rp_filter',
  'send_redirects',
];
/** Namespace-wide net.ipv4 settings skbwalk models. */
export const IPV4_KEYS = ['ip_forward', 'icmp_echo_ignore_all', 'icmp_echo_ignore_broadcasts'];

function sysctlKeys(names: Names, sep: '.' | '/'): CompletionItem[] {
  const prefix = sep === '.' ? 'net.ipv4.' : '/proc/sys/net/ipv4/';
  const keys: CompletionItem[] = IPV4_KEYS.map((k) => ({ label: prefix + k, kind: 'key' }));
  for (const conf of ['all', 'default', ...names.devices]) {
    for (const k of CONF_KEYS) keys.push({ label: `${prefix}conf${sep}${conf}${sep}${k}`, kind: 'key' });
  }
  return keys;
}

const devices = (n: Names): CompletionItem[] => n.devices.map((label) => ({ label, kind: 'device' }));
const namespaces = (n: Names): CompletionItem[] => n.namespaces.map((label) => ({ label, kind: 'namespace' }));

/** Completions for `ip` after its program name. */
function ipNext(args: string[], names: Names): CompletionItem[] {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    const opt = args[i].replace(/^--/, '-');
    if (opt === '-n' || matchesWord(opt, '-netns')) {
      if (i + 1 === args.length) return namespaces(names);
      i += 2;
    } else i++;
  }
  const rest = args.slice(i);
  if (rest.length === 0) return [...IP_OBJECT_ITEMS, ...IP_OPTIONS];
  const obj = IP_OBJECTS.find((o) => matchesWord(rest[0], o));
  if (!obj) return [];
  if (rest.length === 1) return SUBCOMMANDS[obj] ?? [];
  const sub = rest[1];
  const after = rest.slice(2);
  const last = after.at(-1);
  switch (obj) {
    case 'netns':
      if ((sub === 'exec' || sub === 'del') && after.length === 0) return namespaces(names);
      if (sub === 'exec' && after.length >= 1) return commandNext(after.slice(1), names);
      return [];
    case 'link':
      if (matchesWord(sub, 'add')) {
        if (after.length === 0) return [];
        if (last === 'type') return LINK_TYPES;
        if (last === 'netns') return namespaces(names);
        if (last === 'name' || last === 'mtu' || last === 'address') return [];
        if (after.includes('peer')) return after.at(-2) === 'peer' ? [] : kw('netns');
        if (after.includes('veth')) return kw('peer');
        return after.includes('type') ? [] : kw('type');
      }
      if (matchesWord(sub, 'set') || sub === 'change') {
        if (after.length === 0) return [...kw('dev'), ...devices(names)];
        if (last === 'dev') return devices(names);
        if (last === 'netns') return namespaces(names);
        if (last === 'master') return devices(names);
        if (last === 'mtu' || last === 'address' || last === 'name') return [];
        return LINK_SET_ACTIONS;
      }
      if (matchesWord(sub, 'delete') || matchesWord(sub, 'show') || matchesWord(sub, 'list')) {
        if (after.length === 0) return [...kw('dev'), ...devices(names)];
        if (last === 'dev') return devices(names);
      }
      return [];
    case 'address':
      if (matchesWord(sub, 'add') || matchesWord(sub, 'delete')) {
        if (after.length === 0) return [];
        if (last === 'dev') return devices(names);
        return after.includes('dev') ? [] : kw('dev');
      }
      if (matchesWord(sub, 'show') || matchesWord(sub, 'list')) {
        if (last === 'dev') return devices(names);
        return after.length === 0 ? [...kw('dev'), ...devices(names)] : [];
      }
      return [];
    case 'route':
      if (matchesWord(sub, 'add') || matchesWord(sub, 'delete')) {
        if (after.length === 0) return kw('default');
        if (last === 'dev') return devices(names);
        if (last === 'via' || last === 'table') return last === 'table' ? kw('main local') : [];
        return kw('via dev table').filter((k) => !after.includes(k.label));
      }
      if (matchesWord(sub, 'show') || matchesWord(sub, 'list')) {
        if (last === 'table') return kw('main local');
        return after.length === 0 ? kw('table') : [];
      }
      return [];
    case 'neighbor':
    case 'neighbour':
      if (last === 'dev') return devices(names);
      if (last === 'nud') return NUD_STATES;
      if (matchesWord(sub, 'add') || sub === 'change' || matchesWord(sub, 'replace') || matchesWord(sub, 'delete')) {
        if (after.length === 0 || last === 'lladdr') return [];
        return kw('lladdr nud dev').filter((k) => !after.includes(k.label));
      }
      if (matchesWord(sub, 'get')) return after.length === 0 || after.includes('dev') ? [] : kw('dev');
      return after.length === 0 ? kw('dev nud') : [];
  }
  return [];
}

const PING_OPTIONS: CompletionItem[] = [
  { label: '-c', kind: 'keyword', detail: 'count' },
  { label: '-I', kind: 'keyword', detail: 'interface or source address' },
  { label: '-W', kind: 'keyword', detail: 'reply timeout, s' },
  { label: '-w', kind: 'keyword', detail: 'deadline, s' },
  { label: '-i', kind: 'keyword', detail: 'interval, s' },
  { label: '-s', kind: 'keyword', detail: 'payload size' },
  { label: '-t', kind: 'keyword', detail: 'TTL' },
  { label: '-l', kind: 'keyword', detail: 'preload' },
  { label: '-b', kind: 'keyword', detail: 'allow broadcast' },
  { label: '-f', kind: 'keyword', detail: 'flood' },
  { label: '-q', kind: 'keyword', detail: 'quiet' },
];

const NC_OPTIONS: CompletionItem[] = [
  { label: '-l', kind: 'keyword', detail: 'listen' },
  { label: '-u', kind: 'keyword', detail: 'UDP' },
  { label: '-p', kind: 'keyword', detail: 'port (to listen on, or to send from)' },
  { label: '-s', kind: 'keyword', detail: 'source address' },
  { label: '-N', kind: 'keyword', detail: 'shut down the sending side after the input' },
  { label: '-q', kind: 'keyword', detail: 'quit N s after the input' },
  { label: '-w', kind: 'keyword', detail: 'timeout, s' },
  { label: '-z', kind: 'keyword', detail: 'connect and close (scan)' },
  { label: '-v', kind: 'keyword', detail: 'verbose' },
];

const SS_OPTIONS: CompletionItem[] = [
  { label: '-t', kind: 'keyword', detail: 'TCP' },
  { label: '-u', kind: 'keyword', detail: 'UDP' },
  { label: '-a', kind: 'keyword', detail: 'all sockets' },
  { label: '-l', kind: 'keyword', detail: 'listening sockets' },
  { label: '-n', kind: 'keyword', detail: 'numeric' },
  { label: '-p', kind: 'keyword', detail: 'processes' },
];

/** Completions for the word after `words` in one simple command. */
export function commandNext(words: string[], names: Names): CompletionItem[] {
  if (words.length === 0) return PROGRAMS;
  const [prog, ...args] = words;
  const last = args.at(-1);
  switch (prog) {
    case 'ip':
      return ipNext(args, names);
    case 'ping':
      if (last === '-I') return devices(names);
      return PING_OPTIONS;
    case 'tcpdump':
      if (last === '-i') return devices(names);
      return args.includes('-i') ? [] : kw('-i');
    case 'sysctl':
      return [...(args.length === 0 ? kw('-w') : []), ...sysctlKeys(names, '.')];
    case 'echo':
      if (last === '>' || last === '>>') return sysctlKeys(names, '/');
      return args.length >= 1 ? kw('>') : kw('0 1 2');
    case 'ifconfig':
      if (args.length === 0) return [...kw('-a'), ...devices(names)];
      return args.length === 1 && args[0] !== '-a' ? kw('up down mtu') : [];
    case 'nc':
      return NC_OPTIONS;
    case 'ss':
      return SS_OPTIONS;
    default:
      return [];
  }
}
