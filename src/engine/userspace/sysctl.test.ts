import { describe, expect, it } from 'vitest';
import { copyNetNs, netByName } from '../net/core/net_namespace.ts';
import { devGetByName } from '../net/core/register.ts';
import type { ToolContext } from './tool.ts';
import { procSysRead, procSysWrite } from './sysctl.ts';
import { parseProcInt } from '../kernel/sysctl.ts';
import { devArpParms } from '../net/core/neighbour.ts';
import { bootTestWorld, run, type TestWorld } from './iproute2/testkit.ts';

function ctxOf(t: TestWorld, out: string[]): ToolContext {
  return { w: t.w, net: t.host, stdout: (l) => out.push(l), stderr: (l) => out.push(l), exec: () => 0 };
}

describe('proc_dointvec parsing', () => {
  it('accepts what the kernel accepts', () => {
    expect(parseProcInt('1\n')).toBe(1);
    expect(parseProcInt(' \t3')).toBe(3);
    expect(parseProcInt('5 6\n')).toBe(5);
    expect(parseProcInt('0x10')).toBe(16);
    expect(parseProcInt('010')).toBe(8);
    expect(parseProcInt('-0')).toBe(-0);
    expect(parseProcInt('-2147483648')).toBe(-2147483648);
    expect(parseProcInt('2147483647')).toBe(2147483647);
  });
  it('refuses the rest (EINVAL)', () => {
    for (const bad of ['', '\n', '1x', '+1', '09', '0x', '2147483648', 'abc', '1.5']) expect(parseProcInt(bad), bad).toBeNull();
    expect(parseProcInt('-1', true)).toBeNull();
  });
});

describe('conf/default and the explicitly-set keys', () => {
  it('a default write reaches devices that never set the key, not the others', () => {
    const t = bootTestWorld();
    run(t, 'ip link add veth0 type veth peer name veth1\nsysctl -qw net.ipv4.conf.veth0.accept_local=0');
    expect(run(t, 'sysctl -w net.ipv4.conf.default.accept_local=1 net.ipv4.conf.default.rp_filter=2')).toEqual([
      'net.ipv4.conf.default.accept_local = 1',
      'net.ipv4.conf.default.rp_filter = 2',
    ]);
    expect(
      run(
        t,
        'sysctl net.ipv4.conf.veth0.accept_local net.ipv4.conf.veth0.rp_filter net.ipv4.conf.veth1.accept_local net.ipv4.conf.lo.rp_filter',
      ),
    ).toEqual([
      'net.ipv4.conf.veth0.accept_local = 0',
      'net.ipv4.conf.veth0.rp_filter = 2',
      'net.ipv4.conf.veth1.accept_local = 1',
      // lo has been up: every key counts as set on it.
      'net.ipv4.conf.lo.rp_filter = 0',
    ]);
    // A device made now copies default, set-bits included, so it no longer follows default.
    run(t, 'ip link add veth2 type veth peer name veth3\nsysctl -qw net.ipv4.conf.default.rp_filter=1');
    expect(run(t, 'sysctl -n net.ipv4.conf.veth2.rp_filter net.ipv4.conf.veth0.rp_filter')).toEqual(['2', '1']);
  });

  it('lo that was never up still follows default', () => {
    const t = bootTestWorld();
    const ns = copyNetNs(t.w, 'fresh');
    const out: string[] = [];
    const ctx = { ...ctxOf(t, out), net: ns };
    expect(procSysWrite(ctx, '/proc/sys/net/ipv4/conf/default/arp_ignore', '1', 3)).toBe(0);
    expect(procSysRead(ctx, '/proc/sys/net/ipv4/conf/lo/arp_ignore')).toEqual({ ok: true, value: '1' });
    expect(ns.loopback.inDev.conf.arp_ignore).toBe(1);
  });
});

