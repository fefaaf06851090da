import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ephemeralPorts, normalizeTrace } from './normalize_trace.ts';
import { scriptWords } from './normalize.ts';
import { recordFolders, RAW_TRACES, recordScript } from '../../../test/records.ts';

const folders = recordFolders(RAW_TRACES);
const read = (folder: string, name: string): string => readFileSync(join(RAW_TRACES, folder, name), 'utf8');
const script = (folder: string): string => recordScript(join(RAW_TRACES, folder));

describe('normalizeTrace makes what the reference recorder made of the same tracefs text', () => {
  it('has raw traces to check', () => {
    expect(folders.length).toBeGreaterThan(1);
  });
  for (const folder of folders) {
    it(folder, () => {
      const words = scriptWords(script(folder));
      const raw = read(folder, 'trace.raw');
      const pids = new Set(read(folder, 'pids').split(/\s+/).filter(Boolean));
      expect(normalizeTrace(raw, words, pids)).toBe(read(folder, 'trace.txt'));
      expect([...ephemeralPorts(raw, words)].sort().join('\n') + '\n').toBe(read(folder, 'ports.txt'));
    });
  }
  it("leaves out every event of a process that is not the scenario's", () => {
    const folder = 'bridge-two-ns';
    const words = scriptWords(script(folder));
    // With no pids, every task-context event is foreign: only softirq work caused by nothing foreign could remain.
    const out = normalizeTrace(read(folder, 'trace.raw'), words, new Set());
    expect(out.split('\n').filter((l) => l.startsWith('task '))).toEqual([]);
  });
  it('numbers packets from 1 and writes nothing for an empty trace', () => {
    expect(normalizeTrace('', new Set(), new Set())).toBe('');
  });
});
