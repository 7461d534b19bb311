/**
 * How outputs look, as a small element tree ({@link ViewNode}) that the browser turns into DOM with
 * `createElement` and text nodes (src/client/cell-render.ts) and the build turns into HTML through
 * Astro, which escapes every string. Nothing from a cell is ever parsed as HTML.
 *
 * @module
 */
import type { CheckResult } from './exercises/types';
import { inlineText, type OutputNode } from './format';
import { describePlot, type PlotSpec } from './plot';
import type { Elided, OutputItem } from './output';
import type { CellError, RunResult } from './session';

export interface ViewElement {
  readonly tag: string;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly children: readonly ViewNode[];
  /** A chart to draw into this element (with Plot, lazily in the browser; with jsdom at build). */
  readonly plot?: PlotSpec;
  /** Build only: the chart already drawn, as SVG markup made by Plot in jsdom (never cell text). */
  readonly html?: string;
}
export type ViewNode = string | ViewElement;

const el = (
  tag: string,
  attrs: Record<string, string> | null,
  ...children: ViewNode[]
): ViewElement => ({ tag, ...(attrs ? { attrs } : {}), children });

function numbersView(node: Extract<OutputNode, { kind: 'numbers' }>): ViewElement {
  const values = node.elided
    ? `[${node.values.slice(0, 5).join(', ')}, …, ${node.values.slice(5).join(', ')}]`
    : `[${node.values.join(', ')}]`;
  const stats = node.stats;
  return el(
    'div',
    { class: 'ib-out-numbers' },
    el('span', { class: 'ib-out-label' }, node.label),
    ' ',
    el('span', { class: 'ib-out-values' }, values),
    ...(stats && node.length > 1
      ? [
          el(
            'span',
            { class: 'ib-out-stats' },
            `min ${stats.min} · max ${stats.max} · mean ${stats.mean} · std ${stats.std}`,
            stats.nonFinite > 0 ? ` · ${stats.nonFinite} not finite` : '',
          ),
        ]
      : []),
  );
}

/** The view of one value. `open` expands a top-level tree. */
export function valueView(node: OutputNode, open = true): ViewNode {
  switch (node.kind) {
    case 'number':
      return el('span', { class: 'ib-out-number' }, node.text);
    case 'string':
      return el('span', { class: 'ib-out-string' }, node.text);
    case 'atom':
      return el('span', { class: 'ib-out-atom' }, node.text);
    case 'numbers':
      return numbersView(node);
    case 'plot':
      return {
        tag: 'figure',
        attrs: { class: 'ib-out-plot' },
        plot: node.spec,
        children: [
          el('div', { class: 'ib-out-plot-chart' }, describePlot(node.spec)),
          ...(node.spec.title ? [el('figcaption', null, node.spec.title)] : []),
        ],
      };
    case 'table':
      return el(
        'div',
        {
          class: 'ib-out-table',
          role: 'region',
          tabindex: '0',
          'aria-label': `Table, ${node.rows.length + node.more} rows`,
        },
        el(
          'table',
          null,
          el(
            'thead',
            null,
            el('tr', null, ...node.columns.map((c) => el('th', { scope: 'col' }, c))),
          ),
          el(
            'tbody',
            null,
            ...node.rows.map((row) => el('tr', null, ...row.map((cell) => el('td', null, cell)))),
          ),
        ),
        ...(node.more > 0 ? [el('p', { class: 'ib-out-more' }, `… ${node.more} more rows`)] : []),
      );
    case 'list':
    case 'tree': {
      const entries: [string, OutputNode][] =
        node.kind === 'list'
          ? node.items.map((item, i) => [String(i), item])
          : node.entries.map(([k, v]) => [k, v]);
      if (
        node.kind === 'list' &&
        entries.every(([, v]) => v.kind !== 'tree' && v.kind !== 'list')
      ) {
        if (inlineText(node, 200).length < 200) {
          return el('span', { class: 'ib-out-atom' }, `${node.label} ${inlineText(node, 200)}`);
        }
      }
      return el(
        'details',
        { class: 'ib-out-tree', ...(open ? { open: 'open' } : {}) },
        el('summary', null, inlineText(node, 90)),
        el(
          'dl',
          null,
          ...entries.map(([key, value]) =>
            el('div', null, el('dt', null, key), el('dd', null, valueView(value, false))),
          ),
          ...(node.more > 0
            ? [el('div', null, el('dt', null, '…'), el('dd', null, `${node.more} more`))]
            : []),
        ),
      );
    }
  }
}

