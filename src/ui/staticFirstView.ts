// The default scenario's first view as static HTML. The build writes it into
// index.html (scripts/staticFirstView.tsx, through firstRunPlugin.ts), so a
// reader opening skbwalk sees the diagram at step 0 as soon as the HTML and the
// stylesheet have come, before any script has been fetched or run. It is a
// picture only: inert and hidden from assistive technology (and so from tests
// that find things by role) until the live app replaces it, in the commit that
// draws the same view (mountApp.tsx).
//
// A page that will open on something else (a link, an embed, the reader's own
// text) must never show it: a small script in the page's head, the build's
// inlined copy of `opensOnDefault`, marks such a page before its first paint,
// and the stylesheet hides the picture there.

/** The storage keys and the default example's id that `opensOnDefault` reads. */
export interface StaticViewKeys {
  own: string;
  tab: string;
  example: string;
}

interface StringStore {
  getItem(key: string): string | null;
}

/**
 * Whether the page opens on the default example with nothing else to apply: no
 * link, no embed options, no text of the reader's own, and this tab not last
 * showing another text. False whenever unsure: the page then waits for the
 * live app, as it does without a static picture.
 *
 * The build inlines this function's source into the page's head, so it uses
 * nothing from outside it (its keys come as an argument) and only what every
 * browser skbwalk runs in has.
 */
export function opensOnDefault(
  loc: { hash: string; search: string },
  local: StringStore | null,
  tab: StringStore | null,
  keys: StaticViewKeys,
): boolean {
  if (loc.hash.length > 1 || loc.search.length > 1) return false;
  try {
    const own = local ? local.getItem(keys.own) : null;
    if (own !== null && own.trim() !== '') return false;
    const raw = tab ? tab.getItem(keys.tab) : null;
    if (raw === null) return true;
    const record = JSON.parse(raw) as { source?: { kind?: unknown; id?: unknown } } | null;
    const source = record ? record.source : undefined;
    if (!source) return true;
    // A tab last showing a link reopens its text only with the link in the address bar.
    return source.kind === 'link' || (source.kind === 'example' && source.id === keys.example);
  } catch {
    return false;
  }
}

/** The attribute the head's script puts on <html> when the page will not open on the static picture. */
export const LIVE_ONLY_ATTR = 'data-live-only';
/** The attribute the build puts on #root while it holds the static picture. */
export const STATIC_ATTR = 'data-static-first-view';

/** Whether `root` holds the static picture and the page is opening on it. */
export function showsStaticFirstView(root: Element): boolean {
  return root.hasAttribute(STATIC_ATTR) && !root.ownerDocument.documentElement.hasAttribute(LIVE_ONLY_ATTR);
}

/** Called in the live app's first commit, which replaced the static picture: `root` is the app's from now on. */
export function goLive(root: Element): void {
  root.removeAttribute(STATIC_ATTR);
  root.removeAttribute('inert');
  root.removeAttribute('aria-hidden');
}
