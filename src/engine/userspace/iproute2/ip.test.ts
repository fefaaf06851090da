import { describe, expect, it } from 'vitest';
import { netByName, peernet2id } from '../../net/core/net_namespace.ts';
import { devGetByName } from '../../net/core/register.ts';
import { parseIp } from '../../net/ipv4/addr.ts';
import { RTN_BROADCAST, RTN_LOCAL, RTN_UNICAST } from '../../include/route.ts';
import { ENETUNREACH } from '../../include/errno.ts';
import type { Neighbour } from '../../include/neighbour.ts';
import { bootTestWorld, labelMacs, run } from './testkit.ts';
import { linkFlagsText } from './link.ts';
import { matches, parseInetAddr, parsePrefix } from './utils.ts';
import { inet_rtm_getroute } from '../../net/ipv4/route.ts';

const statusOf = (script: string, setup = '') => {
  const t = bootTestWorld();
  if (setup) run(t, setup);
  const st: number[] = [];
  const out = run(t, script, st);
  return { out, status: st[0] };
};

describe('helpers', () => {
  it('matches() is iproute2 prefix matching', () => {
    expect(matches('l', 'link')).toBe(true);
    expect(matches('link', 'link')).toBe(true);
    expect(matches('links', 'link')).toBe(false);
    expect(matches('', 'link')).toBe(false);
  });
  it('parses addresses like get_addr_ipv4', () => {
    expect(parseInetAddr('10.1')).toBe(parseIp('10.1.0.0'));
    expect(parseInetAddr('010.2.0.1')).toBe(parseIp('8.2.0.1'));
    expect(parseInetAddr('0x0a.3.0.1')).toBe(parseIp('10.3.0.1'));
    expect(parseInetAddr('10.1.1.300')).toBeNull();
    expect(parseInetAddr('10.1.1.1.1')).toBeNull();
    expect(parsePrefix('10.3.0.1/255.255.0.0', false)).toEqual({ addr: parseIp('10.3.0.1'), len: 16, hasLen: true });
    expect(parsePrefix('10.4.0.1/255.0.255.0', false)).toBeNull();
    expect(parsePrefix('10.0.0.0/33', false)).toBeNull();
    expect(parsePrefix('default', true)).toEqual({ addr: 0, len: 0, hasLen: true });
  });
  it('prints link flags in iproute2 order', () => {
    expect(linkFlagsText(0x1003, false)).toBe('<NO-CARRIER,BROADCAST,MULTICAST,UP>');
    expect(linkFlagsText(0x11043, false)).toBe('<BROADCAST,MULTICAST,UP,LOWER_UP>');
    expect(linkFlagsText(0x1002, true)).toBe('<BROADCAST,MULTICAST,M-DOWN>');
    expect(linkFlagsText(0x49, false)).toBe('<LOOPBACK,UP>');
  });
});

describe('exit statuses', () => {
  it('are those of iproute2', () => {
    expect(statusOf('ip link set veth9 up').status).toBe(1);
    expect(statusOf('ip foo').status).toBe(1);
    expect(statusOf('ip link foo').status).toBe(255);
    expect(statusOf('ip').status).toBe(255);
    expect(statusOf('ip -n nosuch link').status).toBe(255);
    expect(statusOf('ip link set veth0 mtu abc', 'ip link add veth0 type veth peer name veth1').status).toBe(255);
    expect(statusOf('ip link add veth0 type veth peer name veth2', 'ip link add veth0 type veth peer name veth1').status).toBe(2);
    expect(statusOf('ip route get 10.9.9.9').status).toBe(2);
    expect(statusOf('ip addr add 10.0.0.1/24').status).toBe(1);
    expect(statusOf('ip netns exec nosuch ip link').status).toBe(255);
    expect(statusOf('ip link show').status).toBe(0);
  });
});

