// Properties of whole runs over random scenarios built from the commands the
// kernel records use, plus garbage: the engine never throws, every skb ends,
// the same scenario always gives the same run, and a view is the same however
// it is reached.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario } from './run.ts';
import { viewAt } from './view.ts';
import { traceLines } from './trace_txt.ts';
import { skbsNotEnded } from './invariants.ts';

const devs = ['veth0', 'veth1', 'veth2', 'br0', 'lo', 'nosuch'];
const nss = ['ns1', 'ns2'];
const addrs = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.1.1', '127.0.0.1', '10.0.0.255'];

const command = fc.oneof(
  fc.constantFrom(...nss).map((n) => `ip netns add ${n}`),
  fc
    .tuple(fc.constantFrom('veth0', 'veth2'), fc.constantFrom('veth1', 'veth3'))
    .map(([a, b]) => `ip link add ${a} type veth peer name ${b}`),
  fc.constant('ip link add br0 type bridge'),
  fc.tuple(fc.constantFrom(...devs), fc.constantFrom('up', 'down')).map(([d, s]) => `ip link set ${d} ${s}`),
  fc.tuple(fc.constantFrom(...devs), fc.constantFrom(...nss)).map(([d, n]) => `ip link set ${d} netns ${n}`),
  fc.tuple(fc.constantFrom('veth1', 'veth3'), fc.constant('br0')).map(([d, b]) => `ip link set ${d} master ${b}`),
  fc.tuple(fc.constantFrom(...addrs), fc.constantFrom(...devs)).map(([a, d]) => `ip addr add ${a}/24 dev ${d}`),
  fc
    .tuple(fc.constantFrom(...nss), fc.constantFrom(...addrs), fc.constantFrom('veth1', 'veth3'))
    .map(([n, a, d]) => `ip -n ${n} addr add ${a}/24 dev ${d}`),
  fc.tuple(fc.constantFrom(...nss), fc.constantFrom('veth1', 'veth3', 'lo')).map(([n, d]) => `ip -n ${n} link set ${d} up`),
  fc
    .tuple(
      fc.constantFrom('all', 'veth0', 'veth1'),
      fc.constantFrom('rp_filter', 'accept_local', 'arp_ignore'),
      fc.integer({ min: 0, max: 2 }),
    )
    .map(([d, k, v]) => `sysctl -w net.ipv4.conf.${d}.${k}=${v}`),
  fc.constant('sysctl -w net.ipv4.ip_forward=1'),
  fc.constantFrom(...devs).map((d) => `tcpdump -i ${d}`),
  fc
    .tuple(fc.constantFrom(...addrs), fc.constantFrom('', '-I veth0 ', '-s 8 ', '-t 1 ', '-b '))
    .map(([a, o]) => `ping -c 2 -i 0.3 -W 1.5 ${o}${a}`),
  fc.tuple(fc.constantFrom(...nss), fc.constantFrom(...addrs)).map(([n, a]) => `ip netns exec ${n} ping -c 1 -W 1.5 ${a}`),
  fc.constantFrom('ip a', 'ip -br l', 'ip r', 'ip neigh show', 'ifconfig', 'sleep 2', 'ip route add default via 10.0.0.2'),
  fc.string({ maxLength: 30 }),
);

const scenario = fc.array(command, { minLength: 1, maxLength: 14 }).map((lines) => lines.join('\n') + '\n');

describe('runs over random scenarios', () => {
  it('never throw, end every skb, and are deterministic', () => {
    fc.assert(
      fc.property(scenario, (text) => {
        const a = runScenario(text, { trackSkbs: true, checkpointEvery: 64 });
        expect(skbsNotEnded(a)).toEqual([]);
        const b = runScenario(text, { checkpointEvery: 500 });
        expect(traceLines(b)).toEqual(traceLines(a));
        expect(b.out.terminal).toEqual(a.out.terminal);
        expect(b.rec.count).toBe(a.rec.count);
        if (a.rec.count) {
          const k = 1 + (text.length % a.rec.count);
          // Different checkpoint spacing, same view.
          expect(JSON.stringify(viewAt(b, k))).toBe(JSON.stringify(viewAt(a, k)));
        }
      }),
      { numRuns: 60, seed: 424242 },
    );
  });
});
