// Pan and zoom of the diagram by hand (drag, wheel) with d3-zoom, fetched
// after the first view (usePanZoom.ts places the picture until it arrives).
import { interpolate, select, zoom, zoomIdentity, zoomTransform, type ZoomTransform } from 'd3';
import type { PanZoomView } from './usePanZoom.ts';

export interface AttachedPanZoom {
  current(): PanZoomView;
  /** The panel's size: d3 would otherwise measure the svg, making the browser lay the page out at once. */
  resize(size: { width: number; height: number }): void;
  set(v: PanZoomView): void;
  glide(v: PanZoomView, ms: number): void;
  detach(): void;
}

const toTransform = (v: PanZoomView): ZoomTransform => zoomIdentity.translate(v.x, v.y).scale(v.k);

/** Lets the reader drag and wheel-zoom `svg` (of `size`), drawing into `g`; starts at `start`. */
export function attachPanZoom(
  svg: SVGSVGElement,
  g: SVGGElement,
  start: PanZoomView,
  size: { width: number; height: number } | undefined,
): AttachedPanZoom {
  let extent: [[number, number], [number, number]] | null = size
    ? [
        [0, 0],
        [size.width, size.height],
      ]
    : null;
  const z = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.25, 4])
    .extent(
      () =>
        extent ?? [
          [0, 0],
          [svg.clientWidth, svg.clientHeight],
        ],
    )
    // Pan in a straight line: d3's default zooms out mid-flight, which would shrink the text.
    .interpolate(interpolate)
    .on('zoom', (e: { transform: ZoomTransform }) => {
      select(g).attr('transform', e.transform.toString());
    });
  select(svg).call(z).on('dblclick.zoom', null);
  select(svg).call(z.transform, toTransform(start));
  return {
    current() {
      const t = zoomTransform(svg);
      return { x: t.x, y: t.y, k: t.k };
    },
    resize(next) {
      extent = [
        [0, 0],
        [next.width, next.height],
      ];
    },
    set(v) {
      select(svg).call(z.transform, toTransform(v));
    },
    glide(v, ms) {
      select(svg).transition().duration(ms).call(z.transform, toTransform(v));
    },
    detach() {
      select(svg).on('.zoom', null);
    },
  };
}
