// The engine against the real kernel: every record in test/fixtures/kernel is
// run through the same path as `skbwalk run`, and each file is compared with
// what Linux 6.18 wrote. The four references from ../shared/kernel-reference
// must match exactly; the others must match at least as well as recorded in
// conformance-baseline.json, so fidelity can only go up.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../src/engine/run/run.ts';
import { writeRunFiles } from '../src/engine/run/files.ts';
import { similarity } from './similarity.ts';

const ROOT = new URL('./fixtures/kernel/', import.meta.url).pathname;
const REFERENCES = ['seed-veth-same-ns', 'seed-defaults', 'netns-pair', 'lo-ping'];
const BASELINE: Record<string, number> = JSON.parse(
  readFileSync(new URL('./conformance-baseline.json', import.meta.url), 'utf8'),
);

const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function simulate(folder: string): Map<string, string | Uint8Array> {
  return writeRunFiles(runScenario(readFileSync(join(ROOT, folder, 'scenario.sh'), 'utf8')));
}

function textFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

describe('the four kernel references match exactly', () => {
  for (const folder of REFERENCES) {
    it(folder, () => {
      const sim = simulate(folder);
      for (const name of textFiles(folder)) {
        expect(sim.get(name), `${folder}/${name}`).toBe(readFileSync(join(ROOT, folder, name), 'utf8'));
      }
      const extra = [...sim.keys()].filter((k) => k.endsWith('.txt') && !existsSync(join(ROOT, folder, k)));
      expect(extra, 'captures the kernel did not make').toEqual([]);
    });
  }
});

describe('recorded behaviours stay at least as close to the kernel as before', () => {
  for (const folder of folders.filter((f) => !REFERENCES.includes(f))) {
    it(folder, () => {
      const sim = simulate(folder);
      const scores = textFiles(folder).map((name) => {
        const got = sim.get(name);
        return typeof got === 'string' ? similarity(readFileSync(join(ROOT, folder, name), 'utf8'), got) : 0;
      });
      const score = scores.reduce((a, b) => a + b, 0) / scores.length;
      expect(score, `${folder}: mean similarity over ${scores.length} files`).toBeGreaterThanOrEqual(BASELINE[folder] ?? 0);
    });
  }
});
