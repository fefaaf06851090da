import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ephemeralPorts, normalizeTrace } from './normalize_trace.ts';
import { scriptWords } from './normalize.ts';

const ROOT = new URL('../../../test/fixtures/raw-trace/', import.meta.url);
const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const read = (folder: string, name: string): string => readFileSync(new URL(`${folder}/${name}`, ROOT), 'utf8');

describe('normalizeTrace makes what the reference recorder made of the same tracefs text', () => {
  it('has raw traces to check', () => {
    expect(folders.length).toBeGreaterThan(1);
  });
  for (const folder of folders) {
    it(folder, () => {
      const words = scriptWords(read(folder, 'scenario.sh'));
      const raw = read(folder, 'trace.raw');
      const pids = new Set(read(folder, 'pids').split(/\s+/).filter(Boolean));
      expect(normalizeTrace(raw, words, pids)).toBe(read(folder, 'trace.txt'));
      expect([...ephemeralPorts(raw, words)].sort().join('\n') + '\n').toBe(read(folder, 'ports.txt'));
    });
  }
  it("leaves out every event of a process that is not the scenario's", () => {
    const folder = 'bridge-two-ns';
    const words = scriptWords(read(folder, 'scenario.sh'));
    // With no pids, every task-context event is foreign: only softirq work caused by nothing foreign could remain.
    const out = normalizeTrace(read(folder, 'trace.raw'), words, new Set());
    expect(out.split('\n').filter((l) => l.startsWith('task '))).toEqual([]);
  });
  it('numbers packets from 1 and writes nothing for an empty trace', () => {
    expect(normalizeTrace('', new Set(), new Set())).toBe('');
  });
});