describe('ip link', () => {
  it('registers the peer first and names the link partner', () => {
    const t = bootTestWorld();
    expect(labelMacs(run(t, 'ip link add veth0 type veth peer name veth1\nip link show'))).toEqual([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '2: veth1@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether M1 brd ff:ff:ff:ff:ff:ff',
      '3: veth0@veth1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether M2 brd ff:ff:ff:ff:ff:ff',
    ]);
  });

  it('a failed auto-named peer still used up an ifindex', () => {
    const t = bootTestWorld();
    expect(run(t, 'ip link add veth0 type veth')).toEqual(['RTNETLINK answers: File exists']);
    run(t, 'ip link add veth5 type veth peer');
    expect(devGetByName(t.host, 'veth0')!.ifindex).toBe(3);
    expect(devGetByName(t.host, 'veth5')!.ifindex).toBe(4);
  });

  it('moving a veth end allocates namespace ids on both sides, and resets its qdisc', () => {
    const t = bootTestWorld();
    run(t, 'ip netns add ns1\nip link add veth0 type veth peer name veth1\nip link set veth1 up\nip netns list');
    const ns1 = netByName(t.w, 'ns1')!;
    expect(peernet2id(t.host, ns1)).toBe(-1);
    expect(run(t, 'ip link set veth1 netns ns1\nip netns list\nip -n ns1 netns list')).toEqual(['ns1 (id: 0)', 'ns1']);
    expect(peernet2id(ns1, t.host)).toBe(0);
    const veth1 = devGetByName(ns1, 'veth1')!;
    expect(veth1.qdisc).toBe('noop');
    expect(veth1.ifindex).toBe(2);
    expect(labelMacs(run(t, 'ip -br link\nip -n ns1 link show veth1'))).toEqual([
      'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
      'veth0@if2        DOWN           M1 <BROADCAST,MULTICAST> ',
      '2: veth1@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether M2 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
    ]);
  });

  it('lists namespaces newest first and forgets ids of deleted ones', () => {
    const t = bootTestWorld();
    run(t, 'ip netns add b\nip netns add a\nip netns add c\nip link add v0 type veth peer name v1 netns c');
    expect(run(t, 'ip netns')).toEqual(['c (id: 0)', 'a', 'b']);
    const c = netByName(t.w, 'c')!;
    run(t, 'ip netns del c');
    expect(t.host.netnsIds.some((x) => x.netUid === c.uid)).toBe(false);
    expect(devGetByName(t.host, 'v0')).toBeUndefined();
    expect(run(t, 'ip netns list')).toEqual(['a', 'b']);
  });

  it('ip netns exec runs the command in the namespace', () => {
    const t = bootTestWorld();
    run(t, 'ip netns add ns1');
    expect(
      run(t, 'ip netns exec ns1 ip -br addr\nip netns exec ns1 ip netns identify\nip netns identify\nip netns exec ns1 :'),
    ).toEqual(['lo               UNKNOWN        127.0.0.1/8 ', 'ns1', '', 'exec of ":" failed: No such file or directory']);
  });

  it('set applies the namespace move before bringing the device up', () => {
    const t = bootTestWorld();
    run(t, 'ip netns add ns1\nip link add veth0 type veth peer name veth1\nip link set veth1 netns ns1 up');
    const veth1 = devGetByName(netByName(t.w, 'ns1')!, 'veth1')!;
    expect(veth1.flags & 1).toBe(1);
    expect(veth1.qdisc).toBe('noqueue');
  });
});

