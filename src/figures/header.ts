/**
 * The lines above a chart's frame: a panel title, the keys ("dashed: theory · dots: simulation"),
 * a legend when direct labels do not fit, and the y-axis label, which sits last, right above the
 * axis it names. Each is wrapped to the chart's width; nothing here overlaps anything else.
 *
 * @module
 */
import { lineHeight, type ChartFrame } from './frame';
import type { Measure } from './measure';
import { ASCENT, DESCENT } from './text-boxes';

/** A series in a legend: its name and its colour (a CSS colour, variables included). */
export interface LegendEntry {
  readonly text: string;
  readonly color: string;
}

export interface HeaderContent {
  readonly title?: string | undefined;
  readonly keys?: readonly string[];
  readonly legend?: readonly LegendEntry[];
  readonly yLabel?: string | null;
}

export interface HeaderItem {
  readonly text: string;
  readonly x: number;
  readonly anchor: 'start' | 'end';
  readonly bold?: boolean;
  /** Legend entries: a swatch of this colour before the text. */
  readonly swatch?: string;
}

export interface HeaderLine {
  /** Baseline of the line's text. */
  readonly baseline: number;
  readonly items: readonly HeaderItem[];
}

export interface Header {
  readonly lines: readonly HeaderLine[];
  /** Height taken from the top of the SVG. */
  readonly height: number;
}

/** Pieces of a key: it breaks first at its " · " separators, then between words. */
export function wrap(text: string, fits: (t: string) => boolean): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (piece: string, joiner: string) => {
    const candidate = line === '' ? piece : `${line}${joiner}${piece}`;
    if (line === '' || fits(candidate)) line = candidate;
    else {
      lines.push(line);
      line = piece;
    }
  };
  for (const part of text.split(' · ')) {
    if (fits(part)) push(part, ' · ');
    else {
      part.split(' ').forEach((word, i) => push(word, i === 0 ? ' · ' : ' '));
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Lays out the header for a chart `frame.width` wide, starting `left` px from the SVG's edge. */
export function layoutHeader(
  content: HeaderContent,
  frame: ChartFrame,
  measure: Measure,
  left = 3,
): Header {
  const size = frame.fontSize;
  const lh = lineHeight(size);
  const room = frame.width - 2 * left;
  const width = (t: string, bold = false) => measure(t, size, bold ? 700 : frame.fontWeight);
  const swatch = size * 0.9;
  const rows: HeaderItem[][] = [];
  if (content.title) {
    for (const t of wrap(content.title, (s) => width(s, true) <= room)) {
      rows.push([{ text: t, x: left, anchor: 'start', bold: true }]);
    }
  }
  const keyLines = (content.keys ?? []).flatMap((k) => wrap(k, (s) => width(s) <= room));
  const yLabel = content.yLabel ?? null;
  // One short key beside the y label when both fit on the line, with a gap of two ems.
  const beside =
    yLabel !== null &&
    keyLines.length === 1 &&
    (content.legend ?? []).length === 0 &&
    width(yLabel) + 2 * size + width(keyLines[0]!) <= room;
  if (!beside) for (const t of keyLines) rows.push([{ text: t, x: left, anchor: 'start' }]);
  let row: HeaderItem[] = [];
  let x = left;
  for (const entry of content.legend ?? []) {
    const w = swatch + size * 0.4 + width(entry.text);
    if (row.length > 0 && x + w > left + room) {
      rows.push(row);
      row = [];
      x = left;
    }
    row.push({ text: entry.text, x, anchor: 'start', swatch: entry.color });
    x += w + size * 1.2;
  }
  if (row.length > 0) rows.push(row);
  if (yLabel !== null) {
    // A label longer than the chart is wide wraps; its last line sits right above the axis.
    const lines = wrap(yLabel, (s) => width(s) <= room);
    for (const t of lines.slice(0, -1)) rows.push([{ text: t, x: left, anchor: 'start' }]);
    const items: HeaderItem[] = [{ text: lines.at(-1)!, x: left, anchor: 'start' }];
    if (beside) items.push({ text: keyLines[0]!, x: frame.width - left, anchor: 'end' });
    rows.push(items);
  }
  const pad = (lh - (ASCENT + DESCENT) * size) / 2;
  return {
    lines: rows.map((items, i) => ({ baseline: i * lh + pad + ASCENT * size, items })),
    height: rows.length * lh,
  };
}

/** Draws the header's lines into `svg` as text (and swatches), in a labelled group. */
export function drawHeader(svg: SVGSVGElement, header: Header, frame: ChartFrame): void {
  if (header.lines.length === 0) return;
  const doc = svg.ownerDocument;
  const ns = 'http://www.w3.org/2000/svg';
  const group = doc.createElementNS(ns, 'g');
  group.setAttribute('aria-label', 'key');
  group.setAttribute('class', 'ib-key');
  const size = frame.fontSize;
  const swatch = size * 0.9;
  for (const line of header.lines) {
    for (const item of line.items) {
      let x = item.x;
      if (item.swatch) {
        const rect = doc.createElementNS(ns, 'rect');
        rect.setAttribute('x', String(x));
        rect.setAttribute('y', String(line.baseline - ASCENT * size * 0.85));
        rect.setAttribute('width', String(swatch));
        rect.setAttribute('height', String(swatch));
        rect.setAttribute('fill', item.swatch);
        group.append(rect);
        x += swatch + size * 0.4;
      }
      const text = doc.createElementNS(ns, 'text');
      text.setAttribute('x', String(Math.round(x * 10) / 10));
      text.setAttribute('y', String(Math.round(line.baseline * 10) / 10));
      text.setAttribute('text-anchor', item.anchor);
      if (item.bold) text.setAttribute('font-weight', 'bold');
      text.textContent = item.text;
      group.append(text);
    }
  }
  svg.append(group);
}
