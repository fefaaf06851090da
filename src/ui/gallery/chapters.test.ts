import { describe, expect, it } from 'vitest';
import { chapterAt } from './chapters.ts';

const ch = (step: number | null) => ({ title: `at ${step}`, text: '', step });

describe('chapterAt', () => {
  const chapters = [ch(10), ch(null), ch(25), ch(40)];
  it('is -1 before the first chapter', () => {
    expect(chapterAt(chapters, 0)).toBe(-1);
    expect(chapterAt(chapters, 9)).toBe(-1);
  });
  it('is the last chapter reached, skipping unresolved ones', () => {
    expect(chapterAt(chapters, 10)).toBe(0);
    expect(chapterAt(chapters, 24)).toBe(0);
    expect(chapterAt(chapters, 25)).toBe(2);
    expect(chapterAt(chapters, 1000)).toBe(3);
  });
  it('is -1 without chapters', () => {
    expect(chapterAt([], 5)).toBe(-1);
  });
});
