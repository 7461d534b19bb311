/**
 * Renders a figure's chart specs to SVG, in the browser or at build time (with a `document` from
 * jsdom), laid out for its frame: margins come from the measured extent of the tick and direct
 * labels, not from constants; the y-axis label and the keys sit in a header above the frame, the
 * x-axis label on its own line under the tick labels; direct labels are moved apart when they would
 * touch, and become a legend in the header when there is no room for them beside the lines.
 *
 * @module
 */
import * as Plot from '@observablehq/plot';
import type { Data, Markish, PlotOptions, ScaleOptions, TextOptions } from '@observablehq/plot';
import { tickFormat } from './axis';
import { DEFAULT_FRAME, lineHeight, pageFrame, type ChartFrame } from './frame';
import { drawHeader, layoutHeader, type LegendEntry } from './header';
import { estimateWidth, type Measure } from './measure';
import { dodgeLabels, fillOf, LABEL_CLASS, thinCrowdedTicks } from './label-placement';
import { roundGeometry } from './round-geometry';
import { DESCENT, textBoxes, type TextBox } from './text-boxes';
import { formatNumber } from './types';

/** Plot options plus what this renderer lays out itself. */
export interface ChartSpec extends PlotOptions {
  /** A bold first line above the chart (a panel's own title). */
  readonly heading?: string;
  /** Notes on how to read the chart ("dashed: theory · dots: simulation"), above the frame. */
  readonly keys?: readonly string[];
  /** Facets kept at this height-to-width ratio (the height follows from the computed margins). */
  readonly facetAspect?: number;
}

/**
 * Direct labels: text at the ends of lines, naming them. The renderer moves them apart where they
 * would touch, and turns them into a legend above the chart where they would take too much width.
 */
export function directLabels(data: Data, options: TextOptions): Plot.Text {
  return Plot.text(data, { textAnchor: 'start', dx: 6, ...options, className: LABEL_CLASS });
}

export interface RenderOptions {
  readonly document?: Document;
  readonly frame?: ChartFrame;
  /** Without a frame: a page frame of this width (code cells' charts). */
  readonly width?: number;
  /** Text widths; the build-time estimate by default. */
  readonly measure?: Measure;
  /** The chart's accessible name; the summary is its description. */
  readonly title: string;
  readonly summary: string;
}

interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Empty space kept between text and the SVG's edge, and between stacked text. */
const PAD = 3;
const MAX_PASSES = 4;
/** Direct labels that would take more than this share of the width become a legend. */
const LABEL_SHARE = 0.3;

const withArrow = (label: string, arrow: '↑' | '→'): string =>
  /[↑↓→←]/.test(label) ? label : arrow === '↑' ? `↑ ${label}` : `${label} →`;

/** Tick labels in the figures' number format, unless the view chose its own. */
function numberTicks(scale: ScaleOptions): ScaleOptions {
  if (scale.tickFormat !== undefined) return scale;
  const ticks = Array.isArray(scale.ticks) ? (scale.ticks as unknown[]) : undefined;
  const numeric = ticks?.every((t) => typeof t === 'number')
    ? tickFormat(ticks as number[])
    : formatNumber;
  return { ...scale, tickFormat: (v: unknown) => (typeof v === 'number' ? numeric(v) : String(v)) };
}

/** The axis label of a scale (Plot leaves out none we set), and the options without it. */
function takeLabel(scale: ScaleOptions | undefined, arrow: '↑' | '→') {
  const label = scale?.axis === null ? null : (scale?.label ?? null);
  return {
    label: typeof label === 'string' ? withArrow(label, arrow) : null,
    scale: scale === undefined ? undefined : numberTicks({ ...scale, label: null }),
  };
}

