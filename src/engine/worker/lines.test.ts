import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineContains, linesOf, linesUpTo, needleOf, packLineList } from './lines.ts';

describe('packed lines', () => {
  it('give back every line, ASCII or not, and count lines up to a step', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.string({ unit: 'grapheme', maxLength: 40 }))), (pairs) => {
        const lines = pairs.map(([step, text]) => ({ step, text })).sort((a, b) => a.step - b.step);
        const packed = packLineList(lines);
        expect(linesOf(structuredClone(packed))).toEqual(lines);
        for (const step of [-1, 0, 7, 25, 60]) expect(linesUpTo(packed, step)).toBe(lines.filter((l) => l.step <= step).length);
      }),
    );
  });

  it('find text in a line whatever the case of its ASCII letters', () => {
    const packed = packLineList([
      { step: 1, text: 'softirq netif_rx skb=3 dev=veth0 len=98' },
      { step: 2, text: 'téléphone DEV=Veth0' },
    ]);
    const find = (t: string) => [0, 1].filter((i) => lineContains(packed, i, needleOf(t)));
    expect(find('dev=veth0')).toEqual([0, 1]);
    expect(find('NETIF_RX')).toEqual([0]);
    expect(find('phone d')).toEqual([1]);
    expect(find('veth1')).toEqual([]);
    expect(find('')).toEqual([0, 1]);
  });
});
