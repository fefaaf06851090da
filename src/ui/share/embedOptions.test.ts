import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_EMBED_OPTIONS,
  DEFAULT_EMBED_TITLE,
  MAX_SPEED,
  MIN_SPEED,
  embedSnippet,
  embedUrl,
  escapeAttr,
  parseEmbedOptions,
} from './embedOptions.ts';

const defaults = { ...DEFAULT_EMBED_OPTIONS, warnings: [] };

describe('parseEmbedOptions', () => {
  it('gives the defaults for an empty query', () => {
    for (const s of ['', '?', '?#s=1.abc', 'https://example.org/skbwalk/']) expect(parseEmbedOptions(s)).toEqual(defaults);
    expect(defaults).toMatchObject({
      embed: false,
      autoplay: false,
      speed: 1,
      panel: 'callstack',
      theme: null,
      from: null,
      to: null,
      controls: true,
    });
  });

  it('reads every option', () => {
    expect(parseEmbedOptions('?embed=1&autoplay=true&speed=2.5&panel=skb&theme=dark&from=10&to=120&controls=0')).toEqual({
      embed: true,
      autoplay: true,
      speed: 2.5,
      panel: 'skb',
      theme: 'dark',
      from: 10,
      to: 120,
      controls: false,
      warnings: [],
    });
  });

  it('reads the query of a whole URL, without the ? and ignores the fragment', () => {
    expect(parseEmbedOptions('https://example.org/skbwalk/index.html?embed=1&panel=events#s=1.x?panel=skb').panel).toBe('events');
    expect(parseEmbedOptions('embed=1&panel=terminal')).toMatchObject({ embed: true, panel: 'terminal' });
  });

  it('treats a bare flag as on and accepts yes/no/on/off/true/false', () => {
    expect(parseEmbedOptions('?embed&autoplay=')).toMatchObject({ embed: true, autoplay: true, warnings: [] });
    expect(parseEmbedOptions('?embed=YES&autoplay=off&controls=No')).toMatchObject({
      embed: true,
      autoplay: false,
      controls: false,
      warnings: [],
    });
  });

  it('falls back to the default for each invalid value and says why', () => {
    const o = parseEmbedOptions('?embed=maybe&autoplay=2&speed=fast&panel=topology&theme=blue&from=-3&to=1e3&controls=hidden');
    expect(o).toEqual({
      ...DEFAULT_EMBED_OPTIONS,
      warnings: [
        'embed option embed="maybe" is not 1 or 0; using 0',
        'embed option autoplay="2" is not 1 or 0; using 0',
        'embed option controls="hidden" is not 1 or 0; using 1',
        'embed option speed="fast" is not a number; using 1',
        'embed option panel="topology" is not one of callstack, skb, events, captures, terminal; using callstack',
        'embed option theme="blue" is not light or dark; following the system theme',
        'embed option from="-3" is not a step number (0 to 20000000); ignored',
        'embed option to="1e3" is not a step number (0 to 20000000); ignored',
      ],
    });
  });

  it('clamps the speed', () => {
    expect(parseEmbedOptions('?speed=100')).toMatchObject({
      speed: MAX_SPEED,
      warnings: ['embed option speed=100 is above 8; using 8'],
    });
    expect(parseEmbedOptions('?speed=0')).toMatchObject({
      speed: MIN_SPEED,
      warnings: ['embed option speed=0 is below 0.25; using 0.25'],
    });
    expect(parseEmbedOptions('?speed=.5').speed).toBe(0.5);
    for (const bad of ['NaN', 'Infinity', '-1', '0x10', '1e2', '', ' ']) expect(parseEmbedOptions(`?speed=${bad}`).speed).toBe(1);
  });

  it('drops a range end before its start', () => {
    expect(parseEmbedOptions('?from=50&to=10')).toMatchObject({
      from: 50,
      to: null,
      warnings: ['embed option to=10 is before from=50; ignored'],
    });
    expect(parseEmbedOptions('?from=0&to=0')).toMatchObject({ from: 0, to: 0, warnings: [] });
    expect(parseEmbedOptions('?from=20000001').from).toBeNull();
  });

  it('uses the first of repeated options, warns about unknown ones, is case-insensitive', () => {
    expect(parseEmbedOptions('?panel=skb&panel=events&Theme=DARK&utm_source=x')).toMatchObject({
      panel: 'skb',
      theme: 'dark',
      warnings: ['embed option panel is given more than once; using the first', 'unknown embed option "utm_source" ignored'],
    });
  });

  it('ignores absurdly long queries', () => {
    const o = parseEmbedOptions(`?embed=1&x=${'a'.repeat(5000)}`);
    expect(o.embed).toBe(false);
    expect(o.warnings).toEqual(['the query string is longer than 4096 characters; all embed options ignored']);
  });

  it('never throws and always returns valid options (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.webQueryParameters().map((q) => `?${q}`),
        ),
        (s) => {
          const o = parseEmbedOptions(s);
          expect(o.speed).toBeGreaterThanOrEqual(MIN_SPEED);
          expect(o.speed).toBeLessThanOrEqual(MAX_SPEED);
          expect(['callstack', 'skb', 'events', 'captures', 'terminal']).toContain(o.panel);
          expect([null, 'light', 'dark']).toContain(o.theme);
          if (o.from !== null && o.to !== null) expect(o.to).toBeGreaterThanOrEqual(o.from);
        },
      ),
    );
  });
});

