// The link format's numbers that code outside the link's reader and writer
// (urlState.ts) needs at startup: the embed options, the host page's messages
// and the app's step numbering. urlState.ts itself is fetched when a link is
// opened or the address bar is first rewritten, after the first view.

/** The format encodeState writes. */
export const SHARE_FORMAT = 4;
/** Highest step (well above twice the engine's DEFAULT_LIMITS.maxSteps calls, src/engine/kernel/world.ts: an entry and a return each). */
export const MAX_STEP = 20_000_000;