/** How far the texts reach beyond the frame on each side (0 where they stay inside). */
function extents(boxes: readonly TextBox[], frame: Margins & { width: number; height: number }) {
  const left = frame.left;
  const right = frame.width - frame.right;
  const top = frame.top;
  const bottom = frame.height - frame.bottom;
  return {
    left: Math.max(0, ...boxes.map((b) => left - b.left)),
    right: Math.max(0, ...boxes.map((b) => b.right - right)),
    top: Math.max(0, ...boxes.map((b) => top - b.top)),
    bottom: Math.max(0, ...boxes.map((b) => b.bottom - bottom)),
  };
}

const isLabel = (mark: Markish): boolean =>
  (mark as { className?: string }).className === LABEL_CLASS;

function plot(options: PlotOptions, margins: Margins, render: RenderOptions, frame: ChartFrame) {
  return Plot.plot({
    ...options,
    width: options.width ?? frame.width,
    marginTop: Math.ceil(margins.top),
    marginRight: Math.ceil(margins.right),
    marginBottom: Math.ceil(margins.bottom),
    marginLeft: Math.ceil(margins.left),
    style: {
      background: 'transparent',
      fontSize: `${frame.fontSize}px`,
      ...(frame.fontWeight !== 400 ? { fontWeight: String(frame.fontWeight) } : {}),
    },
    ariaLabel: render.title,
    ariaDescription: render.summary,
    ...(render.document ? { document: render.document } : {}),
  }) as unknown as SVGSVGElement & { scale(name: string): unknown };
}

/** Plot.plot, laid out as described above, plus an accessible name and description. */
export function renderChart(spec: ChartSpec, render: RenderOptions): SVGSVGElement {
  const frame = render.frame ?? (render.width ? pageFrame(render.width) : DEFAULT_FRAME);
  const measure = render.measure ?? estimateWidth;
  const { heading, keys = [], facetAspect, ...rest } = spec;
  const y = takeLabel(rest.y, '↑');
  const x = takeLabel(rest.x, '→');
  // x tick labels start a little lower than Plot's, clear of the lowest y tick label in the corner.
  const xScale = x.scale && { tickPadding: 3 + Math.round(frame.fontSize * 0.4), ...x.scale };
  let options: PlotOptions = {
    ...rest,
    ...(y.scale ? { y: y.scale } : {}),
    ...(xScale ? { x: xScale } : {}),
  };
  const lh = lineHeight(frame.fontSize);
  const hasXAxis = rest.x?.axis !== null;
  let legend: LegendEntry[] = [];
  const headerFor = (width: number) =>
    layoutHeader({ title: heading, keys, legend, yLabel: y.label }, { ...frame, width }, measure);
  let header = headerFor(frame.width);
  const margins: Margins = {
    top: header.height + lh / 2,
    right: frame.fontSize,
    bottom: (hasXAxis ? 9 + lh : 0) + (x.label ? lh : 0) + PAD,
    left: frame.fontSize * 3,
  };
  const sized = (m: Margins): PlotOptions => {
    if (facetAspect === undefined) return options;
    const facets = Math.max(1, (options.fx?.domain as unknown[] | undefined)?.length ?? 1);
    const padding = (options.fx as { padding?: number } | undefined)?.padding ?? 0.1;
    const inner = (w: number) => ((w - m.left - m.right) / (facets - padding)) * (1 - padding);
    let width = frame.width;
    if (frame.height !== undefined) {
      // Fit mode: as wide as squares of the available height allow, at most the frame.
      const cell = (frame.height - m.top - m.bottom) / facetAspect;
      width = Math.min(width, (cell / (1 - padding)) * (facets - padding) + m.left + m.right);
    }
    return { ...options, width, height: Math.round(m.top + m.bottom + facetAspect * inner(width)) };
  };
  // Drafts, to measure the text, need only the text marks when no other mark can move a scale
  // (both position domains given) or decide which facets are drawn (none).
  const fixed =
    options.x?.domain !== undefined &&
    options.y?.domain !== undefined &&
    options.fx === undefined &&
    options.fy === undefined;
  const draft = (m: Margins) => {
    const full = sized(m);
    const marks = (full.marks ?? []).filter((mark) => !fixed || mark instanceof Plot.Text);
    return plot({ ...full, marks }, m, render, frame);
  };
  let svg = draft(margins);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const width = Number(svg.getAttribute('width'));
    const height = Number(svg.getAttribute('height'));
    header = headerFor(width);
    const boxes = textBoxes(svg, measure);
    const ext = extents(boxes, { ...margins, width, height });
    const labels = boxes.filter((b) => b.element.closest(`.${LABEL_CLASS}`));
    const labelReach = extents(labels, { ...margins, width, height }).right;
    if (legend.length === 0 && labels.length > 0 && labelReach + PAD > LABEL_SHARE * width) {
      // No room beside the lines: name the series in the header instead.
      const seen = new Set<string>();
      legend = labels
        .map((b) => ({ text: b.text, color: fillOf(b.element) }))
        .filter((e) => !seen.has(e.text) && seen.add(e.text));
      options = { ...options, marks: (options.marks ?? []).filter((m) => !isLabel(m)) };
      header = headerFor(width);
      margins.top = header.height + ext.top + PAD;
      svg = draft(margins);
      continue;
    }
    const need: Margins = {
      top: header.height + ext.top + PAD,
      right: ext.right + PAD,
      bottom: ext.bottom + (x.label ? lh : 0) + PAD,
      left: ext.left + PAD,
    };
    const settled = (Object.keys(need) as (keyof Margins)[]).every(
      (k) => Math.abs(Math.ceil(need[k]) - Math.ceil(margins[k])) < 1,
    );
    if (settled) break;
    Object.assign(margins, need);
    svg = draft(margins);
  }
  svg = plot(sized(margins), margins, render, frame);
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  dodgeLabels(svg, measure, Math.ceil(margins.top), height - Math.ceil(margins.bottom));
  roundGeometry(svg);
  thinCrowdedTicks(svg, measure);
  drawHeader(svg, header, frame);
  if (x.label) drawXLabel(svg, x.label, frame, measure, width - Math.ceil(margins.right), height);
  // axe: aria-label is only allowed on elements with a role (Plot labels its mark groups).
  for (const g of svg.querySelectorAll('g[aria-label]')) g.setAttribute('role', 'group');
  // One self-contained SVG per panel (exports and embeds rely on it): label marks, not HTML legends.
  if (svg.tagName.toLowerCase() !== 'svg') {
    throw new Error('A figure spec must produce SVG only: use direct labels instead of a legend.');
  }
  svg.setAttribute('role', 'img');
  return svg;
}