describe('forwarding', () => {
  it('ip_forward is conf/all/forwarding and reaches default and every device', () => {
    const t = bootTestWorld();
    run(t, 'ip link add veth0 type veth peer name veth1');
    expect(run(t, 'sysctl -w net.ipv4.ip_forward=1')).toEqual(['net.ipv4.ip_forward = 1']);
    const veth0 = devGetByName(t.host, 'veth0')!;
    expect(veth0.inDev.conf.forwarding).toBe(1);
    expect(t.host.ipv4.sysctl.ip_forward).toBe(1);
    expect(
      run(
        t,
        'sysctl -n net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.lo.forwarding net.ipv4.conf.all.accept_redirects',
      ),
    ).toEqual(['1', '1', '1', '0']);
    // A device's own forwarding does not go back up, and rewriting the same value propagates nothing.
    run(t, 'sysctl -qw net.ipv4.conf.veth0.forwarding=0\nsysctl -qw net.ipv4.conf.all.forwarding=1');
    expect(veth0.inDev.conf.forwarding).toBe(0);
    run(t, 'echo 0 > /proc/sys/net/ipv4/conf/all/forwarding');
    expect(t.host.ipv4.sysctl.ip_forward).toBe(0);
    expect(run(t, 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.veth1.forwarding net.ipv4.conf.all.accept_redirects')).toEqual([
      '0',
      '0',
      '1',
    ]);
  });

  it('conf/default/forwarding changes only default', () => {
    const t = bootTestWorld();
    run(t, 'ip link add veth0 type veth peer name veth1\nsysctl -qw net.ipv4.conf.default.forwarding=1');
    expect(run(t, 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.veth0.forwarding')).toEqual(['0', '0']);
  });
});

describe('what a non-initial namespace shows', () => {
  it('has no net.core budget keys', () => {
    const t = bootTestWorld();
    const st: number[] = [];
    expect(run(t, 'sysctl net.core.netdev_max_backlog net.core.dev_weight', st)).toEqual([
      'sysctl: cannot stat /proc/sys/net/core/netdev_max_backlog: No such file or directory',
      'sysctl: cannot stat /proc/sys/net/core/dev_weight: No such file or directory',
    ]);
    expect(st).toEqual([2]);
    expect(run(t, 'echo 10 > /proc/sys/net/core/netdev_budget')).toEqual([
      'bash: line 1: /proc/sys/net/core/netdev_budget: No such file or directory',
    ]);
    expect(t.w.core.netdev_budget).toBe(300);
  });

  it('has per-device neigh parameters (in jiffies of 4 ms) and no neigh/default', () => {
    const t = bootTestWorld();
    run(t, 'ip link add veth0 type veth peer name veth1');
    expect(
      run(t, 'sysctl -w net.ipv4.neigh.veth0.base_reachable_time_ms=1000 net.ipv4.neigh.veth0.retrans_time_ms=1234'),
    ).toEqual(['net.ipv4.neigh.veth0.base_reachable_time_ms = 1000', 'net.ipv4.neigh.veth0.retrans_time_ms = 1234']);
    const veth0 = devGetByName(t.host, 'veth0')!;
    expect(devArpParms(veth0).baseReachableTime).toBe(1e9);
    // A new reachable time is drawn in [base/2, 3*base/2).
    expect(devArpParms(veth0).reachableTime).toBeGreaterThanOrEqual(0.5e9);
    expect(devArpParms(veth0).reachableTime).toBeLessThan(1.5e9);
    expect(devArpParms(veth0).retransTime).toBe(1236e6);
    expect(devArpParms(devGetByName(t.host, 'veth1')!).baseReachableTime).toBe(30e9);
    expect(t.host.ipv4.neighParmsDefault.baseReachableTime).toBe(30e9);
    expect(
      run(
        t,
        'sysctl net.ipv4.neigh.veth0.base_reachable_time net.ipv4.neigh.veth0.retrans_time net.ipv4.neigh.veth0.retrans_time_ms net.ipv4.neigh.veth0.unres_qlen',
      ),
    ).toEqual([
      'net.ipv4.neigh.veth0.base_reachable_time = 1',
      'net.ipv4.neigh.veth0.retrans_time = 123',
      'net.ipv4.neigh.veth0.retrans_time_ms = 1236',
      'net.ipv4.neigh.veth0.unres_qlen = 101',
    ]);
    expect(run(t, 'sysctl net.ipv4.neigh.default.ucast_solicit')).toEqual([
      'sysctl: cannot stat /proc/sys/net/ipv4/neigh/default/ucast_solicit: No such file or directory',
    ]);
  });
});

describe('echo > /proc/sys', () => {
  it("prints bash's messages with the script line", () => {
    const t = bootTestWorld();
    const out: string[] = [];
    const ctx = ctxOf(t, out);
    expect(procSysWrite(ctx, '/proc/sys/net/ipv4/nosuch', '1', 7)).toBe(1);
    expect(procSysWrite(ctx, '/proc/sys/net/ipv4/ip_default_ttl', '300', 8)).toBe(1);
    expect(procSysWrite(ctx, '/proc/sys/net/ipv4/conf', '1', 9)).toBe(1);
    expect(procSysWrite(ctx, '/proc/sys/net/ipv4/conf/all/mc_forwarding', '1', 10)).toBe(1);
    expect(procSysWrite(ctx, '/proc/sys/net/ipv4/ip_default_ttl', '-n 33', 11)).toBe(0);
    expect(procSysWrite(ctx, '/dev/null', 'x', 12)).toBe(0);
    expect(out).toEqual([
      'bash: line 7: /proc/sys/net/ipv4/nosuch: No such file or directory',
      'bash: line 8: echo: write error: Invalid argument',
      'bash: line 9: /proc/sys/net/ipv4/conf: Is a directory',
      'bash: line 10: /proc/sys/net/ipv4/conf/all/mc_forwarding: Permission denied',
    ]);
    expect(t.host.ipv4.sysctl.ip_default_ttl).toBe(33);
  });

  it('writes in the namespace the command runs in', () => {
    const t = bootTestWorld();
    run(t, 'ip netns add ns1');
    const ns1 = netByName(t.w, 'ns1')!;
    expect(run(t, 'ip netns exec ns1 sysctl -w net.ipv4.conf.all.rp_filter=1')).toEqual(['net.ipv4.conf.all.rp_filter = 1']);
    expect(ns1.ipv4.devconfAll.rp_filter).toBe(1);
    expect(t.host.ipv4.devconfAll.rp_filter).toBe(0);
  });
});

describe('sysctl exit statuses', () => {
  it('adds failed reads and ORs failed writes, as procps does', () => {
    const t = bootTestWorld();
    const cases: [string, number][] = [
      ['sysctl net.ipv4.nosuch net.ipv4.nosuch2 net.ipv4.nosuch3', 3],
      ['sysctl net.ipv4.nosuch net.ipv4.ip_forward=1', 1],
      ['sysctl net.ipv4.ip_default_ttl=0 net.ipv4.nosuch', 2],
      ['sysctl -w net.ipv4.nosuch=1 net.ipv4.nosuch2=1', 1],
      ['sysctl -e net.ipv4.nosuch', 0],
      ['sysctl -w net.ipv4.ip_forward', 1],
      ['sysctl -w 1', 1],
      ['sysctl -w net.ipv4.conf.all=1', 0],
      ['sysctl', 1],
    ];
    for (const [cmd, want] of cases) {
      const st: number[] = [];
      run(t, cmd, st);
      expect(st, cmd).toEqual([want]);
    }
  });
});
