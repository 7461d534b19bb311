/**
 * Build-time rendering of a figure from its initial parameters: the same engine call and the same spec
 * as the live figure, drawn into a jsdom document. The page then shows the picture with JavaScript
 * off, in print and to search engines: twice, in a phone layout and a wide one (figure.css shows the
 * one that fits the column), and carries the data so the live figure can redraw it at any width.
 *
 * @module
 */
import { JSDOM } from 'jsdom';
import { encodeFigureData } from './data-json';
import { BUILD_LAYOUTS, buildFrame } from './frame';
import { figureModel } from './models';
import { sanitizeParams, type Schema } from './params';
import { markPickable } from './pick';
import { renderCharts } from './render';
import { runToEnd, type DataTable, type FigureNote } from './types';
import { figureView } from './views';

let dom: JSDOM | undefined;

export interface StaticFigure {
  /** Both layouts' panels, each SVG marked `data-layout="narrow"` or `"wide"`. */
  readonly svg: string;
  /** Panels per layout. */
  readonly panels: number;
  /** The engine's result, for the live figure's first redraw (see ./data-json.ts). */
  readonly data: string;
  readonly summary: string;
  readonly table: DataTable;
  /** Formulas and key numbers beside the chart (views with `notes`). */
  readonly notes: readonly FigureNote[];
  /** "Copy as PyTorch": the script for these parameters (see the model's `pytorch`). */
  readonly pytorch: string;
  readonly params: Record<string, unknown>;
  readonly schema: Schema;
}

/**
 * Renders, by figure and parameters, already made or under way. A figure's picture depends only on
 * them (every computation is seeded), so a page rendered twice (the dev server's first-chapter
 * warm-up and a reader's first visit at once, or the same figure on two pages) computes it once.
 * Editing the engine or a figure makes Vite load this module again, with an empty cache.
 */
const rendered = new Map<string, Promise<StaticFigure>>();

/**
 * Computes and renders a figure. Parameters an author got wrong fail the build with the reason,
 * rather than quietly drawing something else.
 */
export function renderStaticFigure(
  id: string,
  initial: Record<string, unknown> = {},
): Promise<StaticFigure> {
  const key = JSON.stringify([id, initial]);
  let figure = rendered.get(key);
  if (!figure) {
    figure = render(id, initial);
    rendered.set(key, figure);
    figure.catch(() => rendered.delete(key));
  }
  return figure;
}

async function render(id: string, initial: Record<string, unknown>): Promise<StaticFigure> {
  const model = figureModel(id);
  const { params, messages } = sanitizeParams(model.schema, initial);
  if (messages.length > 0) {
    throw new Error(`Figure ${id}: bad initial parameters: ${messages.join(' ')}`);
  }
  await model.prepare?.();
  const data = runToEnd(model.compute(params));
  const summary = model.summary(data, params);
  const view = await figureView(id);
  dom ??= new JSDOM('<!doctype html><html><body></body></html>');
  const document = dom.window.document;
  let panels = 0;
  const svg = BUILD_LAYOUTS.map(({ layout, width }) => {
    const frame = buildFrame(width);
    const charts = renderCharts(view.spec(data, params, frame), {
      document,
      frame,
      title: model.title,
      summary,
    });
    markPickable(charts, view.pick);
    panels = charts.length;
    return charts
      .map((chart) => {
        chart.dataset['layout'] = layout;
        return chart.outerHTML;
      })
      .join('');
  }).join('');
  return {
    svg,
    panels,
    data: encodeFigureData(data),
    summary,
    table: model.table(data, params),
    notes: view.notes?.(data, params) ?? [],
    pytorch: model.pytorch(params),
    params,
    schema: model.schema,
  };
}
