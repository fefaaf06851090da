import { describe, expect, it } from 'vitest';
import { scrollDelta } from './followLine.ts';

describe('scrollDelta', () => {
  it('leaves a line that is in view where it is', () => {
    expect(scrollDelta(100, 300, 150, 170)).toBe(0);
    expect(scrollDelta(100, 300, 104, 124)).toBe(0);
  });
  it('scrolls up to a line above the view, and down to one below it, by as little as it can, with the margin', () => {
    expect(scrollDelta(100, 300, 40, 60)).toBe(-64);
    expect(scrollDelta(100, 300, 400, 420)).toBe(124);
    expect(scrollDelta(100, 300, 290, 310, 0)).toBe(10);
  });
  it('shows the top of a line taller than the view', () => {
    expect(scrollDelta(100, 150, 200, 300)).toBe(100);
    expect(scrollDelta(100, 150, 20, 300)).toBe(-80);
  });
});
