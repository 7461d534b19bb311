import * as Plot from '@observablehq/plot';
import { logAxis } from '../axis';
import { DEFAULT_FRAME, lineHeight, type ChartFrame } from '../frame';
import { estimateWidth } from '../measure';
import { colorOf } from '../palette';
import type { ChartSpec } from '../render';
import { formatNumber, type FigureNote, type FigureView } from '../types';
import type { InspectorData, ParameterRow, schema } from './model';
import { schemesSpec } from './schemes-spec';

const valueText = (r: ParameterRow): string =>
  r.distribution === 'uniform'
    ? `std ${formatNumber(r.std)}, U(±${formatNumber(r.bound!)})`
    : r.distribution === 'normal'
      ? 'std 1, N(0, 1)'
      : `${r.distribution}: no draw`;

const shapeText = (r: ParameterRow): string => `(${r.shape.join(', ')})`;
const rowText = (r: ParameterRow, gap: string): string =>
  `${r.name} ${shapeText(r)}:${gap}${valueText(r)}`;

/**
 * One row per parameter, in `named_parameters()` order: its name and law on a line, and a dot at
 * its standard deviation on a log axis below, so the parameters' scales compare at a glance
 * (constants have no dot). Names sit above the dots, so long names never collide at any width.
 */
export const view: FigureView<typeof schema, InspectorData> = {
  spec(d, _p, frame = DEFAULT_FRAME): ChartSpec | ChartSpec[] {
    const parameters = parametersSpec(d, frame);
    if (d.schemes === null) return parameters;
    return [
      { ...parameters, heading: `${d.call}: each parameter's default` },
      {
        ...schemesSpec({ schemes: d.schemes }, frame),
        heading: `Common schemes for its weight (${d.shape!.join(', ')})`,
      },
    ];
  },

  notes(d): FigureNote[] {
    const params = d.parameters.map((r): FigureNote => ({
      label: `${r.name} ${shapeText(r)}`,
      text:
        `${r.law}` +
        (r.fanIn !== null ? `, fan_in ${r.fanIn}` : '') +
        (r.fanOut !== null ? `, fan_out ${r.fanOut}` : '') +
        (r.first.length > 0 ? `. First values: ${r.first.join(', ')}` : ''),
      steps: r.steps,
    }));
    const relu: FigureNote[] = d.relu
      ? [
          {
            label: 'Deep ReLU stack of such layers',
            text:
              `per layer the forward second moment is multiplied by fan_in · Var(w) · ½ = ${formatNumber(d.relu.factor)}` +
              ` (1/6 for the default's weights); after 10 layers ${formatNumber(d.relu.after10)}, after 50 ${formatNumber(d.relu.after50)}.`,
          },
        ]
      : [];
    const where =
      d.build === 'avx2'
        ? 'PyTorch 1.13, CPU, x86 with AVX2'
        : 'PyTorch 1.13, CPU, default kernels (ARM and Apple-silicon builds)';
    return [
      ...relu,
      ...params,
      {
        label: `Same numbers as your PyTorch (${where})`,
        text: d.drawn
          ? `This Python prints the first values shown above (seed ${d.seed}):`
          : `${d.count} parameters are more than this page draws; the shapes and bounds above still hold. This Python prints the first values:`,
        code: d.snippet,
      },
    ];
  },
};

/** One row per parameter: its name and law, and a dot at its std on a log axis. */
function parametersSpec(d: InspectorData, frame: ChartFrame): ChartSpec {
  const lh = lineHeight(frame.fontSize);
  // At a fixed height (presentation mode) only the drawn parameters get a row; the notes list all.
  const drawnRows = d.parameters.filter((r) => r.std > 0);
  const rows = frame.height !== undefined && drawnRows.length > 0 ? drawnRows : d.parameters;
  // Name and law on one line where the longest fits beside the margins, else on two.
  const oneLine = rows.every(
    (r) =>
      estimateWidth(rowText(r, ' '), frame.fontSize, frame.fontWeight) <=
      frame.width - 3 * frame.fontSize,
  );
  const rowPx = (oneLine ? 2.6 : 3.6) * lh;
  const height = Math.round(Math.max(frame.height ?? 0, rows.length * rowPx + 3.5 * lh));
  const drawn = rows.filter((r) => r.std > 0);
  const stds = drawn.length > 0 ? drawn.map((r) => r.std) : [0.01, 1];
  const x = logAxis(frame, [Math.min(...stds) / 2, Math.max(...stds) * 2], 'x', frame.width);
  return {
    height,
    marginLeft: frame.fontSize,
    marginRight: frame.fontSize * 1.5,
    x: { ...x, label: 'standard deviation (log scale)', grid: true },
    y: { domain: rows.map((r) => r.name), axis: null, padding: 0 },
    color: {
      domain: ['uniform', 'normal'],
      range: [colorOf('kaiming_uniform'), colorOf('xavier_normal')],
    },
    marks: [
      Plot.text(rows, {
        y: 'name',
        frameAnchor: 'left',
        // The name sits just above the row's middle and its dot just below, whatever the band.
        dy: -2,
        lineAnchor: 'bottom',
        textAnchor: 'start',
        text: (r: ParameterRow) => rowText(r, oneLine ? ' ' : '\n'),
        lineHeight: 1.3,
        fill: 'currentColor',
      }),
      Plot.ruleY(drawn, {
        y: 'name',
        x1: x.domain[0],
        x2: 'std',
        dy: lh * 0.55,
        stroke: 'distribution',
        strokeOpacity: 0.35,
        strokeWidth: 2,
      }),
      Plot.dot(drawn, {
        y: 'name',
        x: 'std',
        dy: lh * 0.55,
        r: 5,
        fill: 'distribution',
        symbol: 'distribution',
      }),
    ],
  };
}
