// The byte writer against JavaScript's own formatting: trace.txt must read
// exactly as `${n}`, toString(16) and a UTF-8 encoding would have written it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextWriter } from './textwriter.ts';
import { ipStr } from '../net/ipv4/addr.ts';

describe('TextWriter', () => {
  it('writes integers as `${n}` does, across buffer growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), { maxLength: 200 }), (ns) => {
        const w = new TextWriter(1);
        for (const n of ns) {
          w.int(n);
          w.byte(0x20);
        }
        expect(w.toString()).toBe(ns.map((n) => `${n} `).join(''));
      }),
    );
  });

  it('writes zero-padded hexadecimal and dotted quads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (h, a) => {
        const w = new TextWriter(4);
        w.hex(h, 4);
        w.byte(0x20);
        w.ip(a);
        expect(w.toString()).toBe(`${h.toString(16).padStart(4, '0')} ${ipStr(a)}`);
      }),
    );
  });

  it('encodes any string as UTF-8, ASCII or not', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 20 }), (parts) => {
        const w = new TextWriter(2);
        for (const p of parts) w.str(p);
        expect([...w.view()]).toEqual([...new TextEncoder().encode(parts.join(''))]);
      }),
    );
  });

  it('hands a drain, buffer by buffer, exactly the bytes it would have held, whatever its capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 })), {
          maxLength: 40,
        }),
        (capacity, parts) => {
          const drained: number[] = [];
          const w = new TextWriter(capacity, (bytes) => drained.push(...bytes));
          for (const p of parts) {
            if (typeof p === 'string') w.str(p);
            else w.int(p);
            w.hex(0xbe, 4);
          }
          w.flush();
          const expected = parts.map((p) => `${p}00be`).join('');
          expect(drained).toEqual([...new TextEncoder().encode(expected)]);
          expect(w.view()).toHaveLength(0);
        },
      ),
    );
  });
});
