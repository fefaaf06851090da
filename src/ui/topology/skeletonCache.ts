// The shapes dagre has laid out (layout.ts), by the key of the machine's
// shape: stepping through a run lays its shape out once. The build lays out
// the shape of the first run it ships (scripts/firstRunPlugin.ts), and the page
// remembers it before drawing (main.tsx), so the first picture is drawn
// without dagre's first, slowest layout. No dagre here: the page's entry
// imports this module.
import type { Link, Rect } from './layout.ts';

/** Where dagre put the stacks, devices and cables of a machine's shape, before their contents are sized in. */
export interface Skeleton {
  rects: Map<string, Rect>;
  edges: {
    key: string;
    kind: Link['kind'];
    v: string;
    w: string;
    from: number;
    to: number;
    points: { x: number; y: number }[];
  }[];
}

/** A skeleton as plain data (a module's source, a message): its key, rects as entries, edges. */
export type SkeletonData = [key: string, rects: [string, Rect][], edges: Skeleton['edges']];

const SKELETONS_KEPT = 4;
const skeletons = new Map<string, Skeleton>();

/** The skeleton laid out for `key`, if kept (it becomes the most recently used). */
export function keptSkeleton(key: string): Skeleton | undefined {
  const sk = skeletons.get(key);
  if (sk) {
    skeletons.delete(key);
    skeletons.set(key, sk);
  }
  return sk;
}

/** Keeps a skeleton laid out for `key`; the least recently used goes beyond SKELETONS_KEPT. */
export function keepSkeleton(key: string, sk: Skeleton): void {
  skeletons.delete(key);
  skeletons.set(key, sk);
  while (skeletons.size > SKELETONS_KEPT) skeletons.delete(skeletons.keys().next().value!);
}

/** The skeletons kept, as plain data. */
export function exportSkeletons(): SkeletonData[] {
  return [...skeletons].map(([key, sk]) => [key, [...sk.rects], sk.edges]);
}

/** Keeps skeletons given as plain data (laid out elsewhere: at build time). */
export function importSkeletons(data: readonly SkeletonData[]): void {
  for (const [key, rects, edges] of data) keepSkeleton(key, { rects: new Map(rects), edges });
}
