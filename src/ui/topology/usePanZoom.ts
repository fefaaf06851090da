// Where the diagram is shown in its panel (a translation and a scale). The
// first picture is placed at once; dragging and wheel zoom (d3-zoom, in
// panZoom.ts) arrive after the first view and take over from the same place.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { deferred, useDeferred } from '../afterFirstView.ts';
import type { AttachedPanZoom } from './panZoom.ts';

/** The picture is drawn scaled by k, then moved by (x, y). */
export interface PanZoomView {
  x: number;
  y: number;
  k: number;
}

export interface PanZoom {
  current(): PanZoomView;
  /** Shows `v` at once. */
  set(v: PanZoomView): void;
  /** Moves to `v` over `ms` (at once until pan and zoom have loaded). */
  glide(v: PanZoomView, ms: number): void;
}

const panZoomModule = deferred(() => import('./panZoom.ts'));

const transformOf = (v: PanZoomView) => `translate(${v.x},${v.y}) scale(${v.k})`;

/** Pan and zoom of `svg` (of `size`, once measured), drawing into `g`; `drawn` is true while both are on the page. */
export function usePanZoom(
  svg: RefObject<SVGSVGElement | null>,
  g: RefObject<SVGGElement | null>,
  drawn: boolean,
  size: { width: number; height: number } | undefined,
): PanZoom {
  const mod = useDeferred(panZoomModule);
  const held = useRef<{ view: PanZoomView; attached: AttachedPanZoom | null; size: typeof size }>({
    view: { x: 0, y: 0, k: 1 },
    attached: null,
    size,
  });
  useEffect(() => {
    held.current.size = size;
    if (size) held.current.attached?.resize(size);
  }, [size]);
  const [control] = useState<PanZoom>(() => {
    const set = (v: PanZoomView) => {
      held.current.view = v;
      if (held.current.attached) held.current.attached.set(v);
      else g.current?.setAttribute('transform', transformOf(v));
    };
    return {
      current: () => held.current.attached?.current() ?? held.current.view,
      set,
      glide(v, ms) {
        held.current.view = v;
        if (held.current.attached) held.current.attached.glide(v, ms);
        else set(v);
      },
    };
  });
  useEffect(() => {
    const s = svg.current;
    const gr = g.current;
    if (!mod || !s || !gr) return;
    const h = held.current;
    const attached = mod.attachPanZoom(s, gr, h.view, h.size);
    h.attached = attached;
    return () => {
      h.view = attached.current();
      h.attached = null;
      attached.detach();
    };
  }, [mod, drawn, svg, g]);
  return control;
}