/** The x-axis label, right-aligned under the frame's right end, on the bottom line of the SVG. */
function drawXLabel(
  svg: SVGSVGElement,
  label: string,
  frame: ChartFrame,
  measure: Measure,
  right: number,
  height: number,
): void {
  const doc = svg.ownerDocument;
  const g = doc.createElementNS('http://www.w3.org/2000/svg', 'g');
  g.setAttribute('aria-label', 'x-axis label');
  const text = doc.createElementNS('http://www.w3.org/2000/svg', 'text');
  const fits = measure(label, frame.fontSize, frame.fontWeight) <= right - PAD;
  text.setAttribute('x', String(fits ? right : PAD));
  text.setAttribute('y', String(Math.round((height - PAD - DESCENT * frame.fontSize) * 10) / 10));
  text.setAttribute('text-anchor', fits ? 'end' : 'start');
  text.textContent = label;
  g.append(text);
  svg.append(g);
}

/** Renders every panel of a figure (a spec may be one chart or several). */
export function renderCharts(
  spec: ChartSpec | readonly ChartSpec[],
  render: RenderOptions,
): SVGSVGElement[] {
  const panels: readonly ChartSpec[] = Array.isArray(spec) ? spec : [spec as ChartSpec];
  return panels.map((options, i) =>
    renderChart(options, {
      ...render,
      title:
        panels.length > 1 ? `${render.title}, panel ${i + 1} of ${panels.length}` : render.title,
    }),
  );
}
