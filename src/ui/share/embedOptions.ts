// Embed options: query parameters the embedding page puts on the iframe's src,
// e.g. `index.html?embed=1&autoplay=1&panel=skb#s=1.…`. They live in the query
// (not in the fragment with the state) because the page that embeds skbwalk
// chooses them once, while the app rewrites the fragment on every step.
//
// parseEmbedOptions never throws: every missing or invalid value falls back to
// its default, and every invalid one is reported in `warnings`.

import { MAX_STEP } from './linkFormat.ts';

export const EMBED_PANELS = ['callstack', 'skb', 'events', 'captures', 'terminal'] as const;
export type EmbedPanel = (typeof EMBED_PANELS)[number];

export interface EmbedOptions {
  /** Compact embedded layout. */
  embed: boolean;
  /** Start playing once the run is loaded. */
  autoplay: boolean;
  /** Playback speed as a multiple of the app's normal speed (MIN_SPEED..MAX_SPEED). */
  speed: number;
  /** The panel shown beside the topology. */
  panel: EmbedPanel;
  /** Colour theme; null = follow the reader's system setting. */
  theme: 'light' | 'dark' | null;
  /** First step of the range playback covers (null = 0). */
  from: number | null;
  /** Last step of the range playback covers (null = the last step). */
  to: number | null;
  /** Show the step/play controls. */
  controls: boolean;
}

export const DEFAULT_EMBED_OPTIONS: Readonly<EmbedOptions> = Object.freeze({
  embed: false,
  autoplay: false,
  speed: 1,
  panel: 'callstack',
  theme: null,
  from: null,
  to: null,
  controls: true,
});

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 8;
/** Longest query string parseEmbedOptions looks at. */
export const MAX_SEARCH_CHARS = 4096;

const KEYS = ['embed', 'autoplay', 'speed', 'panel', 'theme', 'from', 'to', 'controls'] as const;
type Key = (typeof KEYS)[number];

/**
 * Reads the embed options from a query string (`?embed=1&…`, with or without
 * the `?`, or a whole URL: only its query is read).
 */
export function parseEmbedOptions(search: string): EmbedOptions & { warnings: string[] } {
  const o: EmbedOptions = { ...DEFAULT_EMBED_OPTIONS };
  const warnings: string[] = [];
  let q = typeof search === 'string' ? search : '';
  const hash = q.indexOf('#');
  if (hash >= 0) q = q.slice(0, hash);
  const mark = q.indexOf('?');
  if (mark >= 0) q = q.slice(mark + 1);
  else if (/^([a-z][a-z0-9+.-]*:|[/.])/i.test(q)) q = ''; // a URL without a query
  if (q.length > MAX_SEARCH_CHARS) {
    warnings.push(`the query string is longer than ${MAX_SEARCH_CHARS} characters; all embed options ignored`);
    return { ...o, warnings };
  }
  const seen = new Set<string>();
  const values = new Map<Key, string>();
  for (const [rawKey, rawValue] of new URLSearchParams(q)) {
    const key = rawKey.trim().toLowerCase();
    if (!(KEYS as readonly string[]).includes(key)) {
      if (key) warnings.push(`unknown embed option ${quote(rawKey)} ignored`);
      continue;
    }
    if (seen.has(key)) {
      warnings.push(`embed option ${key} is given more than once; using the first`);
      continue;
    }
    seen.add(key);
    values.set(key as Key, rawValue.trim());
  }

  const bool = (key: 'embed' | 'autoplay' | 'controls') => {
    const v = values.get(key);
    if (v === undefined) return;
    const b = parseBool(v);
    if (b === null) warnings.push(`embed option ${key}=${quote(v)} is not 1 or 0; using ${o[key] ? 1 : 0}`);
    else o[key] = b;
  };
  bool('embed');
  bool('autoplay');
  bool('controls');

  const speed = values.get('speed');
  if (speed !== undefined) {
    const n = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(speed) ? Number(speed) : Number.NaN;
    if (!Number.isFinite(n)) warnings.push(`embed option speed=${quote(speed)} is not a number; using ${o.speed}`);
    else if (n < MIN_SPEED) {
      warnings.push(`embed option speed=${speed} is below ${MIN_SPEED}; using ${MIN_SPEED}`);
      o.speed = MIN_SPEED;
    } else if (n > MAX_SPEED) {
      warnings.push(`embed option speed=${speed} is above ${MAX_SPEED}; using ${MAX_SPEED}`);
      o.speed = MAX_SPEED;
    } else o.speed = n;
  }

  const panel = values.get('panel');
  if (panel !== undefined) {
    const p = panel.toLowerCase();
    if ((EMBED_PANELS as readonly string[]).includes(p)) o.panel = p as EmbedPanel;
    else warnings.push(`embed option panel=${quote(panel)} is not one of ${EMBED_PANELS.join(', ')}; using ${o.panel}`);
  }

  const theme = values.get('theme');
  if (theme !== undefined) {
    const t = theme.toLowerCase();
    if (t === 'light' || t === 'dark') o.theme = t;
    else if (t !== 'auto' && t !== '')
      warnings.push(`embed option theme=${quote(theme)} is not light or dark; following the system theme`);
  }

  const step = (key: 'from' | 'to') => {
    const v = values.get(key);
    if (v === undefined || v === '') return;
    const n = /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n > MAX_STEP) {
      warnings.push(`embed option ${key}=${quote(v)} is not a step number (0 to ${MAX_STEP}); ignored`);
      return;
    }
    o[key] = n;
  };
  step('from');
  step('to');
  if (o.from !== null && o.to !== null && o.to < o.from) {
    warnings.push(`embed option to=${o.to} is before from=${o.from}; ignored`);
    o.to = null;
  }
  return { ...o, warnings };
}

