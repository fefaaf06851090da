// The diagram as a picture that stands alone: the <svg> inside the Topology
// region, serialized with the styles the stylesheet gives it (computed, then
// written onto each element, since the file will have no stylesheet), on the
// region's own background colour, at its size on screen; and as PNG, that SVG
// drawn on a canvas. Knows nothing of how the diagram is drawn.

/** The presentation properties an SVG needs to look as it does on screen. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'text-decoration',
  'white-space',
  'paint-order',
  'transform',
  'transform-origin',
  'transform-box',
  'marker-start',
  'marker-mid',
  'marker-end',
  'filter',
  'clip-path',
  'mask',
];

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The Topology region's diagram: its largest <svg> (icons and tokens may be svgs too). */
export function findDiagram(root: ParentNode = document): SVGSVGElement | null {
  const region = root.querySelector<HTMLElement>('section[aria-label="Topology"], [role="region"][aria-label="Topology"]');
  if (!region) return null;
  let best: SVGSVGElement | null = null;
  let bestArea = -1;
  for (const svg of region.querySelectorAll<SVGSVGElement>('svg')) {
    if (svg.parentElement?.closest('svg')) continue; // nested in another svg
    const r = svg.getBoundingClientRect();
    const area = r.width * r.height;
    if (area > bestArea) {
      best = svg;
      bestArea = area;
    }
  }
  return best;
}

/** The first opaque background colour from the element up (the page's if none). */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return 'white';
}

function inlineStyles(source: Element, copy: Element): void {
  const cs = getComputedStyle(source);
  const style: string[] = [];
  for (const p of STYLE_PROPERTIES) {
    const v = cs.getPropertyValue(p);
    if (v && !(p === 'transform' && v === 'none')) style.push(`${p}:${v}`);
  }
  if (style.length) copy.setAttribute('style', style.join(';'));
  copy.removeAttribute('class');
  const from = source.children;
  const to = copy.children;
  for (let i = 0; i < from.length && i < to.length; i++) inlineStyles(from[i], to[i]);
}

export interface DiagramImage {
  svg: string;
  width: number;
  height: number;
}

/** The diagram as a standalone SVG document, styles inlined. */
export function serializeDiagram(svg: SVGSVGElement): DiagramImage {
  const rect = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(rect.width));
  const height = Math.max(1, Math.round(rect.height));
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, copy);
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // Interaction and accessibility attributes mean nothing in a file.
  for (const el of [copy, ...copy.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) if (/^on|^tabindex$|^data-/i.test(a.name)) el.removeAttribute(a.name);
  }
  // The region's background under everything, so the picture reads the same out of the page.
  const vb = copy.viewBox.baseVal;
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(vb && vb.width ? vb.x : 0));
  bg.setAttribute('y', String(vb && vb.height ? vb.y : 0));
  bg.setAttribute('width', String(vb && vb.width ? vb.width : width));
  bg.setAttribute('height', String(vb && vb.height ? vb.height : height));
  bg.setAttribute('fill', backgroundOf(svg));
  copy.insertBefore(bg, copy.firstChild);
  const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
  return { svg: text, width, height };
}

/** The SVG drawn on a canvas at `scale` times its size, as a PNG. */
export async function diagramPng(image: DiagramImage, scale = 2): Promise<Blob> {
  const img = new Image();
  img.decoding = 'sync';
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(image.svg);
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, image.width, image.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not make a PNG'))), 'image/png'),
  );
}
