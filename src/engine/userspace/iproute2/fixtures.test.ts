// Every kernel recording starts with setup commands that only the userspace
// tools print for (ip, sysctl, ifconfig, echo > /proc/sys). Up to the first
// command that needs the datapath or the clock (ping, tcpdump, sleep), the
// simulated output must be the recorded terminal, byte for byte (MACs labelled).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexScript } from '../../scenario/lexer.ts';
import { bootTestWorld, labelMacs, runLines } from './testkit.ts';

const FIXTURES = join(__dirname, '../../../../test/fixtures/kernel');
const STOP = new Set(['ping', 'tcpdump', 'sleep']);

const folders = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'scenario.sh'))) : [];

describe('recorded setup output', () => {
  it('has fixtures to check', () => {
    expect(folders.length).toBeGreaterThan(0);
  });
  for (const d of folders) {
    it(d, () => {
      const script = readFileSync(join(FIXTURES, d, 'scenario.sh'), 'utf8');
      const terminal = readFileSync(join(FIXTURES, d, 'terminal.txt'), 'utf8').split('\n');
      const t = bootTestWorld();
      const lines = lexScript(script);
      const stop = lines.findIndex((l) => l.argv.some((a) => STOP.has(a)));
      const got = runLines(t, stop < 0 ? lines : lines.slice(0, stop));
      expect(labelMacs(got)).toEqual(labelMacs(terminal.slice(0, got.length)));
    });
  }
});
