// `ip neigh add|change|replace|del|get` and what takes neighbours and routes
// away with a device's last address. Every expected output below is what
// iproute2 6.1 on Linux 6.18 printed for the same commands (run in a scratch
// namespace), with its exit status.
import { describe, expect, it } from 'vitest';
import { bootTestWorld, run, type TestWorld } from './testkit.ts';
import { llAddrA2n } from './utils.ts';

/** A veth pair in the host namespace, veth0 up with 10.0.0.1/24 (veth1 down, so nothing answers). */
function pair(): TestWorld {
  const t = bootTestWorld();
  run(t, 'ip link add veth0 type veth peer name veth1\nip link set veth0 up\nip addr add 10.0.0.1/24 dev veth0');
  return t;
}

/** Runs each command and returns `$ command`, what it printed and `[rc=N]`, as a terminal transcript. */
function transcript(t: TestWorld, script: string): string[] {
  const out: string[] = [];
  for (const line of script.trim().split('\n')) {
    const st: number[] = [];
    out.push(`$ ${line}`, ...run(t, line, st), `[rc=${st[0]}]`);
  }
  return out;
}

describe('ip neigh add, change, replace, get, del', () => {
  it('adds static entries, refuses a duplicate and a missing one, and deletes', () => {
    const t = pair();
    expect(
      transcript(
        t,
        `
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0
ip neigh show 10.0.0.9 dev veth0
ip neigh show 10.0.0.9
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0
ip neigh get 10.0.0.9 dev veth0
ip neigh del 10.0.0.8 dev veth0
ip neigh change 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0
ip neigh replace 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0 nud stale
ip neigh get 10.0.0.8 dev veth0
ip neigh replace 10.0.0.8 lladdr 02:00:00:00:00:45 dev veth0 nud noarp
ip neigh get 10.0.0.8 dev veth0
ip neigh show 10.0.0.8
ip neigh show nud noarp
ip neigh del 10.0.0.9 dev veth0
ip neigh get 10.0.0.9 dev veth0
ip neigh del 10.0.0.9 dev veth0`,
      ),
    ).toEqual([
      '$ ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0',
      '[rc=0]',
      '$ ip neigh show 10.0.0.9 dev veth0',
      '10.0.0.9 lladdr 02:00:00:00:00:09 PERMANENT ',
      '[rc=0]',
      '$ ip neigh show 10.0.0.9',
      '10.0.0.9 dev veth0 lladdr 02:00:00:00:00:09 PERMANENT ',
      '[rc=0]',
      '$ ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0',
      'RTNETLINK answers: File exists',
      '[rc=2]',
      '$ ip neigh get 10.0.0.9 dev veth0',
      '10.0.0.9 dev veth0 lladdr 02:00:00:00:00:09 PERMANENT ',
      '[rc=0]',
      '$ ip neigh del 10.0.0.8 dev veth0',
      'RTNETLINK answers: No such file or directory',
      '[rc=2]',
      '$ ip neigh change 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0',
      'RTNETLINK answers: No such file or directory',
      '[rc=2]',
      '$ ip neigh replace 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0 nud stale',
      '[rc=0]',
      '$ ip neigh get 10.0.0.8 dev veth0',
      '10.0.0.8 dev veth0 lladdr 02:00:00:00:00:08 STALE ',
      '[rc=0]',
      '$ ip neigh replace 10.0.0.8 lladdr 02:00:00:00:00:45 dev veth0 nud noarp',
      '[rc=0]',
      '$ ip neigh get 10.0.0.8 dev veth0',
      '10.0.0.8 dev veth0 lladdr 02:00:00:00:00:45 NOARP ',
      '[rc=0]',
      '$ ip neigh show 10.0.0.8',
      '[rc=0]',
      '$ ip neigh show nud noarp',
      '10.0.0.8 dev veth0 lladdr 02:00:00:00:00:45 NOARP ',
      '[rc=0]',
      '$ ip neigh del 10.0.0.9 dev veth0',
      '[rc=0]',
      '$ ip neigh get 10.0.0.9 dev veth0',
      'Error: Neighbour entry not found.',
      '[rc=2]',
      '$ ip neigh del 10.0.0.9 dev veth0',
      'RTNETLINK answers: No such file or directory',
      '[rc=2]',
    ]);
  });

  it('leaves a NONE entry behind when the kernel refuses an add without an address, and prints NONE with no state word', () => {
    const t = pair();
    expect(
      transcript(
        t,
        `
ip neigh add 10.0.0.8 dev veth0
ip neigh show 10.0.0.8
ip neigh show nud all
ip neigh get 10.0.0.8 dev veth0
ip neigh add 10.0.0.8 dev veth0 nud stale
ip neigh change 10.0.0.8 lladdr 02:00:00:00:00:55 dev veth0
ip neigh get 10.0.0.8 dev veth0
ip neigh add 10.0.0.5 lladdr null dev veth0
ip neigh add 10.0.0.6 lladdr 02:00:00:00:00:01 dev veth0 nud none
ip neigh show nud none`,
      ),
    ).toEqual([
      '$ ip neigh add 10.0.0.8 dev veth0',
      'Error: No link layer address given.',
      '[rc=2]',
      '$ ip neigh show 10.0.0.8',
      '[rc=0]',
      '$ ip neigh show nud all',
      '10.0.0.8 dev veth0 ',
      '[rc=0]',
      '$ ip neigh get 10.0.0.8 dev veth0',
      '10.0.0.8 dev veth0 ',
      '[rc=0]',
      '$ ip neigh add 10.0.0.8 dev veth0 nud stale',
      'RTNETLINK answers: File exists',
      '[rc=2]',
      '$ ip neigh change 10.0.0.8 lladdr 02:00:00:00:00:55 dev veth0',
      '[rc=0]',
      '$ ip neigh get 10.0.0.8 dev veth0',
      '10.0.0.8 dev veth0 lladdr 02:00:00:00:00:55 PERMANENT ',
      '[rc=0]',
      '$ ip neigh add 10.0.0.5 lladdr null dev veth0',
      'Error: No link layer address given.',
      '[rc=2]',
      '$ ip neigh add 10.0.0.6 lladdr 02:00:00:00:00:01 dev veth0 nud none',
      '[rc=0]',
      '$ ip neigh show nud none',
      '10.0.0.6 dev veth0 ',
      '10.0.0.5 dev veth0 ',
      '[rc=0]',
    ]);
  });

  it('sets states without an address as __neigh_update does: INCOMPLETE and FAILED keep none, PERMANENT then needs one', () => {
    const t = pair();
    expect(
      transcript(
        t,
        `
ip neigh add 10.0.0.4 lladdr 02:00:00:00:00:45 dev veth0 nud reach
ip neigh change 10.0.0.4 dev veth0 nud stale
ip neigh get 10.0.0.4 dev veth0
ip neigh change 10.0.0.4 dev veth0 nud incomplete
ip neigh get 10.0.0.4 dev veth0
ip neigh chg 10.0.0.4 dev veth0 nud failed
ip neigh get 10.0.0.4 dev veth0
ip neigh change 10.0.0.4 dev veth0 nud permanent
ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud f
ip neigh get 10.0.0.3 dev veth0
ip neigh add 10.0.0.43 lladdr 02:00:00:00:00:01 dev veth0 nud 2
ip neigh get 10.0.0.43 dev veth0`,
      ),
    ).toEqual([
      '$ ip neigh add 10.0.0.4 lladdr 02:00:00:00:00:45 dev veth0 nud reach',
      '[rc=0]',
      '$ ip neigh change 10.0.0.4 dev veth0 nud stale',
      '[rc=0]',
      '$ ip neigh get 10.0.0.4 dev veth0',
      '10.0.0.4 dev veth0 lladdr 02:00:00:00:00:45 STALE ',
      '[rc=0]',
      '$ ip neigh change 10.0.0.4 dev veth0 nud incomplete',
      '[rc=0]',
      '$ ip neigh get 10.0.0.4 dev veth0',
      '10.0.0.4 dev veth0 INCOMPLETE ',
      '[rc=0]',
      '$ ip neigh chg 10.0.0.4 dev veth0 nud failed',
      '[rc=0]',
      '$ ip neigh get 10.0.0.4 dev veth0',
      '10.0.0.4 dev veth0 FAILED ',
      '[rc=0]',
      '$ ip neigh change 10.0.0.4 dev veth0 nud permanent',
      'Error: No link layer address given.',
      '[rc=2]',
      '$ ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud f',
      '[rc=0]',
      '$ ip neigh get 10.0.0.3 dev veth0',
      '10.0.0.3 dev veth0 FAILED ',
      '[rc=0]',
      '$ ip neigh add 10.0.0.43 lladdr 02:00:00:00:00:01 dev veth0 nud 2',
      '[rc=0]',
      '$ ip neigh get 10.0.0.43 dev veth0',
      '10.0.0.43 dev veth0 lladdr 02:00:00:00:00:01 REACHABLE ',
      '[rc=0]',
    ]);
  });

  it('reports bad arguments as iproute2 does, before asking the kernel', () => {
    const t = pair();
    expect(
      transcript(
        t,
        `
ip neigh add 10.0.0.8 lladdr 02:00 dev veth0
ip neigh add 10.0.0.8 lladdr 1.2.3.4 dev veth0
ip neigh add 10.0.0.8 lladdr zz dev veth0
ip neigh add 10.0.0.8 lladdr 123:3 dev veth0
ip neigh add 10.0.0.8 lladdr 1.2.3.400 dev veth0
ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08
ip neigh add lladdr 02:00:00:00:00:08 dev veth0
ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth9
ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0 nud bogus
ip neigh add 10.0.0.11 lladdr 02:00:00:00:00:02 dev veth0 nud all
ip neigh add 10.0.0.42 lladdr 02:00:00:00:00:01 dev veth0 nud 0x3
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 lladdr 02:00:00:00:00:06 dev veth0
ip neigh add 10.0.0.5 10.0.0.6 lladdr 02:00:00:00:00:05 dev veth0
ip neigh add 10.0.0.5/24 lladdr 02:00:00:00:00:05 dev veth0
ip neigh add 10.0.0.51 lla 02:00:00:00:00:01 dev veth0 nu stale
ip neigh add 10.0.0.44 lladdr 02:00:00:00:00:01 dev veth0 nud
ip neigh add help
ip neigh add default lladdr 02:00:00:00:00:01 dev veth0
ip -4 neigh del all dev veth0
ip neigh get 10.0.0.8
ip neigh get dev veth0
ip neigh get 10.0.0.8 dev veth9
ip neigh get 10.0.0.8 10.0.0.9 dev veth0
ip neigh get foo dev veth0
ip -4 neigh get any dev veth0
ip neigh del
ip neigh del 10.0.0.8`,
      ),
    ).toEqual([
      '$ ip neigh add 10.0.0.8 lladdr 02:00 dev veth0',
      'Error: Invalid link address.',
      '[rc=2]',
      '$ ip neigh add 10.0.0.8 lladdr 1.2.3.4 dev veth0',
      'Error: Invalid link address.',
      '[rc=2]',
      '$ ip neigh add 10.0.0.8 lladdr zz dev veth0',
      '"zz" is invalid lladdr.',
      '[rc=1]',
      '$ ip neigh add 10.0.0.8 lladdr 123:3 dev veth0',
      '"123" is invalid lladdr.',
      '[rc=1]',
      '$ ip neigh add 10.0.0.8 lladdr 1.2.3.400 dev veth0',
      '"1.2.3.400" is invalid lladdr.',
      '[rc=1]',
      '$ ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08',
      'Device and destination are required arguments.',
      '[rc=255]',
      '$ ip neigh add lladdr 02:00:00:00:00:08 dev veth0',
      'Device and destination are required arguments.',
      '[rc=255]',
      '$ ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth9',
      'Cannot find device "veth9"',
      '[rc=1]',
      '$ ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0 nud bogus',
      'Error: argument "bogus" is wrong: nud state is bad',
      '[rc=255]',
      '$ ip neigh add 10.0.0.11 lladdr 02:00:00:00:00:02 dev veth0 nud all',
      'Error: argument "all" is wrong: nud state is bad',
      '[rc=255]',
      '$ ip neigh add 10.0.0.42 lladdr 02:00:00:00:00:01 dev veth0 nud 0x3',
      'Error: argument "0x3" is wrong: nud state is bad',
      '[rc=255]',
      '$ ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 lladdr 02:00:00:00:00:06 dev veth0',
      'Error: duplicate "lladdr": "02:00:00:00:00:06" is the second value.',
      '[rc=255]',
      '$ ip neigh add 10.0.0.5 10.0.0.6 lladdr 02:00:00:00:00:05 dev veth0',
      'Error: either "to" is duplicate, or "10.0.0.6" is a garbage.',
      '[rc=255]',
      '$ ip neigh add 10.0.0.5/24 lladdr 02:00:00:00:00:05 dev veth0',
      'Error: any valid address is expected rather than "10.0.0.5/24".',
      '[rc=1]',
      '$ ip neigh add 10.0.0.51 lla 02:00:00:00:00:01 dev veth0 nu stale',
      'Error: either "to" is duplicate, or "nu" is a garbage.',
      '[rc=255]',
      '$ ip neigh add 10.0.0.44 lladdr 02:00:00:00:00:01 dev veth0 nud',
      'Command line is not complete. Try option "help"',
      '[rc=255]',
      '$ ip neigh add help',
      'Command line is not complete. Try option "help"',
      '[rc=255]',
      '$ ip neigh add default lladdr 02:00:00:00:00:01 dev veth0',
      'Device and destination are required arguments.',
      '[rc=255]',
      '$ ip -4 neigh del all dev veth0',
      'Error: Invalid network address.',
      '[rc=2]',
      '$ ip neigh get 10.0.0.8',
      'Device and address are required arguments.',
      '[rc=1]',
      '$ ip neigh get dev veth0',
      'Device and address are required arguments.',
      '[rc=1]',
      '$ ip neigh get 10.0.0.8 dev veth9',
      'Cannot find device "veth9"',
      '[rc=1]',
      '$ ip neigh get 10.0.0.8 10.0.0.9 dev veth0',
      'Error: either "to" is duplicate, or "10.0.0.9" is a garbage.',
      '[rc=255]',
      '$ ip neigh get foo dev veth0',
      'Error: any valid address is expected rather than "foo".',
      '[rc=1]',
      '$ ip -4 neigh get any dev veth0',
      'Error: Invalid network address in neighbor get request.',
      '[rc=2]',
      '$ ip neigh del',
      'Device and destination are required arguments.',
      '[rc=255]',
      '$ ip neigh del 10.0.0.8',
      'Device and destination are required arguments.',
      '[rc=255]',
    ]);
  });

  it('refuses what skbwalk does not model with its own message', () => {
    const t = pair();
    expect(
      transcript(
        t,
        `
ip neigh add 10.0.0.14 lladdr 02:00:00:00:00:02 dev veth0 router
ip neigh add 10.0.0.54 lladdr 02:00:00:00:00:01 dev veth0 e
ip neigh add proxy 10.0.0.15 dev veth0
ip neigh add 10.0.0.17 lladdr 02:00:00:00:00:02 dev veth0 prot static
ip neigh get fe80::1 dev veth0
ip -6 neigh add 10.0.0.46 lladdr 02:00:00:00:00:01 dev veth0`,
      ),
    ).toEqual([
      '$ ip neigh add 10.0.0.14 lladdr 02:00:00:00:00:02 dev veth0 router',
      'skbwalk: "ip neigh add ... router" is not supported by skbwalk',
      '[rc=1]',
      '$ ip neigh add 10.0.0.54 lladdr 02:00:00:00:00:01 dev veth0 e',
      'skbwalk: "ip neigh add ... e" is not supported by skbwalk',
      '[rc=1]',
      '$ ip neigh add proxy 10.0.0.15 dev veth0',
      'skbwalk: "ip neigh add ... proxy" is not supported by skbwalk',
      '[rc=1]',
      '$ ip neigh add 10.0.0.17 lladdr 02:00:00:00:00:02 dev veth0 prot static',
      'skbwalk: "ip neigh add ... protocol" is not supported by skbwalk',
      '[rc=1]',
      '$ ip neigh get fe80::1 dev veth0',
      'skbwalk: "ip neigh get" of an IPv6 address is not supported by skbwalk (it models IPv4 and ARP)',
      '[rc=1]',
      '$ ip -6 neigh add 10.0.0.46 lladdr 02:00:00:00:00:01 dev veth0',
      'skbwalk: "ip -6 neigh add" is not supported by skbwalk (it models IPv4 and ARP)',
      '[rc=1]',
    ]);
  });

  it('keys loopback entries on 0.0.0.0: an add through lo is found only under that key', () => {
    const t = pair();
    expect(
      transcript(
        t,
        `
ip neigh add 127.0.0.5 lladdr 02:00:00:00:00:01 dev lo
ip neigh get 127.0.0.5 dev lo
ip neigh show dev lo
ip neigh add 10.0.0.68 lladdr 02:00:00:00:00:02 dev lo
ip neigh show dev lo nud all
ip neigh get 0.0.0.0 dev lo
ip neigh del 0.0.0.0 dev lo
ip neigh show dev lo nud all
ip -4 neigh add default lladdr 02:00:00:00:00:01 dev veth0
ip neigh get 0.0.0.0 dev veth0`,
      ),
    ).toEqual([
      '$ ip neigh add 127.0.0.5 lladdr 02:00:00:00:00:01 dev lo',
      '[rc=0]',
      '$ ip neigh get 127.0.0.5 dev lo',
      'Error: Neighbour entry not found.',
      '[rc=2]',
      '$ ip neigh show dev lo',
      '0.0.0.0 lladdr 02:00:00:00:00:01 PERMANENT ',
      '[rc=0]',
      // Not found under 10.0.0.68, so created; the constructor folds the key to 0.0.0.0, where an entry exists: that one is updated.
      '$ ip neigh add 10.0.0.68 lladdr 02:00:00:00:00:02 dev lo',
      '[rc=0]',
      '$ ip neigh show dev lo nud all',
      '0.0.0.0 lladdr 02:00:00:00:00:02 PERMANENT ',
      '[rc=0]',
      '$ ip neigh get 0.0.0.0 dev lo',
      '0.0.0.0 dev lo lladdr 02:00:00:00:00:02 PERMANENT ',
      '[rc=0]',
      '$ ip neigh del 0.0.0.0 dev lo',
      '[rc=0]',
      '$ ip neigh show dev lo nud all',
      '[rc=0]',
      '$ ip -4 neigh add default lladdr 02:00:00:00:00:01 dev veth0',
      '[rc=0]',
      '$ ip neigh get 0.0.0.0 dev veth0',
      '0.0.0.0 dev veth0 lladdr 02:00:00:00:00:01 PERMANENT ',
      '[rc=0]',
    ]);
  });
});

