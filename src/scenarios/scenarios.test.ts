// The gallery against its runs: at least 12 scenarios, each with a narrative
// whose every note names a moment that happens in the run, in the order the
// notes are told. (Each script's match with its kernel record is checked in
// test/conformance.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, DEFAULT_SCENARIO, galleryEntry, narrativeOf } from './index.ts';
import type { ScenarioNarrative } from './types.ts';
import { EngineSession } from '../engine/session.ts';

describe('the gallery', () => {
  it('offers at least 12 scenarios with distinct ids and titles, the seed first', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    expect(new Set(SCENARIOS.map((s) => s.title)).size).toBe(SCENARIOS.length);
    expect(SCENARIOS[0].id).toBe('seed-veth-same-ns');
    expect(DEFAULT_SCENARIO).toBe(SCENARIOS[0].script);
    expect(galleryEntry(DEFAULT_SCENARIO)).toBe(SCENARIOS[0]);
    expect(galleryEntry(DEFAULT_SCENARIO + ' ')).toBeUndefined();
  });

  it('has a narrative for every scenario and none for an id it does not have', async () => {
    for (const s of SCENARIOS) expect(await narrativeOf(s.id), s.id).toBeDefined();
    expect(await narrativeOf('no-such-scenario')).toBeUndefined();
  });

  for (const s of SCENARIOS) {
    describe(s.id, () => {
      let narrative: ScenarioNarrative;
      beforeAll(async () => {
        narrative = (await narrativeOf(s.id))!;
      });

      it('has a narrative: a summary and at least 4 notes with titles', () => {
        expect(narrative.summary.length).toBeGreaterThan(40);
        expect(narrative.notes.length).toBeGreaterThanOrEqual(4);
        for (const n of narrative.notes) {
          expect(n.title.trim(), JSON.stringify(n.at)).not.toBe('');
          expect(n.text.length, n.title).toBeGreaterThan(40);
        }
        expect(s.script).toBe(s.text);
      });

      it('anchors every note to a step of its run, in the order the notes are told', () => {
        const session = new EngineSession(s.script);
        const steps = session.resolve(narrative.notes.map((n) => n.at));
        const total = session.summary().total;
        steps.forEach((step, i) => {
          expect(step, `"${narrative.notes[i].title}" ${JSON.stringify(narrative.notes[i].at)}`).not.toBeNull();
          expect(step!).toBeGreaterThanOrEqual(1);
          expect(step!).toBeLessThanOrEqual(total);
          if (i > 0) expect(step!, narrative.notes[i].title).toBeGreaterThan(steps[i - 1]!);
        });
      });
    });
  }
});
