// Whatever a script passes them, the tools answer with an exit status and
// never throw (an exception would abort the whole simulated run).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ToolContext, ToolMain } from '../tool.ts';
import { ip_main } from './ip.ts';
import { ifconfig_main } from '../ifconfig.ts';
import { procSysWrite, sysctl_main } from '../sysctl.ts';
import { bootTestWorld, run } from './testkit.ts';

const WORDS = [
  'link',
  'l',
  'add',
  'set',
  's',
  'del',
  'show',
  'sh',
  'addr',
  'a',
  'route',
  'r',
  'get',
  'neigh',
  'n',
  'netns',
  'exec',
  'list',
  'flush',
  'dev',
  'veth0',
  'veth1',
  'br0',
  'lo',
  'ns1',
  'type',
  'veth',
  'bridge',
  'peer',
  'name',
  'up',
  'down',
  'mtu',
  '1400',
  '0',
  '-1',
  'address',
  '02:00:00:00:00:01',
  'netns',
  'master',
  'nomaster',
  'via',
  '10.1.1.2',
  '10.1.1.1/24',
  'default',
  'table',
  'local',
  'all',
  'metric',
  'src',
  'proto',
  'static',
  'scope',
  'host',
  'link',
  'brd',
  '+',
  'label',
  'to',
  'from',
  'oif',
  'nud',
  'all',
  'toString',
  '__proto__',
  'constructor',
  '-br',
  '-4',
  '-s',
  '-d',
  '-o',
  '-n',
  'netmask',
  '255.255.0.0',
  'broadcast',
  'hw',
  'ether',
  '-a',
  '-w',
  '-q',
  '-n',
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.veth0.rp_filter',
  'net.ipv4.neigh.veth0.base_reachable_time_ms=1000',
  'net/ipv4/conf/all',
  'net.ipv4.conf.__proto__.x=1',
  '=',
  '',
];

const argv = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 9 });

function check(main: ToolMain, prog: string) {
  const t = bootTestWorld();
  run(
    t,
    'ip netns add ns1\nip link add veth0 type veth peer name veth1\nip link add br0 type bridge\nip addr add 10.1.1.1/24 dev veth0\nip link set veth0 up',
  );
  const ctx: ToolContext = {
    w: t.w,
    net: t.host,
    stdout: () => {},
    stderr: () => {},
    exec: (n, a) => ip_main({ ...ctx, net: n }, a),
  };
  fc.assert(
    fc.property(argv, (args) => {
      const st = main(ctx, [prog, ...args]);
      expect(Number.isInteger(st)).toBe(true);
      expect(st).toBeGreaterThanOrEqual(0);
      expect(st).toBeLessThanOrEqual(255);
    }),
    { numRuns: 400 },
  );
}

describe('tools never throw', () => {
  it('ip', () => check(ip_main, 'ip'));
  it('ip link/addr/route with a second word', () =>
    check((c, a) => ip_main(c, ['ip', 'link', ...a.slice(1)]) | ip_main(c, ['ip', 'route', ...a.slice(1)]), 'ip'));
  it('ifconfig', () => check(ifconfig_main, 'ifconfig'));
  it('sysctl', () => check(sysctl_main, 'sysctl'));
  it('echo > /proc/sys', () => {
    const t = bootTestWorld();
    const ctx: ToolContext = { w: t.w, net: t.host, stdout: () => {}, stderr: () => {}, exec: () => 0 };
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 10 }), (path, value) => {
        for (const p of [path, `/proc/sys/${path}`, `/proc/sys/net/ipv4/${path}`]) {
          const st = procSysWrite(ctx, p, value, 1);
          expect(st === 0 || st === 1).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
