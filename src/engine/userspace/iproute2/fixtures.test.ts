// Every kernel recording starts with setup commands that only the userspace
// tools print for (ip, sysctl, ifconfig, echo > /proc/sys). Up to the first
// ping, the simulated output must be the recorded terminal up to that ping's
// first line (ping.txt says which it is), byte for byte (MACs labelled);
// a script without a ping must print the whole recorded terminal (a ping
// whose output goes to /dev/null: what the terminal starts with). `tcpdump`
// and `sleep` lines print nothing to the terminal and, before any traffic,
// change nothing the setup commands print, so they are left out here.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexScript } from '../../scenario/lexer.ts';
import { bootTestWorld, labelMacs, runLines } from './testkit.ts';
import { KERNEL_RECORDS, recordFolders, recordScript } from '../../../../test/records.ts';

const SILENT = new Set(['tcpdump', 'sleep']);

const folders = recordFolders();

describe('recorded setup output', () => {
  it('has fixtures to check', () => {
    expect(folders.length).toBeGreaterThan(0);
  });
  for (const d of folders) {
    it(d, () => {
      const script = recordScript(d);
      const terminal = readFileSync(join(KERNEL_RECORDS, d, 'terminal.txt'), 'utf8').split('\n');
      if (terminal[terminal.length - 1] === '') terminal.pop();
      const firstPingLine = readFileSync(join(KERNEL_RECORDS, d, 'ping.txt'), 'utf8').split('\n')[0];
      const t = bootTestWorld();
      const lines = lexScript(script);
      const stop = lines.findIndex((l) => l.argv.includes('ping') || l.argv.includes('nc'));
      const setup = (stop < 0 ? lines : lines.slice(0, stop)).filter((l) => !l.argv.some((a) => SILENT.has(a)));
      const printed = labelMacs(runLines(t, setup));
      if (stop >= 0 && (lines[stop].argv.includes('nc') || lines[stop].redirect?.path === '/dev/null')) {
        // nc's output is not known line by line, and a ping > /dev/null prints nothing there:
        // the setup's output is what the terminal starts with.
        expect(printed).toEqual(labelMacs(terminal.slice(0, printed.length)));
        return;
      }
      const pingAt = stop < 0 ? terminal.length : terminal.indexOf(firstPingLine);
      expect(pingAt, `ping.txt's first line in terminal.txt`).toBeGreaterThanOrEqual(0);
      const expected = terminal.slice(0, pingAt);
      expect(printed).toEqual(labelMacs(expected));
    });
  }
});
