/**
 * View trees (src/cells/view.ts) → DOM, with createElement and text nodes only: output from a cell is
 * never parsed as HTML. Charts are drawn with Observable Plot, loaded on first use.
 *
 * @module
 */
import { describePlot, toPlotOptions, type PlotSpec } from '../cells/plot';
import type { ViewNode } from '../cells/view';

async function drawPlot(target: HTMLElement, spec: PlotSpec): Promise<void> {
  try {
    const [Plot, { renderChart }] = await Promise.all([
      import('@observablehq/plot'),
      import('../figures/render'),
    ]);
    const chart = renderChart(toPlotOptions(spec, Plot as never), {
      title: spec.title ?? 'Chart from a code cell',
      summary: describePlot(spec),
      width: Math.max(320, Math.min(target.clientWidth || 640, 760)),
    });
    target.replaceChildren(chart);
  } catch (error) {
    target.textContent = `Cannot draw this chart: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** DOM for view nodes, in a fragment (appended one by one: a long list never goes through a spread). */
export function renderView(nodes: readonly ViewNode[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const node of nodes) fragment.append(renderNode(node));
  return fragment;
}

function renderNode(node: ViewNode): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const element = document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs ?? {})) element.setAttribute(name, value);
  element.append(renderView(node.children));
  if (node.plot) {
    const target = element.querySelector<HTMLElement>('.ib-out-plot-chart') ?? element;
    void drawPlot(target, node.plot);
  }
  return element;
}
