import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_LINK_CHARS,
  MAX_STEP,
  SHARE_PANELS,
  ShareError,
  base64urlDecode,
  base64urlEncode,
  crc32,
  decodeState,
  encodeState,
  shareUrl,
  stateParam,
  type DecodeResult,
  type ShareState,
} from './urlState.ts';
import { SEED_SCENARIO } from '../../scenarios/seed.ts';
import { recordScript } from '../../../test/records.ts';

const SEED = recordScript('seed-veth-same-ns');
/** The origin the 600-character budget assumes (28 characters). */
const ORIGIN = 'https://example.org/skbwalk/';
/** Steps in the seed scenario's run (EngineSession(SEED).summary().total). */
const SEED_STEPS = 488;

// Links made by format 1 (`npx tsx` of encodeState, 2026-11-24). These strings
// must decode forever: format 2 added a case to decodeState, it did not change
// these (their steps count calls; stepNumbering.test.ts maps them).
const V1_FIXTURES: { link: string; state: ShareState }[] = [
  {
    link: '#s=1.JatWSlayUirIzEtX0E1WMFQwNDLXM9Az0DOMyVPSUSpWsjKvBQBQ_Yoi',
    state: { v: 1, scenario: 'ping -c 1 127.0.0.1\n', step: 7 },
  },
  {
    link: '#s=1.XRXJQQrDIBAF0KsMP1srUQqFuUrNwpgQZIaJVLsquXvJ274fChgT6ZmsNtJqQn0fpCd9W7JW7aBHoUAhvvzsZx-SwaGDn9FBwNGhgd8oWbWPXOReWbE4DDC2_BFcfwSXs80',
    state: {
      v: 1,
      scenario: '# lo\nip link set lo up\nping -c 1 127.0.0.1\n',
      step: 42,
      skb: 2,
      panels: ['callstack', 'skb'],
      theme: 'dark',
    },
  },
  {
    // The seed scenario at step 120 (icmp_reply), skb 3.
    link: '#s=1.pAKVUUFOwzAQ_MpqubpxHCoEOfTOnRtFlWtvGiuubdlOUYX4O6pbIGpBlOPOzsyuZt5QYYs38NQTJCINMmajLLUgYUe5hyBNBOPAOwInt5SCVMQghlVnbKYIvusYSKUo5JX1SlrwjkEwbgNrPzoN2Renulo6E8AaN4DU-ohB3gc6HSKK5UIZxTc59f61TFLrWKTioanE3X0lKsGbOWjaHd1-YzVT1tSZ8umNMVyi4oh2yrvObJaOVO-hhgXwEL3iaZ-4o8xN2M35gcOltfwrlyv45fS_FeJCIf5UTOu5UlSfibIKetwGmJnPrEvFMwUNzB5PMU4iL3k6Mpu-FHhW0g8LsXTIMGErmprhgO0tw4DtMyppbcpSDYf1sMYXhhlb1DIO-P4BqBSnGQ',
    state: { v: 1, scenario: SEED, step: 120, skb: 3, panels: ['callstack', 'skb'], theme: 'dark' },
  },
];

function expectOk(r: DecodeResult): ShareState {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.state;
}
function expectError(r: DecodeResult): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.state).slice(0, 200)}`);
  return r.error;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A format 1 link around arbitrary deflate data / JSON (for schema and framing tests). */
function frame(packed: Uint8Array, crc: number): string {
  const header: number[] = [];
  let n = packed.length;
  do {
    header.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  const bytes = new Uint8Array(header.length + packed.length + 4);
  bytes.set(header, 0);
  bytes.set(packed, header.length);
  new DataView(bytes.buffer).setUint32(header.length + packed.length, crc);
  return `#s=1.${base64urlEncode(bytes)}`;
}
async function linkOfText(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  return frame(await deflate(bytes), crc32(bytes));
}
const linkOfJson = (v: unknown) => linkOfText(JSON.stringify(v));

