/**
 * Picking a point on a chart: the panel a view marks as pickable carries its two parameters and the
 * linear maps of its x and y scales as data attributes, written wherever it is drawn (at build time
 * and live). A click then reads as data coordinates from the SVG alone, so the first click on the
 * build-time picture counts, before Plot or the engine has loaded.
 *
 * @module
 */

/** The part of a Plot chart this needs: its scales' type, domain and range. */
interface ScaledChart {
  scale?(name: string): { type?: string; domain?: unknown[]; range?: unknown[] } | undefined;
}

export interface Pick {
  readonly panel: number;
  /** The parameters the x and the y of the clicked point set. */
  readonly x: string;
  readonly y: string;
}

/** `d0 d1 r0 r1`: the scale maps domain [d0, d1] linearly onto pixels [r0, r1]. */
function linearMap(chart: ScaledChart, axis: 'x' | 'y'): string {
  const scale = chart.scale?.(axis);
  const ends = [...(scale?.domain ?? []), ...(scale?.range ?? [])];
  if (scale?.type !== 'linear' || ends.length !== 4 || !ends.every(Number.isFinite)) {
    throw new Error(
      `A pickable panel needs a linear ${axis} scale with a two-number domain and range; found ${JSON.stringify(scale)}.`,
    );
  }
  return ends.join(' ');
}

/** Marks the view's pickable panel among its rendered panels: parameters and scales, as `data-pick*`. */
export function markPickable(panels: readonly SVGSVGElement[], pick: Pick | undefined): void {
  const svg = pick ? panels[pick.panel] : undefined;
  if (!pick || !svg) return;
  const chart = svg as SVGSVGElement & ScaledChart;
  svg.dataset['pick'] = `${pick.x} ${pick.y}`;
  svg.dataset['pickX'] = linearMap(chart, 'x');
  svg.dataset['pickY'] = linearMap(chart, 'y');
}

/** A pixel of the SVG's own coordinates, through a `d0 d1 r0 r1` map, as data. */
function invert(map: string | undefined, pixel: number): number {
  const [d0, d1, r0, r1] = (map ?? '').split(' ').map(Number) as [number, number, number, number];
  return d0 + ((pixel - r0) * (d1 - d0)) / (r1 - r0);
}

/**
 * The parameters a click at (clientX, clientY) on a pickable panel sets, or `undefined` when the
 * panel is not pickable or has no size on screen.
 */
export function pickedPoint(
  svg: SVGSVGElement,
  clientX: number,
  clientY: number,
): Record<string, number> | undefined {
  const [x, y] = (svg.dataset['pick'] ?? '').split(' ');
  const box = svg.getBoundingClientRect();
  if (!x || !y || !(box.width > 0 && box.height > 0)) return undefined;
  // The SVG is drawn at its viewBox size and scaled by CSS, centred in its box if the box has another
  // shape (presentation mode): back to its own coordinates first.
  const [, , width, height] = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const w = width || box.width;
  const h = height || box.height;
  const scale = Math.min(box.width / w, box.height / h);
  const px = (clientX - box.left - (box.width - w * scale) / 2) / scale;
  const py = (clientY - box.top - (box.height - h * scale) / 2) / scale;
  const point = { [x]: invert(svg.dataset['pickX'], px), [y]: invert(svg.dataset['pickY'], py) };
  return Object.values(point).every(Number.isFinite) ? point : undefined;
}
