import { describe, expect, it } from 'vitest';
import { documentTitle } from './documentTitle.ts';

describe('documentTitle', () => {
  it('names the step, the scenario and skbwalk', () => {
    expect(documentTitle(12, 75, 'veth pair host ↔ namespace')).toBe('Step 12/75 · veth pair host ↔ namespace — skbwalk');
  });
  it('shortens a long scenario title at 48 characters', () => {
    expect(
      documentTitle(
        0,
        239,
        'The seed article: a veth pair in one namespace, rp_filter off, accept_local on, ping bound to veth0.',
      ),
    ).toBe('Step 0/239 · The seed article: a veth pair in one namespace,… — skbwalk');
  });
  it('is plain skbwalk before a run and without a title', () => {
    expect(documentTitle(null, null, '')).toBe('skbwalk');
    expect(documentTitle(3, 9, '  ')).toBe('Step 3/9 — skbwalk');
  });
});