/** The view of one output: a log line, a displayed value or the cell's value. */
export function itemView(item: OutputItem): ViewNode {
  if (item.kind === 'log') {
    return el(
      'div',
      { class: 'ib-out-log', 'data-level': item.level },
      ...(item.level === 'log' ? [] : [el('span', { class: 'ib-out-level' }, `${item.level}: `)]),
      ...item.parts.flatMap((part, i) => [
        ...(i > 0 ? [' '] : []),
        part.kind === 'string' ? part.text : valueView(part, false),
      ]),
    );
  }
  return el('div', { class: `ib-out-${item.kind}` }, valueView(item.node));
}

export function errorText(error: CellError): string {
  const where = error.at ? ` on line ${error.at.line}, column ${error.at.column}` : '';
  switch (error.kind) {
    case 'syntax':
      return `Syntax error${where}: ${error.message}`;
    case 'runtime':
      return `${error.name}${where}: ${error.message}`;
    case 'timer':
      return `Later, in a timer: ${error.name}${where}: ${error.message}`;
    case 'promise':
      return `Later, a promise was rejected and not handled: ${error.name}${where}: ${error.message}`;
    case 'callback':
      return `Later, in a callback: ${error.name}${where}: ${error.message}`;
  }
}

/** The view of an error (of the run, or a late one). */
export function errorView(error: CellError): ViewElement {
  return el('p', { class: 'ib-out-error' }, errorText(error));
}

const grouped = (n: number) => n.toLocaleString('en-US');

/** A size in bytes, kB or MB, two significant digits, the unit kept with its number. */
function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes}\u00a0bytes`;
  if (bytes < 1e6) return `${Number((bytes / 1e3).toPrecision(2))}\u00a0kB`;
  return `${Number((bytes / 1e6).toPrecision(2))}\u00a0MB`;
}

/** What a capped output left out, in words: "… 130,072 more lines not shown (1.3 MB)." */
export function elidedText(elided: Elided): string {
  const lines = `${grouped(elided.lines)} more ${elided.lines === 1 ? 'line' : 'lines'}`;
  return `… ${lines} not shown (${sizeText(elided.bytes)}).`;
}

/** The note under a capped output; the page adds the download button to it. */
export function elidedView(elided: Elided): ViewElement {
  return el('div', { class: 'ib-out-elided' }, el('p', null, elidedText(elided)));
}

function checksView(checks: readonly CheckResult[]): ViewElement {
  const passed = checks.filter((c) => c.pass).length;
  return el(
    'div',
    { class: 'ib-checks' },
    el(
      'p',
      { class: 'ib-checks-summary', 'data-pass': String(passed === checks.length) },
      passed === checks.length
        ? `All ${checks.length} checks pass.`
        : `${passed} of ${checks.length} checks pass.`,
    ),
    el(
      'ul',
      null,
      ...checks.map((c) =>
        el(
          'li',
          { 'data-pass': String(c.pass) },
          el('strong', null, c.pass ? 'Pass: ' : 'Fail: '),
          c.name,
          el('span', { class: 'ib-check-message' }, c.message),
        ),
      ),
    ),
  );
}

/** Everything a run shows: logs and values in order, what was left out, then the error or the checks. */
export function resultView(result: RunResult): ViewNode[] {
  return [
    ...result.outputs.map(itemView),
    ...(result.elided ? [elidedView(result.elided)] : []),
    ...(result.error ? [errorView(result.error)] : []),
    ...(result.checks ? [checksView(result.checks)] : []),
  ];
}

/** A short note in the output area (build skipped, stopped, pending …). */
export function noteView(text: string): ViewNode[] {
  return [el('p', { class: 'ib-out-note' }, text)];
}
