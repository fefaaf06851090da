// The user's own scenarios and where the editor's text comes from. Nothing the
// user wrote is ever overwritten by something they did not write:
// - "Your scenario" (localStorage `skbwalk.scenario`) changes only when the
//   user edits it (or, while there is none, edits anything);
// - editing an example or a shared link's scenario while "Your scenario"
//   holds other text makes an edited copy (`skbwalk.copies`), listed beside it;
// - picking an example or opening a link only shows it.
// Each tab remembers (sessionStorage) what it shows and the fragment it last
// wrote, so a reload reopens the tab's own text instead of the URL's run.
// Pure over Storage-like objects, so the tests drive it without a browser.

export type Source = { kind: 'own' } | { kind: 'copy'; id: string } | { kind: 'example'; id: string } | { kind: 'link' };

export interface SavedCopy {
  id: string;
  title: string;
  text: string;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const OWN_KEY = 'skbwalk.scenario';
export const COPIES_KEY = 'skbwalk.copies';
export const TAB_KEY = 'skbwalk.tab';

/** The menu value of a source ('draft' is "Your scenario", as before copies existed). */
export function sourceKey(s: Source): string {
  switch (s.kind) {
    case 'own':
      return 'draft';
    case 'copy':
      return `copy:${s.id}`;
    case 'example':
      return s.id;
    case 'link':
      return 'link';
  }
}

export function sameSource(a: Source, b: Source): boolean {
  return sourceKey(a) === sourceKey(b);
}

function safeGet(st: KeyValueStorage | null, key: string): string | null {
  try {
    return st?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Returns false when the storage refused (full, disabled): the text then lives only in the page. */
function safeSet(st: KeyValueStorage | null, key: string, value: string): boolean {
  if (!st) return false;
  try {
    st.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Your scenario", or null when there is none. Before edited copies existed,
 * picking an example saved it here: such a text (blank, or exactly an
 * example) is not the user's.
 */
export function readOwn(st: KeyValueStorage | null, isExample: (t: string) => boolean): string | null {
  const t = safeGet(st, OWN_KEY);
  if (t === null || !t.trim() || isExample(t)) return null;
  return t;
}

export function writeOwn(st: KeyValueStorage | null, text: string): boolean {
  return safeSet(st, OWN_KEY, text);
}

export function parseCopies(raw: string | null): SavedCopy[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    if (!Array.isArray(v)) return [];
    return v.filter(
      (c): c is SavedCopy =>
        !!c &&
        typeof c === 'object' &&
        typeof (c as SavedCopy).id === 'string' &&
        typeof (c as SavedCopy).title === 'string' &&
        typeof (c as SavedCopy).text === 'string',
    );
  } catch {
    return [];
  }
}

export function readCopies(st: KeyValueStorage | null): SavedCopy[] {
  return parseCopies(safeGet(st, COPIES_KEY));
}

/** Saves one copy (added or replaced), re-reading the list first so another tab's copies are kept. */
export function writeCopy(st: KeyValueStorage | null, copy: SavedCopy): { ok: boolean; copies: SavedCopy[] } {
  const copies = readCopies(st);
  const i = copies.findIndex((c) => c.id === copy.id);
  if (i >= 0) copies[i] = copy;
  else copies.push(copy);
  return { ok: safeSet(st, COPIES_KEY, JSON.stringify(copies)), copies };
}

/** A title for a new copy that no other copy has: "Bridge (edited)", "Bridge (edited 2)", ... */
export function copyTitle(base: string, copies: SavedCopy[]): string {
  const taken = new Set(copies.map((c) => c.title));
  let title = `${base} (edited)`;
  for (let n = 2; taken.has(title); n++) title = `${base} (edited ${n})`;
  return title;
}

export interface TabRecord {
  source: Source;
  /** The URL fragment this tab last wrote ('' for none). */
  hash: string;
}

export function readTab(st: KeyValueStorage | null): TabRecord | null {
  const raw = safeGet(st, TAB_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as TabRecord;
    if (!v || typeof v.hash !== 'string' || !v.source || typeof v.source.kind !== 'string') return null;
    return v;
  } catch {
    return null;
  }
}

export function writeTab(st: KeyValueStorage | null, rec: TabRecord): void {
  safeSet(st, TAB_KEY, JSON.stringify(rec));
}

/**
 * Where an edit of text shown from `source` is saved: an edit of your own
 * text or of a copy stays there; an edit of an example or a link becomes
 * "Your scenario" while there is none, else a new copy.
 */
export function editTarget(source: Source, own: string | null): 'own' | 'copy' | 'new-copy' {
  if (source.kind === 'own') return 'own';
  if (source.kind === 'copy') return 'copy';
  return own === null ? 'own' : 'new-copy';
}
