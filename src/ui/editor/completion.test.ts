import { describe, expect, it } from 'vitest';
import { completeAt, wordsBefore } from './completion.ts';
import { CONF_KEYS, IPV4_KEYS } from './grammar.ts';
import { scriptNames } from './scriptNames.ts';
import { EngineSession } from '../../engine/session.ts';
import { linesOf } from '../../engine/worker/lines.ts';
import { commandErrors } from '../../engine/worker/commands.ts';

const SETUP = [
  'ip netns add ns1',
  'ip link add veth0 type veth peer name veth1 netns ns1',
  'ip -n ns1 link add br0 type bridge',
  'ip netns exec ns1 ip link add name vethx type veth peer name vethy',
  'ip link set veth0 name outer',
  '',
].join('\n');

/** The labels offered with the cursor at the end of `typed`, appended to SETUP. */
function labels(typed: string): string[] | null {
  const text = SETUP + typed;
  const r = completeAt(text, text.length);
  return r ? r.items.map((i) => i.label) : null;
}

describe('scenario completion', () => {
  it('offers the programs skbwalk runs at the start of a command', () => {
    expect(labels('')).toEqual(['ip', 'ping', 'tcpdump', 'sysctl', 'echo', 'ifconfig', 'sleep', 'nc', 'ss', 'printf', 'wait']);
    expect(labels('pi')).toEqual(['ping']);
    expect(labels('ip link show; p')).toEqual(['ping', 'printf']);
  });

  it("offers nc's and ss's options", () => {
    expect(labels('nc ')).toEqual(['-l', '-u', '-p', '-s', '-N', '-q', '-w', '-z', '-v']);
    expect(labels('ss ')).toEqual(['-t', '-u', '-a', '-l', '-n', '-p']);
    expect(labels('echo hello | nc ')).toEqual(['-l', '-u', '-p', '-s', '-N', '-q', '-w', '-z', '-v']);
  });

  it('offers ip objects, subcommands and options, with abbreviations', () => {
    expect(labels('ip ')).toEqual([
      'link',
      'address',
      'route',
      'neighbour',
      'netns',
      '-n',
      '-netns',
      '-br',
      '-brief',
      '-4',
      '-6',
      '-s',
      '-d',
      '-o',
    ]);
    expect(labels('ip l')).toEqual(['link']);
    expect(labels('ip link ')).toEqual(['add', 'set', 'del', 'show']);
    expect(labels('ip a ')).toEqual(['add', 'del', 'show']);
    expect(labels('ip r ')).toEqual(['show', 'add', 'del', 'get']);
    expect(labels('ip link add veth2 ')).toEqual(['type']);
    expect(labels('ip link add veth2 type ')).toEqual(['veth', 'bridge']);
    expect(labels('ip link add veth2 type veth ')).toEqual(['peer']);
    expect(labels('ip route add default ')).toEqual(['via', 'dev', 'table']);
    expect(labels('ip n ')).toEqual(['show', 'flush', 'add', 'change', 'replace', 'del', 'get']);
    expect(labels('ip neigh add 10.0.0.9 ')).toEqual(['lladdr', 'nud', 'dev']);
    expect(labels('ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 ')).toEqual(['nud', 'dev']);
    expect(labels('ip neigh replace 10.0.0.9 nud ')).toEqual([
      'permanent',
      'noarp',
      'reachable',
      'stale',
      'none',
      'incomplete',
      'delay',
      'probe',
      'failed',
    ]);
    expect(labels('ip neigh get 10.0.0.9 ')).toEqual(['dev']);
    expect(labels('ip neigh show ')).toEqual(['dev', 'nud']);
  });

  it('offers the devices and namespaces the script made before the line', () => {
    const devs = ['lo', 'veth0', 'veth1', 'br0', 'vethx', 'vethy', 'outer'];
    expect(labels('ip link set ')).toEqual(['dev', ...devs]);
    expect(labels('ip link set dev ')).toEqual(devs);
    expect(labels('ip link set dev v')).toEqual(['veth0', 'veth1', 'vethx', 'vethy']);
    expect(labels('ip addr add 10.0.0.1/24 dev ')).toEqual(devs);
    expect(labels('ip link set veth0 ')).toEqual(['up', 'down', 'netns', 'master', 'nomaster', 'mtu', 'address', 'name']);
    expect(labels('ip link set veth0 netns ')).toEqual(['ns1']);
    expect(labels('ip -n ')).toEqual(['ns1']);
    expect(labels('ip netns exec ')).toEqual(['ns1']);
    expect(labels('ip netns exec ns1 ip link set ')).toEqual(['dev', ...devs]);
    expect(labels('ping -c 1 -I ')).toEqual(devs);
    expect(labels('tcpdump -i ')).toEqual(devs);
    // Names made on later lines are not offered.
    expect(scriptNames('ip link set veth0 up\nip link add veth0 type veth peer name veth1\n', 2).devices).toEqual(['lo']);
  });

  it('offers sysctl keys, dotted and as /proc/sys paths', () => {
    expect(labels('sysctl -w net.ipv4.conf.veth0.rp')).toEqual(['net.ipv4.conf.veth0.rp_filter']);
    expect(labels('echo 1 > /proc/sys/net/ipv4/ip_')).toEqual(['/proc/sys/net/ipv4/ip_forward']);
  });

  it('offers nothing in a comment', () => {
    expect(labels('# ip ')).toBeNull();
  });

  it('splits quoted words and finds the partial word', () => {
    expect(wordsBefore("ip link add 'a b' ty")).toEqual({ words: ['ip', 'link', 'add', 'a b'], partial: 'ty', partialStart: 18 });
  });

  it('every sysctl key it offers is one the engine reads without an error', () => {
    const keys = [...IPV4_KEYS.map((k) => `net.ipv4.${k}`), ...CONF_KEYS.map((k) => `net.ipv4.conf.all.${k}`)];
    const s = new EngineSession(keys.map((k) => `sysctl ${k}`).join('\n') + '\n').summary();
    expect(Array.from(keys, (_, i) => commandErrors(s.commands, i))).toEqual(keys.map(() => ''));
    expect(s.commands.count).toBe(keys.length);
    expect(linesOf(s.terminal).map((l) => l.text.split(' = ')[0])).toEqual(keys);
  });
});