describe('embedUrl', () => {
  it('adds embed=1 and the non-default options, keeping the state fragment', () => {
    expect(embedUrl('https://example.org/skbwalk/#s=1.abc')).toBe('https://example.org/skbwalk/?embed=1#s=1.abc');
    expect(
      embedUrl('https://example.org/skbwalk/?panel=skb&lang=en#s=1.abc', {
        autoplay: true,
        speed: 2,
        panel: 'events',
        theme: 'light',
        from: 3,
        to: 9,
        controls: false,
      }),
    ).toBe(
      'https://example.org/skbwalk/?lang=en&embed=1&autoplay=1&speed=2&panel=events&theme=light&from=3&to=9&controls=0#s=1.abc',
    );
  });
  it('drops invalid option values', () => {
    expect(embedUrl('https://example.org/', { speed: 99, panel: 'nope' as 'skb', from: -1 })).toBe(
      'https://example.org/?embed=1&speed=8',
    );
  });
  it('refuses URLs that are not http(s)', () => {
    expect(() => embedUrl('javascript:alert(1)')).toThrow(TypeError);
    expect(() => embedUrl('data:text/html,<script>alert(1)</script>')).toThrow(/must be http or https/);
    expect(() => embedUrl('not a url')).toThrow(TypeError);
  });
});

describe('embedSnippet', () => {
  it('makes an iframe', () => {
    expect(embedSnippet('https://example.org/skbwalk/#s=1.abc')).toBe(
      `<iframe src="https://example.org/skbwalk/?embed=1#s=1.abc" title="${DEFAULT_EMBED_TITLE}" width="800" height="500" loading="lazy" style="border:0" allow="clipboard-write"></iframe>`,
    );
    expect(embedSnippet('https://example.org/a?x=1&y=2', { autoplay: true }, { width: 640, height: 360 }, 'ping')).toBe(
      '<iframe src="https://example.org/a?x=1&amp;y=2&amp;embed=1&amp;autoplay=1" title="ping" width="640" height="360" loading="lazy" style="border:0" allow="clipboard-write"></iframe>',
    );
  });

  it('escapes hostile titles', () => {
    const s = embedSnippet('https://example.org/', {}, undefined, `"><script>alert('x')</script><b a="&amp;`);
    expect(s).toContain(`title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;b a=&quot;&amp;amp;"`);
    expect(s).not.toMatch(/<script/);
    expect(embedSnippet('https://example.org/', {}, undefined, 'a\n\t\u0000b   c')).toContain('title="a b c"');
    expect(embedSnippet('https://example.org/', {}, undefined, '   ')).toContain(`title="${DEFAULT_EMBED_TITLE}"`);
    expect(embedSnippet('https://example.org/', {}, undefined, 'x'.repeat(500))).toContain(`title="${'x'.repeat(199)}…"`);
  });

  it('escapes hostile URLs', () => {
    const s = embedSnippet(`https://example.org/"onload="alert(1)'/?q="><script>&a=<b>#s=1.x"'<>&`);
    const src = /^<iframe src="([^"]*)" title=/.exec(s)?.[1];
    expect(src).toBeDefined();
    expect(src).not.toMatch(/[<>"']/);
    // The attribute decodes back to a URL with the same query and fragment.
    const decoded = src!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    const u = new URL(decoded);
    expect(u.origin).toBe('https://example.org');
    expect(u.searchParams.get('q')).toBe('"><script>');
    expect(u.searchParams.get('embed')).toBe('1');
    expect(u.hash).toBe("#s=1.x%22'%3C%3E&");
  });

  it('every snippet is exactly one well-formed iframe element (property)', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer(),
        fc.double(),
        (url, title, w, h) => {
          const s = embedSnippet(url, {}, { width: w, height: h }, title);
          const m =
            /^<iframe src="([^"<>]*)" title="([^"<>]*)" width="(\d+)" height="(\d+)" loading="lazy" style="border:0" allow="clipboard-write"><\/iframe>$/.exec(
              s,
            );
          expect(m).not.toBeNull();
          const [, , , ww, hh] = m!;
          expect(Number(ww)).toBeGreaterThanOrEqual(100);
          expect(Number(hh)).toBeLessThanOrEqual(4000);
          // attribute values contain no raw & except as entity starts
          expect(m![1]).not.toMatch(/&(?!amp;|quot;|#39;|lt;|gt;)/);
          expect(m![2]).not.toMatch(/&(?!amp;|quot;|#39;|lt;|gt;)/);
        },
      ),
    );
  });

  it('escapeAttr escapes the five characters', () => {
    expect(escapeAttr(`&<>"'x`)).toBe('&amp;&lt;&gt;&quot;&#39;x');
  });
});
