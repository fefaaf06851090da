// The app's example scenarios are the scripts recorded on the real kernel:
// each must stay identical to its fixture, so what the app shows has been
// checked against Linux (test/conformance.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SCENARIOS } from './index.ts';

describe('built-in scenarios', () => {
  for (const s of SCENARIOS) {
    it(`${s.id} is the kernel-recorded script`, () => {
      const fixture = readFileSync(new URL(`../../test/fixtures/kernel/${s.id}/scenario.sh`, import.meta.url), 'utf8');
      expect(s.text).toBe(fixture);
    });
  }
});
