// Everything the CLI runs opens in the app, at every step: each kernel record's
// scenario, and random scenarios, are run by the EngineSession the Web Worker
// uses, and the view of every step is built as the worker builds it (and
// structured-cloned, as postMessage does). Any exception fails the test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EngineSession } from '../src/engine/session.ts';
import { recordFolders, recordScript } from './records.ts';

const folders = recordFolders();

/** Opens the scenario as the worker does and visits every step; returns the step count. */
function visitEveryStep(text: string): number {
  const session = new EngineSession(text);
  structuredClone(session.summary());
  const total = session.run.rec.count;
  for (let step = 0; step <= total; step++) {
    const view = structuredClone(session.view(step));
    if (view.step !== step) throw new Error(`asked for step ${step}, got ${view.step}`);
  }
  return total;
}

describe('every step of every kernel record opens', () => {
  for (const folder of folders) {
    it(folder, { timeout: 180_000 }, () => {
      // Some records make no kernel call (listings only): their one view, step 0, must open too.
      const total = visitEveryStep(recordScript(folder));
      expect(total).toBeGreaterThanOrEqual(0);
    });
  }
});

const line = fc.oneof(
  fc.constantFrom(
    'ip netns add ns1',
    'ip link add veth0 type veth peer name veth1',
    'ip link set veth1 netns ns1',
    'ip link add br0 type bridge',
    'ip link set veth0 master br0',
    'ip link set br0 up',
    'ip link set veth0 up',
    'ip link set veth0 down',
    'ip -n ns1 link set veth1 up',
    'ip addr add 10.0.0.1/24 dev veth0',
    'ip -n ns1 addr add 10.0.0.2/24 dev veth1',
    'ip route add blackhole 10.20.0.0/16',
    'ip route add unreachable 10.21.0.0/16',
    'ip route add prohibit 10.22.0.0/16',
    'ip route add throw 10.24.0.0/16',
    'ip route add 10.23.0.0/16 via 10.0.0.50',
    'ip route add default via 10.0.0.2',
    'ip -n ns1 route add default via 10.0.0.1',
    'ip route del 10.20.0.0/16',
    'ip link del veth0',
    'tcpdump -i veth0',
    'sysctl -w net.ipv4.ip_forward=1',
    'ip r',
    'ip route get 10.21.1.1',
  ),
  fc
    .constantFrom('10.0.0.2', '10.20.1.1', '10.21.1.1', '10.22.1.1', '10.23.1.1', '10.24.1.1', '127.0.0.1', '10.0.0.255')
    .chain((a) =>
      fc.constantFrom(`ping -c 1 -W 1 ${a}`, `ping -c 2 -i 0.2 -W 1 -b ${a}`, `ip netns exec ns1 ping -c 1 -W 1 ${a}`),
    ),
);

describe('every step of random scenarios opens', () => {
  it('never throws', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        visitEveryStep(lines.join('\n') + '\n');
      }),
      { numRuns: 60, seed: 20261202 },
    );
  });
});