describe('ll_addr_a2n', () => {
  it('reads parts as sscanf("%x") does, a dotted quad as four bytes, and stops at its buffer', () => {
    const bytes = (s: string, len = 20) => {
      const r = llAddrA2n(s, len);
      return 'error' in r ? r.error : Array.from(r.bytes);
    };
    expect(bytes('02:00:00:00:00:1g')).toEqual([2, 0, 0, 0, 0, 1]);
    expect(bytes('2:0:0:0:0:1')).toEqual([2, 0, 0, 0, 0, 1]);
    expect(bytes('02:0x3:00:00:00:ff')).toEqual([2, 3, 0, 0, 0, 0xff]);
    expect(bytes(' 2:00:00:00:00:01')).toEqual([2, 0, 0, 0, 0, 1]);
    expect(bytes('0xg:00:00:00:00:01')).toEqual([0, 0, 0, 0, 0, 1]);
    expect(bytes('1.2.3.4')).toEqual([1, 2, 3, 4]);
    expect(bytes('02-00-00-00-00-01')).toEqual([2]);
    expect(bytes('02:00:00:00:00:')).toBe('"" is invalid lladdr.');
    expect(bytes(':00:00:00:00:00')).toBe('"" is invalid lladdr.');
    expect(bytes('-1:00:00:00:00:01')).toBe('"-1" is invalid lladdr.');
    expect(bytes('1.2.3.4.5')).toBe('"1.2.3.4.5" is invalid lladdr.');
    // 23 parts into a 20-byte buffer: 20 read, and the count is one more (iproute2's loop).
    expect(bytes('02:00:00:00:00:08:1:2:3:4:5:6:7:8:9:10:11:12:13:14:zz:16:17')).toEqual([
      2, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x11, 0x12, 0x13, 0x14, 0,
    ]);
  });
});

