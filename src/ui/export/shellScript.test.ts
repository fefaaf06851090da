import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { realMachineScript, scenarioChanges, shellQuote } from './shellScript.ts';
import { lexScript } from '../../engine/scenario/lexer.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { slug } from './download.ts';
import { recordFolders, recordScript } from '../../../test/records.ts';

describe('realMachineScript', () => {
  it('keeps the scenario, starts namespaces as skbwalk does and turns tcpdump into a background capture', () => {
    const script = realMachineScript(
      [
        '# two ends',
        'ip netns add ns1',
        'ip link add veth0 type veth peer name veth1 netns ns1',
        'sysctl -w net.ipv4.conf.all.rp_filter=0',
        'echo 1 > /proc/sys/net/ipv4/ip_forward',
        'ip netns exec ns1 tcpdump -i veth1',
        'ping -c 1 10.0.0.2',
        '',
      ].join('\n'),
      'two ends',
    );
    const lines = script.split('\n');
    expect(lines.slice(0, 2)).toEqual(['#!/bin/bash', '# two ends']);
    expect(lines.filter((l) => /^# {3}[a-z]+ \(?[a-z]/.test(l) && l.includes(':'))).toEqual([
      '#   namespaces it creates: ns1',
      '#   devices it creates:    veth0, veth1',
      '#   sysctls it sets:       net.ipv4.conf.all.rp_filter, net.ipv4.ip_forward',
      '#   captures (tcpdump):    veth1',
    ]);
    expect(lines.slice(lines.indexOf('# ---- the scenario ----') + 1)).toEqual([
      '# two ends',
      'ip netns add ns1',
      'ip netns exec ns1 ip link set lo up',
      'ip netns exec ns1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
      'ip link add veth0 type veth peer name veth1 netns ns1',
      'sysctl -w net.ipv4.conf.all.rp_filter=0',
      'echo 1 > /proc/sys/net/ipv4/ip_forward',
      '# ip netns exec ns1 tcpdump -i veth1: a capture that lasts to the end',
      'ip netns exec ns1 tcpdump -i veth1 --immediate-mode -U -w "$out"/tcpdump-0-veth1.pcap >/dev/null 2>&1 &',
      'captures+=($!)',
      'sleep 1',
      'ping -c 1 10.0.0.2',
      '',
    ]);
    expect(script).toContain('exec unshare --net --mount --propagation private');
    expect(script).toContain(
      '# Needs: root, bash, iproute2 (ip), iputils-ping (ping), tcpdump, util-linux (unshare), procps (sysctl).',
    );
  });

  it('writes scripts bash can read, for every bundled scenario and every kernel record', () => {
    const texts = [
      ...SCENARIOS.map((s) => s.text),
      ...recordFolders()
        .filter((folder) => !SCENARIOS.some((s) => s.id === folder))
        .map(recordScript),
    ];
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      const r = spawnSync('bash', ['-n'], { input: realMachineScript(text), encoding: 'utf8' });
      expect(r.stderr, text).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('quotes hostile names so that bash reads them back as one word', () => {
    const script = realMachineScript(`ip netns add 'a b;rm -rf /'\n`);
    expect(script).toContain("ip netns exec 'a b;rm -rf /' ip link set lo up");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const r = spawnSync('bash', ['-c', `printf '%s\\n' ${shellQuote("x'y $z")}`], { encoding: 'utf8' });
    expect(r.stdout).toBe("x'y $z\n");
  });
});

describe('scenarioChanges', () => {
  it('lists what the bridge scenario creates', () => {
    const text = recordScript('bridge-two-ns');
    expect(scenarioChanges(lexScript(text))).toEqual({
      namespaces: ['ns1', 'ns2'],
      devices: ['br0', 'veth1', 'veth1br', 'veth2', 'veth2br'],
      sysctls: [],
      captures: ['br0', 'veth2br'],
    });
  });
});

describe('slug', () => {
  it('makes short file names from titles, cut between words', () => {
    expect(slug('The seed article: a veth pair in one namespace, rp_filter off')).toBe('the-seed-article-a-veth-pair-in');
    expect(slug('')).toBe('scenario');
    expect(slug('<img src=x onerror=alert(1)>')).toBe('img-src-x-onerror-alert-1');
    expect(slug('a'.repeat(40))).toBe('a'.repeat(32));
    expect(slug('Café über')).toBe('cafe-uber');
  });
});