describe('format 1 fixtures', () => {
  it('the seed file is the app seed scenario', () => {
    expect(SEED).toBe(SEED_SCENARIO);
  });
  for (const [i, f] of V1_FIXTURES.entries()) {
    it(`decodes v1 fixture ${i}`, async () => {
      expect(expectOk(await decodeState(f.link))).toEqual(f.state);
    });
  }
  it('the current encoder writes the same contents as format 4', async () => {
    for (const f of V1_FIXTURES) {
      const h = await encodeState(f.state);
      expect(h).toMatch(/^#s=4\./);
      expect(expectOk(await decodeState(h))).toEqual({ ...f.state, v: 4 });
    }
  });
});

describe('format 2 fixtures', () => {
  // The embed example's link as format 2 wrote it (the seed at step 0): it must decode forever.
  const V2_SEED_LINK =
    '#s=2.hQKVUctOwzAQ_JVRuKZxHFUIcuidO8dIlbE3iYW7thynqEL8O8ItELUgynHH87BmXgtdtMUNHkfCRGSgYrLaUQuFPaURQdkIy_BMYLWjKShNJWLY9tYlivB9X0JpTSFtndfKwXOJYHnAk5_ZIPnsVFcd2wBn-RnKmCOGdAh0CiKKOSGf8ps8jf4lX8qYmKXyvqnk7V0lKymaNQztj26_sZola-lM6fSNOVyi8oj22nNvh45Jjx41NhAhei2mwySYkrBhvxYfHKGcE1-9XMHP0f9WyAuF_FOxnOdKUX0mSjqYeRewsp9d54lXGg1WD6caF5XnPpnsMOYBz0b64UF2XJTFVLT12zsYp2P6';
  it('decodes a format-2 link as format 2 (its steps are mapped once the run is known)', async () => {
    expect(expectOk(await decodeState(V2_SEED_LINK))).toEqual({ v: 2, scenario: SEED, step: 0 });
  });
});

describe('round trips', () => {
  it('encodes as #s=4.<base64url> with no padding', async () => {
    const h = await encodeState({ v: 4, scenario: SEED, step: 3 });
    expect(h).toMatch(/^#s=4\.[A-Za-z0-9_-]+$/);
  });

  it('is deterministic: equal states give equal links', async () => {
    const a = await encodeState({ v: 1, scenario: SEED, step: 9, panels: ['skb'], theme: 'light' });
    const b = await encodeState({ theme: 'light', panels: ['skb'], step: 9, scenario: SEED, v: 1 });
    expect(a).toBe(b);
  });

  it('writes the current format whatever v says', async () => {
    const h = await encodeState({ v: 7, scenario: SEED, step: 0 });
    expect(expectOk(await decodeState(h)).v).toBe(4);
  });

  it('round-trips arbitrary states (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            scenario: fc
              .string({ unit: 'binary', minLength: 1, maxLength: 400 })
              .filter((s) => !!s.trim() && !s.includes('\u0000')),
            step: fc.integer({ min: 0, max: MAX_STEP }),
            skb: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
            panels: fc.uniqueArray(fc.constantFrom(...SHARE_PANELS)),
            theme: fc.constantFrom('light' as const, 'dark' as const),
          },
          { requiredKeys: ['scenario', 'step'] },
        ),
        async (s) => {
          const state: ShareState = { v: 4, ...s };
          const r = await decodeState(await encodeState(state));
          expect(expectOk(r)).toEqual(state);
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);

  it('accepts a whole URL, a fragment among other parameters, a bare value and wrapped whitespace', async () => {
    const state: ShareState = { v: 4, scenario: SEED, step: 51 };
    const h = await encodeState(state);
    const url = shareUrl(`${ORIGIN}?embed=1&panel=skb#old`, h);
    expect(url.startsWith(`${ORIGIN}?embed=1&panel=skb#s=4.`)).toBe(true);
    expect(expectOk(await decodeState(url))).toEqual(state);
    expect(expectOk(await decodeState(h.slice(1)))).toEqual(state);
    expect(expectOk(await decodeState(h.slice(3)))).toEqual(state);
    expect(expectOk(await decodeState(`#x=1&${h.slice(1)}&y=2`))).toEqual(state);
    const wrapped = h.replace(/(.{70})/g, '$1\n  ');
    expect(expectOk(await decodeState(wrapped))).toEqual(state);
  });

  it('stateParam finds the value or reports none', () => {
    expect(stateParam('#s=1.abc')).toBe('1.abc');
    expect(stateParam('https://x/?s=2#t=1&s=1.abc')).toBe('1.abc');
    expect(stateParam('')).toBeNull();
    expect(stateParam('#')).toBeNull();
    expect(stateParam('#panel=skb')).toBeNull();
    expect(stateParam('https://x/?s=1.abc')).toBeNull(); // the query is never read
  });
});

describe('the seed scenario fits in a short link', () => {
  it(`every step, with every option set, gives a URL under 600 characters`, async () => {
    expect(ORIGIN.length).toBe(28);
    let longest = '';
    for (let step = 0; step <= SEED_STEPS; step++) {
      const h = await encodeState({ v: 1, scenario: SEED, step, skb: 6, panels: [...SHARE_PANELS], theme: 'light' });
      const url = shareUrl(ORIGIN, h);
      if (url.length > longest.length) longest = url;
    }
    expect(longest.length).toBeLessThan(600);
    // and with the embed options a blogger would add
    expect(shareUrl(`${ORIGIN}?embed=1&autoplay=1&panel=callstack`, longest.slice(longest.indexOf('#'))).length).toBeLessThan(
      640,
    );
  }, 30_000);
});

describe('hostile and damaged links', () => {
  const good: ShareState = { v: 1, scenario: SEED, step: 120, skb: 3 };

  it('reports every truncation as truncated', async () => {
    const h = await encodeState(good);
    const dataStart = h.indexOf('.') + 1;
    for (let len = dataStart; len < h.length; len++) {
      const err = expectError(await decodeState(h.slice(0, len)));
      expect(err).toMatch(/^the link is truncated/);
    }
  });

  it('names how many bytes a truncated link holds', async () => {
    const h = await encodeState(good);
    expect(expectError(await decodeState(h.slice(0, -8)))).toMatch(
      /^the link is truncated \(it holds \d+ of its \d+ bytes\); copy the whole link again$/,
    );
  });

  it('never accepts a changed character as a different state', async () => {
    const h = await encodeState(good);
    const dataStart = h.indexOf('.') + 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = dataStart; i < h.length; i++) {
      const c = alphabet[(alphabet.indexOf(h[i]) + 17) % 64];
      const r = await decodeState(h.slice(0, i) + c + h.slice(i + 1));
      if (r.ok)
        expect(r.state).toEqual(good); // only possible in the last character's unused bits
      else expect(r.error).toMatch(/^the link (is corrupted|is truncated|has \d+ extra byte)/);
    }
  });

  it('reports a bit flipped in the length header as a damaged header, not as truncation', async () => {
    const h = await encodeState(good);
    const dataStart = h.indexOf('.') + 1;
    const bytes = Uint8Array.from(atob(h.slice(dataStart).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const headerLength = bytes[0] & 0x80 ? (bytes[1] & 0x80 ? 3 : 2) : 1;
    let seen = 0;
    for (let bit = 0; bit < 7 * headerLength; bit++) {
      const flipped = bytes.slice();
      flipped[Math.floor(bit / 7)] ^= 1 << (bit % 7);
      const link = `#s=${h.slice(3, dataStart)}${base64urlEncode(flipped)}`;
      const err = expectError(await decodeState(link));
      expect(err, `bit ${bit}`).toMatch(
        /^the link is corrupted \(its length header (says \d+ bytes of data, but the data is whole at a different length|is invalid)\)$/,
      );
      seen++;
    }
    expect(seen).toBeGreaterThanOrEqual(7);
  });

  it('reports text pasted after the link', async () => {
    const h = await encodeState(good);
    expect(expectError(await decodeState(`${h}AAAA`))).toBe(
      'the link has 3 extra bytes at its end; it may have been pasted together with other text',
    );
  });

  it('names a character that cannot appear in a link', async () => {
    const h = await encodeState(good);
    // location.hash percent-encodes: the reader is told the character, not its escape.
    expect(expectError(await decodeState(`${h.slice(0, 20)}%2B${h.slice(20)}`))).toBe(
      'the link is corrupted: it contains "+" at position 16 of its data, which cannot appear in a skbwalk link',
    );
    expect(expectError(await decodeState(`${h.slice(0, 20)}%3C${h.slice(20)}`))).toBe(
      'the link is corrupted: it contains "<" at position 16 of its data, which cannot appear in a skbwalk link',
    );
    const u = new URL(ORIGIN);
    u.hash = `${h.slice(1, 20)}<${h.slice(20)}`;
    expect(expectError(await decodeState(u.hash))).toBe(
      'the link is corrupted: it contains "<" at position 16 of its data, which cannot appear in a skbwalk link',
    );
    expect(expectError(await decodeState(`${h.slice(0, 20)}%${h.slice(20)}`))).toMatch(/contains "%" at position 16/);
    expect(expectError(await decodeState(h.replace(/[-_]/, '+')))).toMatch(/contains "\+"/);
  });

  it('reports a link made by a newer skbwalk', async () => {
    expect(expectError(await decodeState('#s=5.AAAA'))).toBe(
      'this link was made by a newer skbwalk (format 5); this version reads formats 1, 2, 3 and 4',
    );
    expect(expectError(await decodeState('#s=0.AAAA'))).toBe(
      "the link's format number 0 does not exist; this version reads formats 1, 2, 3 and 4",
    );
    expect(expectError(await decodeState('#s=x1.AAAA'))).toBe(
      'the link\'s format number "x1" is not a number (expected "#s=4.…")',
    );
    expect(expectError(await decodeState('#s=1'))).toBe('the link is truncated (its data is missing); copy the whole link again');
  });

  it('reports links with no state', async () => {
    for (const h of ['', '#', '#panel=skb', 'https://example.org/skbwalk/', '   ']) {
      expect(expectError(await decodeState(h))).toBe('the link holds no skbwalk state (expected "#s=4.…")');
    }
  });

  it('keeps the raw input in the error, and never throws on a non-string', async () => {
    const r = await decodeState('#s=9.x');
    expect(r).toEqual({ ok: false, error: expect.any(String), raw: '#s=9.x' });
    expect(expectError(await decodeState(42 as unknown as string))).toBe('the link is not text');
    expect(expectError(await decodeState(Symbol('x') as unknown as string))).toBe('the link is not text');
  });

  it(`refuses input over ${MAX_LINK_CHARS} characters before looking at it`, async () => {
    const t0 = performance.now();
    const err = expectError(await decodeState(`#s=1.${'A'.repeat(MAX_LINK_CHARS)}`));
    expect(err).toBe('the link is too long (64 KiB; skbwalk reads links up to 64 KiB)');
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('stops decompressing a zip bomb past 256 KiB', async () => {
    const zeros = new Uint8Array(40 * 1024 * 1024); // 40 MiB of zeros → ~40 KiB of deflate data
    const packed = await deflate(zeros);
    const link = frame(packed, crc32(zeros));
    expect(link.length).toBeLessThan(MAX_LINK_CHARS);
    // Count what the decompressor produces: decoding must stop soon after 256 KiB, not inflate all 40 MiB.
    const Real = globalThis.DecompressionStream;
    let produced = 0;
    class Counting {
      readonly writable: WritableStream<BufferSource>;
      readonly readable: ReadableStream<Uint8Array>;
      constructor(format: CompressionFormat) {
        const real = new Real(format);
        this.writable = real.writable;
        this.readable = real.readable.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, c) {
              produced += chunk.byteLength;
              c.enqueue(chunk);
            },
          }),
        );
      }
    }
    globalThis.DecompressionStream = Counting as unknown as typeof DecompressionStream;
    try {
      const t0 = performance.now();
      const err = expectError(await decodeState(link));
      expect(err).toBe("the link's scenario is larger than 256 KiB once unpacked; skbwalk reads scenarios up to 256 KiB");
      expect(performance.now() - t0).toBeLessThan(3000);
    } finally {
      globalThis.DecompressionStream = Real;
    }
    expect(produced).toBeGreaterThan(256 * 1024);
    expect(produced).toBeLessThan(4 * 1024 * 1024);
  });

  it('accepts contents of exactly 256 KiB but not one byte more', async () => {
    const fill = (n: number) => JSON.stringify({ c: 'x'.repeat(n), s: 0 });
    const base = fill(0).length;
    const ok = await linkOfText(fill(256 * 1024 - base));
    expect(expectOk(await decodeState(ok)).scenario.length).toBe(256 * 1024 - base);
    const over = await linkOfText(fill(256 * 1024 - base + 1));
    expect(expectError(await decodeState(over))).toMatch(/larger than 256 KiB/);
  });

  it('reports data that does not decompress, or whose checksum is wrong', async () => {
    const junk = Uint8Array.from({ length: 40 }, (_, i) => (i * 97 + 13) & 0xff);
    expect(expectError(await decodeState(frame(junk, 0)))).toBe('the link is corrupted (its data does not decompress)');
    const bytes = new TextEncoder().encode('{"c":"ping","s":1}');
    expect(expectError(await decodeState(frame(await deflate(bytes), crc32(bytes) ^ 1)))).toBe(
      'the link is corrupted (its checksum does not match its contents)',
    );
    expect(
      expectError(await decodeState(frame(await deflate(Uint8Array.of(0xff, 0xfe)), crc32(Uint8Array.of(0xff, 0xfe))))),
    ).toBe('the link is corrupted (its contents are not UTF-8 text)');
    expect(expectError(await decodeState(await linkOfText('{"c":')))).toBe(
      'the link is corrupted (its contents are not valid JSON)',
    );
  });

  it('reports an invalid length header', async () => {
    expect(expectError(await decodeState(`#s=1.${base64urlEncode(Uint8Array.of(0x80, 0x80, 0x80, 0x01, 0, 0, 0, 0))}`))).toBe(
      'the link is corrupted (its length header is invalid)',
    );
    expect(expectError(await decodeState(`#s=1.${base64urlEncode(Uint8Array.of(0, 0, 0, 0, 0))}`))).toBe(
      'the link is corrupted (its length header is invalid)',
    );
  });

  it('never throws and always settles quickly on arbitrary strings (property)', async () => {
    const b64 = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          b64.map((s) => `#s=1.${s}`),
          fc.tuple(fc.nat(5), b64).map(([v, s]) => `s=${v}.${s}`),
          fc.uint8Array({ maxLength: 200 }).map((b) => `#s=1.${base64urlEncode(b)}`),
        ),
        async (input) => {
          const t0 = performance.now();
          const r = await decodeState(input);
          expect(performance.now() - t0).toBeLessThan(1000);
          expect(r.ok === true || (typeof r.error === 'string' && r.error.length > 0 && r.raw === input)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  }, 30_000);

  it('never throws on valid framing around arbitrary JSON (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        const r = await decodeState(await linkOfJson(v));
        if (r.ok) {
          expect(typeof r.state.scenario).toBe('string');
          expect(Number.isInteger(r.state.step)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});

describe('format 1 schema', () => {
  const cases: [unknown, string][] = [
    [[1, 2], "the link's contents are not an object"],
    ['ping', "the link's contents are not an object"],
    [null, "the link's contents are not an object"],
    [{ s: 0 }, "the link's scenario is missing"],
    [{ c: 5, s: 0 }, "the link's scenario is not text (it is a number)"],
    [{ c: '  \n', s: 0 }, "the link's scenario is empty"],
    [{ c: 'a\u0000b', s: 0 }, "the link's scenario contains a NUL character"],
    [{ c: 'ping' }, "the link's step is missing"],
    [{ c: 'ping', s: -1 }, "the link's step must be a whole number from 0 to 20000000 (it is -1)"],
    [{ c: 'ping', s: 1.5 }, "the link's step must be a whole number from 0 to 20000000 (it is 1.5)"],
    [{ c: 'ping', s: '3' }, `the link's step must be a whole number from 0 to 20000000 (it is "3")`],
    [{ c: 'ping', s: 20_000_001 }, "the link's step must be a whole number from 0 to 20000000 (it is 20000001)"],
    [{ c: 'ping', s: 1e300 }, "the link's step must be a whole number from 0 to 20000000 (it is 1e+300)"],
    [{ c: 'ping', s: 0, k: 0 }, "the link's selected skb must be a whole number from 1 to 2147483647 (it is 0)"],
    [{ c: 'ping', s: 0, k: null }, "the link's selected skb must be a whole number from 1 to 2147483647 (it is null)"],
    [{ c: 'ping', s: 0, p: 'skb' }, `the link's panel list is not a list (it is text)`],
    [{ c: 'ping', s: 0, p: Array(17).fill('skb') }, "the link's panel list has 17 entries; at most 16 are allowed"],
    [{ c: 'ping', s: 0, p: ['Skb'] }, `the link's panel list holds "Skb", which is not a panel name`],
    [{ c: 'ping', s: 0, p: [{}] }, `the link's panel list holds an object, which is not a panel name`],
    [{ c: 'ping', s: 0, t: 'blue' }, `the link's theme must be "light" or "dark" (it is "blue")`],
    [{ c: 'ping', s: 0, x: 1 }, `the link's contents have an unknown field "x" (format 1 has c, s, k, p, t)`],
    [
      JSON.parse('{"c":"ping","s":0,"__proto__":{"polluted":1}}'),
      `the link's contents have an unknown field "__proto__" (format 1 has c, s, k, p, t)`,
    ],
    [
      { c: 'ping', s: 0, ['y'.repeat(1000)]: 1 },
      `the link's contents have an unknown field "${'y'.repeat(40)}…" (format 1 has c, s, k, p, t)`,
    ],
  ];
  for (const [json, message] of cases) {
    it(`rejects ${JSON.stringify(json).slice(0, 60)}`, async () => {
      expect(expectError(await decodeState(await linkOfJson(json)))).toBe(message);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('drops unknown and repeated panel names with a warning (newer panels must not break old links)', async () => {
    const r = await decodeState(await linkOfJson({ c: 'ping', s: 2, p: ['skb', 'flamegraph', 'skb', 'events'] }));
    expect(r).toEqual({
      ok: true,
      state: { v: 1, scenario: 'ping', step: 2, panels: ['skb', 'events'] },
      warnings: ['unknown panel "flamegraph" ignored', 'panel "skb" listed twice'],
    });
  });
});

describe('encodeState refuses what cannot be shared', () => {
  const cases: [Partial<ShareState>, RegExp][] = [
    [{ step: -1 }, /^the shared state's step must be a whole number/],
    [{ step: Number.NaN }, /step must be a whole number .* \(it is NaN\)/],
    [{ scenario: '' }, /^the shared state's scenario is empty$/],
    [
      { panels: ['stack'] },
      /^the shared state's unknown panel "stack" \(panels are topology, callstack, skb, events, captures, terminal\)$/,
    ],
    [{ panels: ['skb', 'skb'] }, /panel "skb" listed twice/],
    [{ theme: 'blue' as 'dark' }, /theme must be "light" or "dark"/],
    [{ skb: 1.5 }, /selected skb must be a whole number/],
  ];
  for (const [patch, message] of cases) {
    it(`rejects ${JSON.stringify(patch)}`, async () => {
      await expect(encodeState({ v: 1, scenario: 'ping', step: 0, ...patch })).rejects.toThrow(message);
      await expect(encodeState({ v: 1, scenario: 'ping', step: 0, ...patch })).rejects.toBeInstanceOf(ShareError);
    });
  }

  it('refuses scenarios too large for a link', async () => {
    await expect(encodeState({ v: 1, scenario: 'x'.repeat(256 * 1024 + 1), step: 0 })).rejects.toThrow(/larger than 256 KiB/);
    await expect(encodeState({ v: 1, scenario: `${'"'.repeat(130 * 1024)}`, step: 0 })).rejects.toThrow(
      /too large to share by link \(\d+(\.\d)? KiB; links hold up to 256 KiB\)/,
    );
    // incompressible text: fits in 256 KiB but not in a 64 KiB link
    let x = 0x9e3779b9;
    const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) % 90); // xorshift32
    const noise = Array.from({ length: 120 * 1024 }, () => String.fromCharCode(33 + next())).join('');
    await expect(encodeState({ v: 1, scenario: noise, step: 0 })).rejects.toThrow(
      /the link would be \d+(\.\d)? KiB; links hold up to 64 KiB/,
    );
  });
});

describe('base64url', () => {
  it('round-trips bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const s = base64urlEncode(b);
        expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
        const d = base64urlDecode(s);
        expect(d.ok && Array.from(d.bytes)).toEqual(Array.from(b));
        expect(s).toBe(Buffer.from(b).toString('base64url'));
      }),
    );
  });
  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