describe('ip route', () => {
  it('lists in dump order with linkdown, hiding what the filter fixes', () => {
    const t = bootTestWorld();
    run(
      t,
      [
        'ip link add veth0 type veth peer name veth1',
        'ip addr add 10.1.1.1/24 dev veth0',
        'ip link set veth0 up',
        'ip route add 10.9.0.0/16 via 10.1.1.2 metric 100',
        'ip route add 10.9.0.0/16 via 10.1.1.3 metric 5 proto static',
        'ip route add default via 10.1.1.254',
        'ip route add 10.9.9.0/24 dev veth0',
      ].join('\n'),
    );
    expect(run(t, 'ip route\nip route show dev veth0 proto static')).toEqual([
      'default via 10.1.1.254 dev veth0 linkdown ',
      '10.1.1.0/24 dev veth0 proto kernel scope link src 10.1.1.1 linkdown ',
      '10.9.0.0/16 via 10.1.1.3 dev veth0 proto static metric 5 linkdown ',
      '10.9.0.0/16 via 10.1.1.2 dev veth0 metric 100 linkdown ',
      '10.9.9.0/24 dev veth0 scope link linkdown ',
      '10.9.0.0/16 via 10.1.1.3 metric 5 linkdown ',
    ]);
  });

  it('route get asks the kernel (inet_rtm_getroute, ip_route_output_key)', () => {
    const t = bootTestWorld();
    run(
      t,
      'ip link add veth0 type veth peer name veth1\nip addr add 10.1.1.1/24 dev veth0\nip link set veth0 up\nip link set veth1 up',
    );
    const net = t.host;
    const veth0 = devGetByName(net, 'veth0')!;
    const ip = (s: string) => parseIp(s)!;
    const get = (dst: string, oif = 0) => inet_rtm_getroute(t.w, net, { dst: ip(dst), src: 0, iif: 0, oif, mark: 0, uid: null });
    expect(get('10.1.1.1')).toMatchObject({ type: RTN_LOCAL, oif: net.loopback, prefsrc: ip('10.1.1.1') });
    expect(get('10.1.1.9')).toMatchObject({ type: RTN_UNICAST, oif: veth0, prefsrc: ip('10.1.1.1'), gateway: 0 });
    expect(get('10.1.1.255')).toMatchObject({ type: RTN_BROADCAST, oif: veth0 });
    expect(get('8.8.8.8')).toBe(-ENETUNREACH);
    // With an output device and no route, the destination is assumed on-link.
    expect(get('8.8.8.8', veth0.ifindex)).toMatchObject({ type: RTN_UNICAST, oif: veth0, prefsrc: ip('10.1.1.1') });
    expect(run(t, 'ip route get 10.1.1.1\nip route get 8.8.8.8 oif veth0\nip route get 10.1.1.9 from 10.1.1.1')).toEqual([
      'local 10.1.1.1 dev lo src 10.1.1.1 uid 0 ',
      '    cache <local> ',
      '8.8.8.8 dev veth0 src 10.1.1.1 uid 0 ',
      '    cache ',
      '10.1.1.9 from 10.1.1.1 dev veth0 uid 0 ',
      '    cache ',
    ]);
  });
});

describe('ip neigh', () => {
  it('hides NOARP and NONE entries unless asked, and drops "dev" when filtering by it', () => {
    const t = bootTestWorld();
    run(t, 'ip link add veth0 type veth peer name veth1\nip addr add 10.1.1.1/24 dev veth0\nip link set veth0 up');
    const veth0 = devGetByName(t.host, 'veth0')!;
    const mk = (key: string, nudState: number, ha: number[], dev = veth0) =>
      t.host.neighbours.push({
        uid: 0,
        dev,
        key: parseIp(key)!,
        primaryKey: dev.kind === 'loopback' ? 0 : parseIp(key)!,
        nudState,
        ha: Uint8Array.from(ha),
        type: 1,
        probes: 0,
        updated: 0,
        confirmed: 0,
        used: 0,
        hhValid: false,
        arpQueue: [],
        arpQueueLen: 0,
        parms: dev.neighParms,
        timerAt: -1,
        dead: false,
      } as Neighbour);
    mk('10.1.1.2', 0x02, [2, 0, 0, 0, 0, 2]);
    mk('10.1.1.9', 0x20, [0, 0, 0, 0, 0, 0]);
    mk('10.1.1.1', 0x40, [0, 0, 0, 0, 0, 0], t.host.loopback);
    mk('10.1.1.7', 0x00, [0, 0, 0, 0, 0, 0]);
    expect(run(t, 'ip neigh\nip neigh show dev veth0 nud failed\nip neigh show nud all\nip -br neigh show dev veth0')).toEqual([
      '10.1.1.9 dev veth0 FAILED ',
      '10.1.1.2 dev veth0 lladdr 02:00:00:00:00:02 REACHABLE ',
      '10.1.1.9 FAILED ',
      '10.1.1.7 dev veth0 ',
      '0.0.0.0 dev lo lladdr 00:00:00:00:00:00 NOARP ',
      '10.1.1.9 dev veth0 FAILED ',
      '10.1.1.2 dev veth0 lladdr 02:00:00:00:00:02 REACHABLE ',
      '10.1.1.9                                ',
      '10.1.1.2                                02:00:00:00:00:02',
    ]);
    // A flush takes NONE entries too (iproute2's flush filter has every state but PERMANENT and NOARP).
    run(t, 'ip neigh flush dev veth0');
    expect(t.host.neighbours.map((n) => n.nudState)).toEqual([0x40]);
  });
});
