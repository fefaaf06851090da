// Scripts of ip / ifconfig / sysctl / echo > /proc/sys commands, each run on
// the real machine (Linux 6.18, iproute2 6.1.0, net-tools 2.10, procps-ng 4.0.2,
// in a fresh network namespace with lo up and IPv6 off, through `bash < FILE`;
// MAC addresses then labelled M1, M2... by first appearance). The simulated
// tools must print the same bytes.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootTestWorld, labelMacs, run } from './testkit.ts';

const DIR = join(__dirname, 'realcases');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.sh') && f !== 'record.sh')
  .sort();

describe('output recorded on the real machine', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(5);
  });
  for (const f of cases) {
    it(f, () => {
      const script = readFileSync(join(DIR, f), 'utf8');
      const want = readFileSync(join(DIR, f.replace(/\.sh$/, '.out')), 'utf8').split('\n');
      if (want[want.length - 1] === '') want.pop();
      const got = labelMacs(run(bootTestWorld(), script));
      // Compare line by line first for a readable failure, then as a whole.
      for (let i = 0; i < Math.max(got.length, want.length); i++) expect(`${i + 1}: ${got[i]}`).toBe(`${i + 1}: ${want[i]}`);
    });
  }
});
