/**
 * Text widths for chart layout. In the browser a canvas measures with the chart's own font; at build
 * time (no fonts in jsdom) a per-character table stands in. The table holds the advance widths of
 * DejaVu Sans, the widest common fallback for `system-ui` (rounded up): a build-time layout fits any
 * reader's font, with room to spare on narrower ones.
 *
 * @module
 */

/** Width in pixels of `text` at `fontSize` px and `fontWeight`. */
export type Measure = (text: string, fontSize: number, fontWeight?: number) => number;

/** Characters by advance width, in ems. Anything not listed counts as a wide letter. */
const WIDTHS: readonly (readonly [number, string])[] = [
  [0.3, "'ijlIJ′ˡ"],
  [0.36, ' ,.·’:;|/\\f-'],
  [0.42, '()[]!rt²₁⁴'],
  [0.5, '"*_`‖–'],
  [0.55, 'csz?∂ε⁻'],
  [0.62, 'aeoTYFLPkvxyχ'],
  [0.65, '0123456789bdghnpqu${}√μσESΣ'],
  [0.7, 'ABCRXZKVΔφα'],
  [0.8, 'DGHNUOQ&w'],
  [0.87, 'M#+<=>^~→↑↓←∞−±×≈✕∈'],
  [1, 'mW%@—'],
];
const EM = new Map<string, number>(WIDTHS.flatMap(([w, chars]) => [...chars].map((c) => [c, w])));
const UNLISTED = 0.75;
/** Semibold and bold set wider: at most this much in DejaVu Sans, for the characters above. */
const BOLD = 1.18;

/** The build-time estimate: a sum of table widths. */
export const estimateWidth: Measure = (text, fontSize, fontWeight = 400) => {
  let ems = 0;
  for (const c of text) ems += EM.get(c) ?? UNLISTED;
  return ems * fontSize * (fontWeight >= 600 ? BOLD : 1);
};

/** A canvas-based measure in `fontFamily`, for the browser (results cached per text and font). */
export function canvasMeasure(doc: Document, fontFamily: string): Measure {
  const context = doc.createElement('canvas').getContext('2d');
  if (!context) return estimateWidth;
  const cache = new Map<string, number>();
  return (text, fontSize, fontWeight = 400) => {
    const font = `${fontWeight} ${fontSize}px ${fontFamily}`;
    const key = `${font}\n${text}`;
    let width = cache.get(key);
    if (width === undefined) {
      context.font = font;
      width = context.measureText(text).width;
      cache.set(key, width);
    }
    return width;
  };
}
