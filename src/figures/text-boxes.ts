/**
 * Where each text of a rendered chart sits, from the SVG's attributes alone (translations, anchors,
 * `em` offsets, tspans) and a text measure: the same geometry at build time (jsdom has no layout)
 * and in the browser, so margins and label placement come out the same in both.
 *
 * @module
 */
import type { Measure } from './measure';

/** Ascent and descent of the chart fonts, in ems (DejaVu Sans, the tallest common fallback). */
export const ASCENT = 0.93;
export const DESCENT = 0.24;

export interface TextBox {
  readonly element: Element;
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The translation in a `transform` attribute (other transforms are not used on chart text). */
export function translation(element: Element): [number, number] {
  const match = /translate\(\s*(-?[\d.e+-]+)(?:[\s,]+(-?[\d.e+-]+))?\s*\)/.exec(
    element.getAttribute('transform') ?? '',
  );
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : [0, 0];
}

/** A length attribute in px or em (`0.32em`). */
function length(value: string | null, fontSize: number): number {
  if (!value) return 0;
  const n = Number.parseFloat(value);
  if (!Number.isFinite(n)) return 0;
  return value.trim().endsWith('em') ? n * fontSize : n;
}

/** An inherited presentation value: the nearest attribute or inline style up to the SVG. */
function inherited(element: Element, attribute: string, property: string): string | null {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const style = (node as Element & { style?: CSSStyleDeclaration }).style?.getPropertyValue(
      property,
    );
    if (style) return style;
    const value = node.getAttribute(attribute);
    if (value !== null) return value;
    if (node.tagName.toLowerCase() === 'svg') break;
  }
  return null;
}

function fontSizeOf(element: Element): number {
  return Number.parseFloat(inherited(element, 'font-size', 'font-size') ?? '10') || 10;
}

function fontWeightOf(element: Element): number {
  const value = inherited(element, 'font-weight', 'font-weight') ?? '400';
  return value === 'bold' ? 700 : Number.parseFloat(value) || 400;
}

/** The offset of an element's own coordinates from the SVG's: the sum of translations up to it. */
function offsetOf(element: Element): [number, number] {
  let x = 0;
  let y = 0;
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (node.tagName.toLowerCase() === 'svg') break;
    const [dx, dy] = translation(node);
    x += dx;
    y += dy;
  }
  return [x, y];
}

/** The box of one `text` element (all its lines), in the SVG's coordinates. */
function textBox(element: Element, measure: Measure): TextBox | null {
  const size = fontSizeOf(element);
  const weight = fontWeightOf(element);
  const anchor = inherited(element, 'text-anchor', 'text-anchor') ?? 'start';
  const [ox, oy] = offsetOf(element);
  const x0 = ox + length(element.getAttribute('x'), size);
  const y0 = oy + length(element.getAttribute('y'), size);
  const spans = [...element.children].filter((c) => c.tagName.toLowerCase() === 'tspan');
  const lines: { text: string; x: number; baseline: number }[] = [];
  if (spans.length === 0) lines.push({ text: element.textContent ?? '', x: x0, baseline: y0 });
  let baseline = y0;
  for (const span of spans) {
    const y = span.getAttribute('y');
    baseline =
      (y !== null ? oy + length(y, size) : baseline) + length(span.getAttribute('dy'), size);
    const x = span.getAttribute('x');
    lines.push({
      text: span.textContent ?? '',
      x: x !== null ? ox + length(x, size) : x0,
      baseline,
    });
  }
  const shown = lines.filter((l) => l.text.trim() !== '');
  if (shown.length === 0) return null;
  let left = Infinity;
  let right = -Infinity;
  for (const line of shown) {
    const width = measure(line.text, size, weight);
    const start =
      anchor === 'end' ? line.x - width : anchor === 'middle' ? line.x - width / 2 : line.x;
    left = Math.min(left, start);
    right = Math.max(right, start + width);
  }
  return {
    element,
    text: shown.map((l) => l.text).join('\n'),
    left,
    right,
    top: Math.min(...shown.map((l) => l.baseline)) - ASCENT * size,
    bottom: Math.max(...shown.map((l) => l.baseline)) + DESCENT * size,
  };
}

/** Boxes of every non-empty text under `root`. */
export function textBoxes(root: Element, measure: Measure): TextBox[] {
  return [...root.querySelectorAll('text')]
    .map((t) => textBox(t, measure))
    .filter((b): b is TextBox => b !== null);
}

/** Whether two boxes overlap by more than `tolerance` px both ways. */
export function overlaps(a: TextBox, b: TextBox, tolerance = 1): boolean {
  return (
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance
  );
}

/** Every pair of overlapping boxes, as their texts (for tests and for the layout's last check). */
export function collisions(boxes: readonly TextBox[], tolerance = 1): [string, string][] {
  const found: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (overlaps(boxes[i]!, boxes[j]!, tolerance)) found.push([boxes[i]!.text, boxes[j]!.text]);
    }
  }
  return found;
}
