/**
 * Plot writes coordinates with sixteen digits; a tenth of a pixel is the same picture in a third of the
 * bytes (the build puts two layouts of every figure in its page).
 *
 * @module
 */

const GEOMETRY = ['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy'];
const tenth = (n: number): number => Math.round(n * 10) / 10;

/**
 * Rounds the coordinates in `svg` to a tenth of a pixel. A rect's edges are rounded, not its corner
 * and size, so neighbouring cells of a heatmap still meet.
 */
export function roundGeometry(svg: SVGSVGElement): void {
  for (const element of svg.querySelectorAll('*')) {
    if (element.tagName.toLowerCase() === 'rect') {
      for (const [at, size] of [
        ['x', 'width'],
        ['y', 'height'],
      ] as const) {
        const start = element.getAttribute(at);
        const extent = element.getAttribute(size);
        if (start === null || extent === null || extent.endsWith('%')) continue;
        const from = tenth(Number(start));
        const to = tenth(Number(start) + Number(extent));
        element.setAttribute(at, String(from));
        element.setAttribute(size, String(tenth(to - from)));
      }
      continue;
    }
    for (const name of GEOMETRY) {
      const value = element.getAttribute(name);
      if (value === null || !/\.\d\d/.test(value)) continue;
      element.setAttribute(
        name,
        value.replace(/-?\d*\.\d+(?:e[-+]?\d+)?/g, (n) => String(tenth(Number(n)))),
      );
    }
  }
}
