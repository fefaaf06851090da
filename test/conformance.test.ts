// The engine against the real kernel: every record in test/fixtures/kernel is
// run through the same path as `skbwalk run`, and every file of the record is
// compared with what Linux 6.18 wrote: the text files line by line, the
// captures' pcaps by tshark's decode (their bytes legitimately differ in
// timestamps, MAC addresses, ICMP and IP ids, and the checksums and payload
// times that follow from them). A capture the kernel did not make fails, as
// does a record file skbwalk does not make.
//
// Each record must have its entry in conformance-baseline.json: the mean
// similarity of its text files, which may only go up. An entry of 1 means
// every file matches exactly (and the test says which does not). Every
// gallery scenario (src/scenarios) must have one, and it must be 1. A gallery
// scenario's record runs the gallery's own script (test/records.ts), the one
// copy there is, so what the app shows is what the kernel was recorded doing.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../src/engine/run/run.ts';
import { writeRunFiles } from '../src/engine/run/files.ts';
import { similarity } from '../src/engine/output/compare.ts';
import { readPcap } from '../src/engine/output/pcap.ts';
import { SCENARIOS } from '../src/scenarios/index.ts';
import { requireTool, TOOL_TEST_TIMEOUT, tsharkDecode, type NamedCapture } from './tools.ts';
import { galleryScriptPath, KERNEL_RECORDS as ROOT, RAW_TRACES, recordFolders, recordScript } from './records.ts';

const BASELINE: Record<string, number> = JSON.parse(
  readFileSync(new URL('./conformance-baseline.json', import.meta.url), 'utf8'),
);

const folders = recordFolders();

/** The files of a record: everything but the scenario itself. */
function recordFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => f !== 'scenario.sh')
    .sort();
}

const simulated = new Map<string, Map<string, string | Uint8Array>>();
/** The files `skbwalk run` writes for a record's script; text files (trace.txt is made as bytes) as text. */
function simulate(folder: string): Map<string, string | Uint8Array> {
  let files = simulated.get(folder);
  if (!files) {
    files = writeRunFiles(runScenario(recordScript(folder), { outputsOnly: true }));
    for (const [name, data] of files)
      if (name.endsWith('.txt') && data instanceof Uint8Array) files.set(name, new TextDecoder().decode(data));
    simulated.set(folder, files);
  }
  return files;
}

/** tshark's decode of every pcap, the kernel's and ours, keyed "folder/file". */
const kernelDecode = new Map<string, string[]>();
const simDecode = new Map<string, string[]>();

beforeAll(async () => {
  requireTool('tshark');
  const kernel: NamedCapture[] = [];
  const sim: NamedCapture[] = [];
  for (const folder of folders) {
    for (const name of recordFiles(folder).filter((f) => f.endsWith('.pcap'))) {
      kernel.push({
        name: `${folder}/${name}`,
        frames: readPcap(readFileSync(join(ROOT, folder, name))).packets.map((p) => p.data),
      });
      const ours = simulate(folder).get(name);
      if (ours instanceof Uint8Array) sim.push({ name: `${folder}/${name}`, frames: readPcap(ours).packets.map((p) => p.data) });
    }
  }
  // Two tshark runs in all, one after the other: the kernel's captures, then ours.
  for (const [name, lines] of await tsharkDecode(kernel)) kernelDecode.set(name, lines);
  for (const [name, lines] of await tsharkDecode(sim)) simDecode.set(name, lines);
}, TOOL_TEST_TIMEOUT);

describe('conformance-baseline.json', () => {
  it('has an entry for every record, and none for a record that is not there', () => {
    expect(folders.filter((f) => typeof BASELINE[f] !== 'number')).toEqual([]);
    expect(Object.keys(BASELINE).filter((f) => !folders.includes(f))).toEqual([]);
  });
});

describe('the gallery', () => {
  for (const s of SCENARIOS) {
    it(`${s.id} is a kernel record of its own script, held to an exact match`, () => {
      expect(folders, `test/fixtures/kernel/${s.id}`).toContain(s.id);
      expect(recordScript(s.id)).toBe(s.script);
      expect(BASELINE[s.id], `${s.id}'s baseline`).toBe(1);
    });
  }
  it('is the only copy of its scripts: a record of a gallery scenario has no scenario.sh, every other record has one', () => {
    for (const root of [ROOT, RAW_TRACES]) {
      for (const folder of recordFolders(root)) {
        const ownScript = existsSync(join(root, folder, 'scenario.sh'));
        expect(ownScript, `${join(root, folder)}/scenario.sh`).toBe(galleryScriptPath(folder) === null);
      }
    }
  });
});

describe('every kernel record, file by file', () => {
  for (const folder of folders) {
    it(folder, () => {
      const baseline = BASELINE[folder];
      expect(baseline, `${folder} has no entry in test/conformance-baseline.json`).toBeTypeOf('number');
      const sim = simulate(folder);
      const expected = recordFiles(folder);
      expect(
        [...sim.keys()].filter((k) => !expected.includes(k)),
        'files (captures) skbwalk made that the kernel did not',
      ).toEqual([]);
      expect(
        expected.filter((k) => !sim.has(k)),
        'files of the record skbwalk did not make',
      ).toEqual([]);

      const texts = expected.filter((f) => f.endsWith('.txt'));
      const scores = texts.map((name) => {
        const got = sim.get(name);
        return typeof got === 'string' ? similarity(readFileSync(join(ROOT, folder, name), 'utf8'), got) : 0;
      });
      const score = scores.reduce((a, b) => a + b, 0) / scores.length;
      if (baseline >= 1) {
        for (const name of texts) expect(sim.get(name), `${folder}/${name}`).toBe(readFileSync(join(ROOT, folder, name), 'utf8'));
      }
      expect(score, `${folder}: mean similarity over ${scores.length} text files`).toBeGreaterThanOrEqual(baseline);

      for (const name of expected.filter((f) => f.endsWith('.pcap'))) {
        const key = `${folder}/${name}`;
        expect(simDecode.get(key), `${key}: tshark's decode of our pcap`).toEqual(kernelDecode.get(key));
      }
    });
  }
});
