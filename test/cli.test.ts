// The CLI as users run it: bin/skbwalk.mjs, plain JavaScript built into
// dist-cli/ (`npm run build:cli`; `npm ci` and `npm test` build it).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bounded, TOOL_TEST_TIMEOUT } from './tools.ts';
import { recordScriptPath } from './records.ts';

const BIN = new URL('../bin/skbwalk.mjs', import.meta.url).pathname;
const BUILT = new URL('../dist-cli/skbwalk.cjs', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/kernel/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'skbwalk-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function skbwalk(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return bounded(
    () =>
      new Promise((resolve) => {
        execFile(process.execPath, [BIN, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
          const code = err ? (err as { code?: number }).code : 0;
          resolve({ status: typeof code === 'number' ? code : -1, stdout, stderr });
        });
      }),
  );
}

describe('skbwalk CLI', () => {
  it('is built', () => {
    expect(existsSync(BUILT), 'dist-cli/skbwalk.cjs is missing: run `npm run build:cli`').toBe(true);
  });

  it(
    'runs a kernel record and compares exactly with it',
    async () => {
      const out = join(tmp, 'seed');
      const run = await skbwalk('run', recordScriptPath('seed-veth-same-ns'), '--out', out);
      expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
      const cmp = await skbwalk('compare', join(FIXTURES, 'seed-veth-same-ns'), out);
      expect(cmp.stderr).toBe('');
      expect(cmp.stdout).toBe(
        [
          'ping.txt                     full  exact',
          'tcpdump-0-veth0.pcap         full  exact',
          'tcpdump-0-veth0.txt          full  exact',
          'terminal.txt                 full  exact',
          'trace.txt                    path  exact',
          'trace.txt                    full  exact',
          'score path=1.000 full=1.000 terminal=1.000 ping=1.000 tcpdump=1.000 pcap=1.000 exact=yes',
          '',
        ].join('\n'),
      );
      expect(cmp.status).toBe(0);
    },
    TOOL_TEST_TIMEOUT,
  );

  it(
    'compare shows where two records part, what is missing and what is extra',
    async () => {
      const actual = join(tmp, 'changed');
      cpSync(join(FIXTURES, 'seed-veth-same-ns'), actual, { recursive: true });
      const original = readFileSync(join(FIXTURES, 'seed-veth-same-ns/trace.txt'), 'utf8').split('\n').slice(0, -1);
      // Replace one line of the packet's path (not a route lookup).
      const at = original.findIndex((l) => !l.includes(' fib_table_lookup '));
      const changed = original.slice();
      changed[at] = 'softirq napi_poll dev=veth9 work=1 budget=64';
      writeFileSync(join(actual, 'trace.txt'), changed.map((l) => l + '\n').join(''));
      rmSync(join(actual, 'ping.txt'));
      writeFileSync(join(actual, 'tcpdump-1-veth1.txt'), '');
      const cmp = await skbwalk('compare', join(FIXTURES, 'seed-veth-same-ns'), actual);
      const path = original.filter((l) => !l.includes(' fib_table_lookup '));
      const pathChanged = changed.filter((l) => !l.includes(' fib_table_lookup '));
      const pathAt = path.indexOf(original[at]);
      // One line of n replaced: n - 1 lines matched, 2(n-1) / 2n.
      const full = ((original.length - 1) / original.length).toFixed(3);
      const pathScore = ((path.length - 1) / path.length).toFixed(3);
      const around = (lines: string[], i: number, sign: string) => lines.slice(i, i + 3).map((l) => `    ${sign} ${l}`);
      expect(cmp).toEqual({
        status: 1,
        stderr: '',
        stdout: [
          'ping.txt                     full  missing',
          'tcpdump-0-veth0.pcap         full  exact',
          'tcpdump-0-veth0.txt          full  exact',
          'terminal.txt                 full  exact',
          `trace.txt                    path  ${pathScore}`,
          `    at line ${pathAt + 1}:`,
          ...around(path, pathAt, '-'),
          ...around(pathChanged, pathAt, '+'),
          `trace.txt                    full  ${full}`,
          `    at line ${at + 1}:`,
          ...around(original, at, '-'),
          ...around(changed, at, '+'),
          'tcpdump-1-veth1.txt          full  unexpected (the kernel made no such capture)',
          `score path=${pathScore} full=${full} terminal=1.000 ping=0.000 tcpdump=1.000 pcap=1.000 exact=no`,
          '',
        ].join('\n'),
      });
    },
    TOOL_TEST_TIMEOUT,
  );

  it(
    'says why compare and record cannot start',
    async () => {
      expect(await skbwalk('compare', join(tmp, 'nowhere'), join(tmp, 'nowhere2'))).toEqual({
        status: 2,
        stdout: '',
        stderr: `skbwalk: cannot read ${join(tmp, 'nowhere')}: No such file or directory\n`,
      });
      const one = await skbwalk('compare', FIXTURES);
      expect(one.status).toBe(2);
      expect(one.stderr.split('\n')[0]).toBe('skbwalk: compare needs two folders, got 1');
      const rec = await skbwalk('record', join(tmp, 'missing.sh'), '--out', join(tmp, 'r'));
      expect(rec).toEqual({
        status: 2,
        stdout: '',
        stderr: `skbwalk: cannot read ${join(tmp, 'missing.sh')}: No such file or directory\n`,
      });
      const noOut = await skbwalk('record', recordScriptPath('lo-ping'));
      expect(noOut).toEqual({ status: 2, stdout: '', stderr: 'skbwalk: no output directory given (--out DIR)\n' });
    },
    TOOL_TEST_TIMEOUT,
  );
});
