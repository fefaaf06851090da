import { describe, expect, it } from 'vitest';
import { devGetByName } from '../net/core/register.ts';
import { humanBytes, nstrcmp } from './ifconfig.ts';
import { bootTestWorld, labelMacs, run } from './iproute2/testkit.ts';

describe('ifconfig formatting', () => {
  it('scales byte counts like net-tools (truncated, strictly above each unit)', () => {
    expect(humanBytes(0)).toBe('0.0 B');
    expect(humanBytes(996)).toBe('996.0 B');
    expect(humanBytes(1024)).toBe('1024.0 B');
    expect(humanBytes(1082)).toBe('1.0 KiB');
    expect(humanBytes(1994)).toBe('1.9 KiB');
    expect(humanBytes(6168)).toBe('6.0 KiB');
    expect(humanBytes(1048576)).toBe('1024.0 KiB');
    expect(humanBytes(627457488)).toBe('598.3 MiB');
    expect(humanBytes(5 * 1073741824 + 1)).toBe('5.0 GiB');
  });

  it('sorts interface names with numbers compared as numbers', () => {
    const names = ['v10', 'eth10', 'lo', 'Veth', 'v2', 'a1', 'eth9', 'v1', 'dummy', 'v9', 'averylongname15'];
    expect(names.sort(nstrcmp)).toEqual([
      'Veth',
      'a1',
      'averylongname15',
      'dummy',
      'eth9',
      'eth10',
      'lo',
      'v1',
      'v2',
      'v9',
      'v10',
    ]);
  });
});

describe('ifconfig', () => {
  it('lists up interfaces by name with counters', () => {
    const t = bootTestWorld();
    run(
      t,
      'ip link add veth0 type veth peer name veth1\nip addr add 192.168.1.1/24 dev veth0\nip addr add 192.168.1.2/24 dev veth1',
    );
    run(t, 'ip link set veth0 up\nip link set veth1 up');
    const veth0 = devGetByName(t.host, 'veth0')!;
    Object.assign(veth0.stats, { rxPackets: 2, rxBytes: 140, txPackets: 3, txBytes: 1994, txDropped: 3 });
    expect(labelMacs(run(t, 'ifconfig'))).toEqual([
      'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
      '        inet 127.0.0.1  netmask 255.0.0.0',
      '        loop  txqueuelen 1000  (Local Loopback)',
      '        RX packets 0  bytes 0 (0.0 B)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 0  bytes 0 (0.0 B)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      '',
      'veth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
      '        inet 192.168.1.1  netmask 255.255.255.0  broadcast 0.0.0.0',
      '        ether M1  txqueuelen 1000  (Ethernet)',
      '        RX packets 2  bytes 140 (140.0 B)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 3  bytes 1994 (1.9 KiB)',
      '        TX errors 0  dropped 3 overruns 0  carrier 0  collisions 0',
      '',
      'veth1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
      '        inet 192.168.1.2  netmask 255.255.255.0  broadcast 0.0.0.0',
      '        ether M2  txqueuelen 1000  (Ethernet)',
      '        RX packets 0  bytes 0 (0.0 B)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 0  bytes 0 (0.0 B)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      '',
    ]);
    expect(run(t, 'ifconfig -s veth0')).toEqual([
      'Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg',
      'veth0            1500        2      0      0 0             3      0      3      0 BMRU',
    ]);
  });

  it('sets addresses the SIOCSIFADDR way: classful mask, derived broadcast, brings the link up', () => {
    const t = bootTestWorld();
    run(t, 'ip link add veth0 type veth peer name veth1');
    const st: number[] = [];
    expect(
      labelMacs(
        run(
          t,
          'ifconfig veth0 10.1.1.1\nip -br addr show veth0\nifconfig veth0 10.1.1.2 netmask 255.255.255.0\nip addr show veth0',
          st,
        ),
      ),
    ).toEqual([
      'veth0@veth1      LOWERLAYERDOWN 10.1.1.1/8 ',
      '3: veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000',
      '    link/ether M1 brd ff:ff:ff:ff:ff:ff',
      '    inet 10.1.1.2/24 brd 10.1.1.255 scope global veth0',
      '       valid_lft forever preferred_lft forever',
    ]);
    expect(devGetByName(t.host, 'veth0')!.inDev.addrs).toMatchObject([{ prefixlen: 24, broadcast: 0x0a0101ff, label: 'veth0' }]);
    expect(run(t, 'ifconfig veth9 up\nifconfig veth9\nifconfig veth0 mtu 10\nifconfig veth0 foo', st)).toEqual([
      'veth9: ERROR while getting interface flags: No such device',
      'veth9: error fetching interface information: Device not found',
      'SIOCSIFMTU: Invalid argument',
      'foo: Host name lookup failure',
      "ifconfig: `--help' gives usage information.",
    ]);
    expect(st.slice(4)).toEqual([255, 1, 1, 1]);
  });
});
