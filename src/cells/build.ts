/**
 * Build-time outputs: the cells of a page run in order in a Node `vm` context with the engine in
 * scope, exactly as the worker runs them, so the page reads complete with JavaScript off. A cell that
 * throws fails the build, naming the file and line (an authoring error); a cell slower than the
 * build's budget, a `static` cell and an exercise get a note instead of an output.
 *
 * @module
 */
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { renderChart } from '../figures/render';
import { compileCell } from './compile';
import { getExercise } from './exercises/index';
import { createNodeRealm } from './node-realm';
import { parseCellOptions, type CellOptions } from './options';
import { describePlot, toPlotOptions } from './plot';
import { CELL_BUILTINS } from './scope';
import { Session } from './session';
import { errorText, noteView, resultView, type ViewNode } from './view';

export interface PageCell {
  readonly source: string;
  readonly meta: string;
  /** Line of the opening fence in the page's file. */
  readonly line: number;
}

export interface BuiltCell {
  readonly options: CellOptions;
  readonly view: readonly ViewNode[];
  /** True when the output is a note, not the cell's result. */
  readonly skipped: boolean;
}

/** The most a cell may take at build time before it is left to the reader to run. */
export const buildBudget = (options: CellOptions) => Math.max(2 * options.timeout, 10_000);

interface PageState {
  readonly sources: string[];
  readonly built: BuiltCell[];
  readonly session: Session;
  readonly realm: ReturnType<typeof createNodeRealm>;
  anySkipped: boolean;
}

const pages = new Map<string, PageState>();
let dom: JSDOM | undefined;

function drawPlots(nodes: readonly ViewNode[]): ViewNode[] {
  return nodes.map((node) => {
    if (typeof node === 'string') return node;
    if (node.plot) {
      dom ??= new JSDOM('<!doctype html><html><body></body></html>');
      const svg = renderChart(toPlotOptions(node.plot, Plot as never), {
        document: dom.window.document,
        title: node.plot.title ?? 'Chart from a code cell',
        summary: describePlot(node.plot),
      }).outerHTML;
      return {
        ...node,
        children: node.children.map((child) =>
          typeof child !== 'string' && child.attrs?.['class'] === 'ib-out-plot-chart'
            ? { ...child, html: svg }
            : child,
        ),
      };
    }
    return { ...node, children: drawPlots(node.children) };
  });
}

function buildOne(state: PageState, page: string, index: number, cell: PageCell): BuiltCell {
  const where = (line: number) => `${page}:${cell.line + line}`;
  let options: CellOptions;
  try {
    options = parseCellOptions(cell.meta);
    if (options.exercise) getExercise(options.exercise);
  } catch (error) {
    throw new Error(`${where(0)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const compiled = compileCell(cell.source);
  if (!compiled.ok) {
    throw new Error(
      `${where(compiled.at?.line ?? 0)}: code cell ${index + 1} has a syntax error: ${compiled.message}`,
    );
  }
  const skip = (text: string): BuiltCell => {
    state.anySkipped = true;
    return { options, view: noteView(text), skipped: true };
  };
  if (options.exercise)
    return skip('Write your answer in the code above, then choose Run: the page checks it.');
  if (options.static) return skip('Run this cell to see its output.');
  state.realm.timeout = buildBudget(options);
  let result;
  try {
    result = state.session.run(index, cell.source);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return skip('This cell takes a while: run it to see the output.');
    }
    throw error;
  }
  if (result.error) {
    if (state.anySkipped) return skip('Run this cell (and the cells above it) to see the output.');
    throw new Error(
      `${where(result.error.at?.line ?? 0)}: code cell ${index + 1} failed at build time: ${errorText(result.error)}`,
    );
  }
  return { options, view: drawPlots(resultView(result)), skipped: false };
}

/**
 * The build output of the last cell in `cells` (a page's cells up to and including it). Cells run once
 * per page and build, in order; a page whose cells changed (dev server) starts a fresh session.
 */
export function buildCell(page: string, cells: readonly PageCell[]): BuiltCell {
  let state = pages.get(page);
  const fits =
    state && cells.every((c, i) => i >= state!.sources.length || state!.sources[i] === c.source);
  if (!state || !fits) {
    const realm = createNodeRealm();
    state = {
      sources: [],
      built: [],
      realm,
      session: new Session(realm, CELL_BUILTINS),
      anySkipped: false,
    };
    pages.set(page, state);
  }
  for (let i = state.built.length; i < cells.length; i++) {
    const cell = cells[i] as PageCell;
    state.sources.push(cell.source);
    state.built.push(buildOne(state, page, i, cell));
  }
  return state.built[cells.length - 1] as BuiltCell;
}
