// Structural sharing between two views of a run. Every view arrives from the
// engine's worker as fresh objects, even where nothing changed since the
// previous step (a device, a namespace's sockets, the outer frames of the
// stack, the skb the panel shows). Handing the UI the previous step's object
// wherever the new one is equal to it lets components skip what did not
// change by identity (React.memo, useMemo) instead of redrawing it, or
// comparing it field by field, at every step.

type Plain = Record<string, unknown>;

function isPlain(x: unknown): x is Plain {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The key an array's items are matched by across two views: the engine's id of what they stand for. */
function itemKey(x: unknown): number | undefined {
  if (!isPlain(x)) return undefined;
  const k = typeof x.uid === 'number' ? x.uid : x.id;
  return typeof k === 'number' ? k : undefined;
}

function shareArray(prev: unknown[], next: unknown[]): unknown[] {
  let same = prev.length === next.length;
  // Items that carry an id are matched by it: an skb added in front must not make every later one differ.
  let byKey: Map<number, unknown> | null = null;
  const out = new Array<unknown>(next.length);
  for (let i = 0; i < next.length; i++) {
    let old = i < prev.length ? prev[i] : undefined;
    const key = itemKey(next[i]);
    if (key !== undefined && itemKey(old) !== key) {
      if (!byKey) {
        byKey = new Map();
        for (const p of prev) {
          const k = itemKey(p);
          if (k !== undefined && !byKey.has(k)) byKey.set(k, p);
        }
      }
      old = byKey.get(key);
    }
    const v = old === undefined ? next[i] : share(old, next[i]);
    out[i] = v;
    if (same && v !== prev[i]) same = false;
  }
  return same ? prev : out;
}

function shareObject(prev: Plain, next: Plain): Plain {
  const keys = Object.keys(next);
  let same = keys.length === Object.keys(prev).length;
  const out: Plain = {};
  for (const k of keys) {
    const had = Object.prototype.hasOwnProperty.call(prev, k);
    const v = had ? share(prev[k], next[k]) : next[k];
    out[k] = v;
    if (same && (!had || v !== prev[k])) same = false;
  }
  return same ? prev : out;
}

function share(prev: unknown, next: unknown): unknown {
  if (Object.is(prev, next)) return prev;
  if (Array.isArray(prev) && Array.isArray(next)) return shareArray(prev, next);
  if (isPlain(prev) && isPlain(next)) return shareObject(prev, next);
  return next;
}

/**
 * `next`, deep-equal to it, where every part (object or array) deep-equal to
 * the corresponding part of `prev` is `prev`'s own object. Items of arrays
 * are matched by position, or by their `uid`/`id` when they have one. Plain
 * data only (what a structured clone gives: objects, arrays, primitives);
 * neither argument is modified.
 */
export function shareEqual<T>(prev: unknown, next: T): T {
  return share(prev, next) as T;
}
