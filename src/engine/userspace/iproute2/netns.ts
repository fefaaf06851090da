// `ip netns`: named network namespaces (/run/netns/NAME on a real system).
import { netns_add, netns_del } from '../../net/core/rtnetlink.ts';
import { peernet2id } from '../../net/core/net_namespace.ts';
import type { IpCtx } from './utils.ts';
import { EXIT_MINUS_1, lookupNetns, matches, namedNamespaces } from './utils.ts';

/** invalid_name(): names that cannot be a file in /run/netns. */
export function invalidNetnsName(name: string): boolean {
  return name === '' || name.includes('/') || name === '.' || name === '..';
}

function netnsList(c: IpCtx): number {
  for (const n of namedNamespaces(c)) {
    const id = peernet2id(c.net, n);
    c.ctx.stdout(id >= 0 ? `${n.name} (id: ${id})` : n.name);
  }
  return 0;
}

function netnsAdd(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) {
    c.ctx.stderr('No netns name specified');
    return 1;
  }
  const name = argv[0];
  if (lookupNetns(c, name)) {
    c.ctx.stderr(`Cannot create namespace file "/run/netns/${name}": File exists`);
    return 1;
  }
  const w = c.ctx.w;
  if (w.nets.length >= w.limits.maxNamespaces) {
    c.ctx.stderr(`skbwalk: too many network namespaces (the limit is ${w.limits.maxNamespaces})`);
    return 1;
  }
  netns_add(w, name);
  return 0;
}

function netnsDel(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) {
    c.ctx.stderr('No netns name specified');
    return 1;
  }
  const name = argv[0];
  const net = lookupNetns(c, name);
  if (!net) {
    c.ctx.stderr(`Cannot remove namespace file "/run/netns/${name}": No such file or directory`);
    return 1;
  }
  netns_del(c.ctx.w, net);
  // The dying namespace's ids are released everywhere (peernet2id tables).
  for (const n of c.ctx.w.nets) n.netnsIds = n.netnsIds.filter((x) => x.netUid !== net.uid);
  return 0;
}

/** Programs that exist only as shell builtins: `ip netns exec` cannot run them. */
const BUILTIN_ONLY = new Set([
  ':',
  'cd',
  'export',
  'set',
  'unset',
  'source',
  '.',
  'exit',
  'read',
  'eval',
  'exec',
  'alias',
  'type',
]);

function netnsExec(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) {
    c.ctx.stderr('No netns name specified');
    return 1;
  }
  if (argv.length < 2) {
    c.ctx.stderr('No command specified');
    return 1;
  }
  const name = argv[0];
  const net = lookupNetns(c, name);
  if (!net) {
    c.ctx.stderr(`Cannot open network namespace "${name}": No such file or directory`);
    return EXIT_MINUS_1;
  }
  const cmd = argv.slice(1);
  if (BUILTIN_ONLY.has(cmd[0])) {
    c.ctx.stderr(`exec of "${cmd[0]}" failed: No such file or directory`);
    return 1;
  }
  return c.ctx.exec(net, cmd);
}

export function ipNetns(c: IpCtx, argv: string[]): number {
  if (argv.length === 0) return netnsList(c);
  const cmd = argv[0];
  if (argv.length > 1 && invalidNetnsName(argv[1])) {
    c.ctx.stderr(`Invalid netns name "${argv[1]}"`);
    return EXIT_MINUS_1;
  }
  const rest = argv.slice(1);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return netnsList(c);
  if (
    matches(cmd, 'list-id') ||
    matches(cmd, 'set') ||
    matches(cmd, 'pids') ||
    matches(cmd, 'monitor') ||
    matches(cmd, 'attach')
  ) {
    c.ctx.stderr(`skbwalk: "ip netns ${cmd}" is not supported by skbwalk`);
    return 1;
  }
  if (matches(cmd, 'help')) {
    c.ctx.stderr('skbwalk: "ip netns help" (the usage text) is not available in skbwalk');
    return EXIT_MINUS_1;
  }
  if (matches(cmd, 'add')) return netnsAdd(c, rest);
  if (matches(cmd, 'delete')) return netnsDel(c, rest);
  if (matches(cmd, 'identify')) {
    if (rest.length) {
      c.ctx.stderr('skbwalk: "ip netns identify PID" is not supported by skbwalk');
      return 1;
    }
    // The names of the current namespace, one per line; an unnamed one prints an empty line.
    c.ctx.stdout(c.net.name);
    return 0;
  }
  if (matches(cmd, 'exec')) return netnsExec(c, rest);
  c.ctx.stderr(`Command "${cmd}" is unknown, try "ip netns help".`);
  return EXIT_MINUS_1;
}
