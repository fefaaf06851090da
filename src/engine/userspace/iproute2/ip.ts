// The `ip` program (iproute2 6.x): global options, object dispatch with
// iproute2's abbreviation rules, and exit statuses as the real tool gives them
// (1 for a failed command, 2 for a kernel error, 255 for exit(-1)).
import type { ToolMain } from '../tool.ts';
import type { IpCtx, IpOpts } from './utils.ts';
import { EXIT_MINUS_1, IpExit, invarg, lookupNetns, matches } from './utils.ts';
import { ipLink } from './link.ts';
import { ipAddress } from './address.ts';
import { ipRoute } from './route.ts';
import { ipNeigh } from './neigh.ts';
import { ipNetns } from './netns.ts';

const IP_USAGE = [
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
  '       ip [ -force ] -batch filename',
  'where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |',
  '                   link | macsec | maddress | monitor | mptcp | mroute | mrule |',
  '                   neighbor | neighbour | netconf | netns | nexthop | ntable |',
  '                   ntbl | route | rule | sr | tap | tcpmetrics |',
  '                   token | tunnel | tuntap | vrf | xfrm }',
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |',
  '                    -h[uman-readable] | -iec | -j[son] | -p[retty] |',
  '                    -f[amily] { inet | inet6 | mpls | bridge | link } |',
  '                    -4 | -6 | -M | -B | -0 |',
  '                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |',
  '                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |',
  '                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |',
  '                    -c[olor]}',
];

type ObjectFn = ((c: IpCtx, argv: string[]) => number) | null;

/** iproute2's object table, in its order: the first object an abbreviation matches wins. */
const OBJECTS: [string, ObjectFn][] = [
  ['address', ipAddress],
  ['addrlabel', null],
  ['maddress', null],
  ['route', ipRoute],
  ['rule', null],
  ['neighbor', ipNeigh],
  ['neighbour', ipNeigh],
  ['ntable', null],
  ['ntbl', null],
  ['link', ipLink],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', null],
  ['mrule', null],
  ['netns', ipNetns],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['help', null],
  ['stats', null],
  ['amt', null],
];

function usage(c: IpCtx): never {
  for (const l of IP_USAGE) c.ctx.stderr(l);
  throw new IpExit(EXIT_MINUS_1);
}

function run(c: IpCtx, argv: string[]): number {
  let i = 1;
  while (i < argv.length && argv[i].startsWith('-')) {
    let opt = argv[i];
    if (opt === '--') {
      i++;
      break;
    }
    if (opt.startsWith('--')) opt = opt.slice(1);
    const o = c.opts;
    const needArg = () => {
      if (i + 1 >= argv.length) usage(c);
      return argv[++i];
    };
    if (matches(opt, '-loops')) needArg();
    else if (matches(opt, '-family')) {
      const f = needArg();
      if (f === 'inet') o.family = 'inet';
      else if (f === 'inet6') o.family = 'inet6';
      else if (f === 'link') o.family = 'link';
      else if (f === 'mpls' || f === 'bridge') o.family = 'other';
      else if (f === 'help') usage(c);
      else invarg(c, 'invalid protocol family', f);
    } else if (opt === '-4') o.family = 'inet';
    else if (opt === '-6') o.family = 'inet6';
    else if (opt === '-0') o.family = 'link';
    else if (opt === '-M' || opt === '-B') o.family = 'other';
    else if (matches(opt, '-human') || matches(opt, '-human-readable') || matches(opt, '-iec')) {
      // Only changes how -s counters are scaled.
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) o.stats++;
    else if (matches(opt, '-details')) o.details++;
    else if (matches(opt, '-resolve')) {
      // No names to resolve in a simulated machine.
    } else if (matches(opt, '-oneline')) o.oneline = true;
    else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) {
      // Only for `ip monitor`.
    } else if (matches(opt, '-Version')) {
      c.ctx.stdout('ip utility, iproute2-6.1.0, libbpf 1.1.2');
      return 0;
    } else if (matches(opt, '-force')) {
      // Only for -batch.
    } else if (matches(opt, '-batch')) {
      needArg();
      c.ctx.stderr('skbwalk: "ip -batch" is not supported by skbwalk');
      return 1;
    } else if (matches(opt, '-brief')) o.brief = true;
    else if (matches(opt, '-json') || matches(opt, '-pretty')) {
      c.ctx.stderr('skbwalk: "ip -json" is not supported by skbwalk');
      return 1;
    } else if (matches(opt, '-rcvbuf')) needArg();
    else if (matches(opt, '-color')) {
      // Colours are not reproduced; the text is the same.
    } else if (matches(opt, '-help')) usage(c);
    else if (matches(opt, '-netns')) {
      const name = i + 1 < argv.length ? argv[++i] : '(null)';
      const net = lookupNetns(c, name);
      if (!net) {
        c.ctx.stderr(`Cannot open network namespace "${name}": No such file or directory`);
        return EXIT_MINUS_1;
      }
      c.net = net;
    } else if (matches(opt, '-Numeric')) {
      // Numeric output only changes names skbwalk does not print differently (group, link type).
    } else if (matches(opt, '-all')) {
      c.ctx.stderr('skbwalk: "ip -all" is not supported by skbwalk');
      return 1;
    } else if (opt === '-echo') {
      // Echoing requests back is not modelled.
    } else {
      c.ctx.stderr(`Option "${argv[i]}" is unknown, try "ip -help".`);
      return EXIT_MINUS_1;
    }
    i++;
  }
  if (i >= argv.length) usage(c);
  const obj = argv[i];
  const rest = argv.slice(i + 1);
  for (const [name, fn] of OBJECTS) {
    if (!matches(obj, name)) continue;
    if (name === 'help') usage(c);
    if (!fn) {
      c.ctx.stderr(`skbwalk: "ip ${name}" is not modelled by skbwalk (it has link, address, route, neigh and netns)`);
      return 1;
    }
    return fn(c, rest);
  }
  c.ctx.stderr(`Object "${obj}" is unknown, try "ip help".`);
  return 1;
}

export const ip_main: ToolMain = (ctx, argv) => {
  const opts: IpOpts = { brief: false, stats: 0, details: 0, oneline: false, family: 'any' };
  const c: IpCtx = { ctx, net: ctx.net, opts };
  try {
    return run(c, argv);
  } catch (e) {
    if (e instanceof IpExit) return e.status;
    throw e;
  }
};
