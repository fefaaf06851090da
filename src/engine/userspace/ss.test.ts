// ss -t against the kernel: a listener, both ends of a connection, then the
// TIME-WAIT it leaves. test/fixtures/kernel/tcp-ss-states holds the record of
// -tan and -lnt; -p's process column names pids, which differ from run to run,
// so it is checked here against the same script recorded on Linux 6.18 (ss
// 6.1), with the kernel's pids (28065, 28070) replaced by skbwalk's (7, 9) and
// the Process column as much narrower as the pids are shorter.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../run/run.ts';
import { writeRunFiles } from '../run/files.ts';

const SCRIPT = [
  'ip netns add b',
  'ip link add veth0 type veth peer name veth1 netns b',
  'ip addr add 10.87.0.1/24 dev veth0',
  'ip link set veth0 up',
  'ip -n b addr add 10.87.0.2/24 dev veth1',
  'ip -n b link set veth1 up',
  'ip netns exec b nc -l -w 2 8080 &',
  'sleep 0.5',
  'echo hello | nc 10.87.0.2 8080 &',
  'sleep 0.5',
  'ss -tanp',
  'ip netns exec b ss -tanp',
  'ip netns exec b ss -lntp',
  'ss -tn',
  'wait',
  'ip netns exec b ss -tn',
  'ip netns exec b ss -ta',
].join('\n');

describe('ss -t', () => {
  it('lists TCP sockets with their processes as ss -tanp, -lntp, -tn and -ta print them', () => {
    const terminal = writeRunFiles(runScenario(SCRIPT + '\n', { outputsOnly: true })).get('terminal.txt');
    expect(terminal).toBe(
      [
        'hello',
        'State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
        'ESTAB 0      0          10.87.0.1:P1    10.87.0.2:8080 users:(("nc",pid=9,fd=3))',
        'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process                   ',
        'LISTEN 0      1            0.0.0.0:8080      0.0.0.0:*     users:(("nc",pid=7,fd=3))',
        'ESTAB  0      0          10.87.0.2:8080    10.87.0.1:P1 users:(("nc",pid=7,fd=4))',
        'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'LISTEN 0      1            0.0.0.0:8080      0.0.0.0:*    users:(("nc",pid=7,fd=3))',
        'State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
        'ESTAB 0      0          10.87.0.1:P1    10.87.0.2:8080       ',
        'State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'State     Recv-Q Send-Q Local Address:Port     Peer Address:Port Process',
        'TIME-WAIT 0      0          10.87.0.2:http-alt    10.87.0.1:P1       ',
      ].join('\n') + '\n',
    );
  });
});