describe('a device losing its last IPv4 address (fib_disable_ip)', () => {
  it('loses every route through it and every neighbour, static ones too; a secondary going first changes nothing', () => {
    const t = pair();
    run(
      t,
      'ip route add 10.8.0.0/16 dev veth0\nip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0\n' +
        'ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0 nud stale',
    );
    expect(
      transcript(
        t,
        `
ip addr add 10.0.0.5/24 dev veth0
ip addr del 10.0.0.5/24 dev veth0
ip route
ip neigh show 10.0.0.9
ip addr del 10.0.0.1/24 dev veth0
ip route
ip route show table local dev veth0
ip neigh show nud all dev veth0`,
      ),
    ).toEqual([
      '$ ip addr add 10.0.0.5/24 dev veth0',
      '[rc=0]',
      '$ ip addr del 10.0.0.5/24 dev veth0',
      '[rc=0]',
      '$ ip route',
      '10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 linkdown ',
      '10.8.0.0/16 dev veth0 scope link linkdown ',
      '[rc=0]',
      '$ ip neigh show 10.0.0.9',
      '10.0.0.9 dev veth0 lladdr 02:00:00:00:00:09 PERMANENT ',
      '[rc=0]',
      '$ ip addr del 10.0.0.1/24 dev veth0',
      '[rc=0]',
      '$ ip route',
      '[rc=0]',
      '$ ip route show table local dev veth0',
      '[rc=0]',
      '$ ip neigh show nud all dev veth0',
      '[rc=0]',
    ]);
  });

  it('is what ifconfig changing the only address or its netmask does too (it deletes the address, then adds it back)', () => {
    const t = pair();
    run(t, 'ip route add 10.8.0.0/16 dev veth0\nip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0');
    expect(transcript(t, 'ifconfig veth0 netmask 255.255.0.0\nip route\nip neigh show nud all')).toEqual([
      '$ ifconfig veth0 netmask 255.255.0.0',
      '[rc=0]',
      '$ ip route',
      '10.0.0.0/16 dev veth0 proto kernel scope link src 10.0.0.1 linkdown ',
      '[rc=0]',
      '$ ip neigh show nud all',
      '[rc=0]',
    ]);
  });

  it('keeps static neighbours when only the carrier goes (neigh_carrier_down), not when the device goes down', () => {
    const t = pair();
    run(
      t,
      'ip link set veth1 up\nip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0\n' +
        'ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0 nud stale',
    );
    expect(
      transcript(
        t,
        'ip link set veth1 down\nip neigh show dev veth0 nud all\nip link set veth0 down\nip neigh show dev veth0 nud all',
      ),
    ).toEqual([
      '$ ip link set veth1 down',
      '[rc=0]',
      '$ ip neigh show dev veth0 nud all',
      '10.0.0.9 lladdr 02:00:00:00:00:09 PERMANENT ',
      '[rc=0]',
      '$ ip link set veth0 down',
      '[rc=0]',
      '$ ip neigh show dev veth0 nud all',
      '[rc=0]',
    ]);
  });
});
