/**
 * Renders a figure's Plot options to an element, in the browser or at build time (with a `document`
 * from jsdom), and applies the fixes every chart needs.
 *
 * @module
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';

/** Chart width when the container gives none (build time); the SVG scales down with CSS. */
export const DEFAULT_WIDTH = 680;

export interface RenderOptions {
  readonly document?: Document;
  readonly width?: number;
  /** The chart's accessible name; the summary is its description. */
  readonly title: string;
  readonly summary: string;
}

/** Plot.plot, plus: an accessible name and description, and `role="group"` on labelled groups. */
export function renderChart(options: PlotOptions, render: RenderOptions): SVGSVGElement {
  const chart = Plot.plot({
    width: render.width ?? DEFAULT_WIDTH,
    style: { background: 'transparent', fontSize: '12px' },
    ...options,
    ariaLabel: render.title,
    ariaDescription: render.summary,
    ...(render.document ? { document: render.document } : {}),
  });
  // axe: aria-label is only allowed on elements with a role (Plot labels its mark groups).
  for (const g of chart.querySelectorAll('g[aria-label]')) g.setAttribute('role', 'group');
  // One self-contained SVG per panel (exports and embeds rely on it): label marks, not HTML legends.
  if (chart.tagName.toLowerCase() !== 'svg') {
    throw new Error('A figure spec must produce SVG only: use direct labels instead of a legend.');
  }
  chart.setAttribute('role', 'img');
  return chart as SVGSVGElement;
}

/** Renders every panel of a figure (a spec may be one Plot or several, drawn one below the other). */
export function renderCharts(
  spec: PlotOptions | readonly PlotOptions[],
  render: RenderOptions,
): SVGSVGElement[] {
  const panels: readonly PlotOptions[] = Array.isArray(spec) ? spec : [spec as PlotOptions];
  return panels.map((options, i) =>
    renderChart(options, {
      ...render,
      title:
        panels.length > 1 ? `${render.title}, panel ${i + 1} of ${panels.length}` : render.title,
    }),
  );
}