function parseBool(v: string): boolean | null {
  switch (v.toLowerCase()) {
    case '':
    case '1':
    case 'true':
    case 'yes':
    case 'on':
      return true;
    case '0':
    case 'false':
    case 'no':
    case 'off':
      return false;
    default:
      return null;
  }
}

/**
 * The URL to embed: `appUrl` (http or https; its fragment, holding the state,
 * is kept) with `embed=1` and every non-default option in its query. Invalid
 * option values are dropped. Throws TypeError for a URL that is not http(s).
 */
export function embedUrl(appUrl: string, opts: Partial<EmbedOptions> = {}): string {
  const u = new URL(appUrl);
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new TypeError(`an embed URL must be http or https, not ${u.protocol}`);
  for (const k of KEYS) u.searchParams.delete(k);
  // Round-trip through the parser so only valid values are written.
  const o = normalize(opts);
  u.searchParams.set('embed', '1');
  if (o.autoplay) u.searchParams.set('autoplay', '1');
  if (o.speed !== DEFAULT_EMBED_OPTIONS.speed) u.searchParams.set('speed', String(o.speed));
  if (o.panel !== DEFAULT_EMBED_OPTIONS.panel) u.searchParams.set('panel', o.panel);
  if (o.theme) u.searchParams.set('theme', o.theme);
  if (o.from !== null) u.searchParams.set('from', String(o.from));
  if (o.to !== null) u.searchParams.set('to', String(o.to));
  if (!o.controls) u.searchParams.set('controls', '0');
  return u.href;
}

function normalize(opts: Partial<EmbedOptions>): EmbedOptions {
  const p = new URLSearchParams();
  const put = (k: Key, v: unknown) => {
    if (v === undefined || v === null) return;
    if (typeof v === 'boolean') p.set(k, v ? '1' : '0');
    else if (typeof v === 'number' || typeof v === 'string') p.set(k, String(v));
  };
  for (const k of KEYS) put(k, (opts as Record<string, unknown>)[k]);
  const { warnings: _ignored, ...o } = parseEmbedOptions(p.toString());
  return o;
}

export interface EmbedSize {
  width: number;
  height: number;
}

export const DEFAULT_EMBED_TITLE = 'skbwalk: a packet through the Linux kernel, step by step';

/**
 * The `<iframe>` snippet a blogger pastes. `url` is the app URL to embed
 * (usually the share link, location.href); see embedUrl for `opts`. Width and
 * height are clamped to 100..4000 pixels; the title is flattened to one line of
 * at most 200 characters. Every attribute is HTML-escaped.
 */
export function embedSnippet(
  url: string,
  opts: Partial<EmbedOptions> = {},
  size: EmbedSize = { width: 800, height: 500 },
  title: string = DEFAULT_EMBED_TITLE,
): string {
  const src = embedUrl(url, opts);
  const width = pixels(size?.width, 800);
  const height = pixels(size?.height, 500);
  let t =
    typeof title === 'string'
      ? [...title]
          .map((c) => (isControlChar(c) ? ' ' : c))
          .join('')
          .replace(/\s+/g, ' ')
          .trim()
      : '';
  if (t.length > 200) t = `${t.slice(0, 199)}…`;
  if (!t) t = DEFAULT_EMBED_TITLE;
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(t)}" width="${width}" height="${height}" loading="lazy" style="border:0" allow="clipboard-write"></iframe>`;
}

function pixels(v: unknown, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(4000, Math.max(100, Math.round(v)));
}

/** Escapes text for a double- or single-quoted HTML attribute value (or text content). */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** C0 and C1 control characters (and DEL): never kept in an attribute. */
function isControlChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}
