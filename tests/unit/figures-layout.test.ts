import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { dodge, overlappingGroups } from '../../src/figures/dodge';
import { BUILD_LAYOUTS, buildFrame, pageFrame, presentFrame } from '../../src/figures/frame';
import { wrap } from '../../src/figures/header';
import { estimateWidth, type Measure } from '../../src/figures/measure';
import { MODELS } from '../../src/figures/models';
import { defaults } from '../../src/figures/params';
import { directLabels, renderChart, renderCharts, type ChartSpec } from '../../src/figures/render';
import { collisions, textBoxes, translation } from '../../src/figures/text-boxes';
import { runToEnd } from '../../src/figures/types';
import { figureView } from '../../src/figures/views';

const { document } = new JSDOM('').window;
const render = (spec: ChartSpec, width = 640, measure: Measure = estimateWidth) =>
  renderChart(spec, { document, frame: pageFrame(width), measure, title: 't', summary: 's' });
/** The frame's left edge: where Plot draws the y-axis ticks. */
const frameLeft = (svg: SVGSVGElement) =>
  translation(svg.querySelector('g[aria-label="y-axis tick"] path')!)[0];
const series = (name: string, end: number) =>
  [1, 2, 3, 4].map((x) => ({ name, x, y: x === 4 ? end : x }));

describe('dodge: direct labels moved apart as little as possible', () => {
  it('pushes crowded labels down, then back up under the bound, keeping their order', () => {
    expect(dodge([100, 102, 150], 14, 0, 400)).toEqual([100, 114, 150]);
    expect(dodge([102, 100], 14, 0, 105)).toEqual([105, 91]);
    expect(dodge([50, 80], 14, 0, 400)).toEqual([50, 80]);
  });

  it('groups labels whose horizontal spans overlap', () => {
    const groups = overlappingGroups([
      { left: 0, right: 10 },
      { left: 5, right: 20 },
      { left: 30, right: 40 },
    ]);
    expect(groups.map((g) => g.length)).toEqual([2, 1]);
  });
});

describe('margins come from the measured labels', () => {
  const spec: ChartSpec = {
    height: 300,
    y: { label: 'a quantity', domain: [0, 100_000], ticks: [0, 50_000, 100_000] },
    x: { label: 'layer', domain: [1, 4] },
    marks: [Plot.line(series('a', 4), { x: 'x', y: 'y' })],
  };

  it('leaves room for the widest tick label, and no more', () => {
    const narrow: Measure = (t, size) => t.length * size * 0.5;
    const wide: Measure = (t, size) => t.length * size;
    // The labels read 0, 50000 and 1e5 (the figures' number format): the widest has five glyphs,
    // 13 px each at full width, 6.5 at half.
    const grown = frameLeft(render(spec, 640, wide)) - frameLeft(render(spec, 640, narrow));
    expect(Math.abs(grown - 5 * 13 * 0.5)).toBeLessThanOrEqual(1);
    // The tick (6 px), Plot's padding (3 px) and a margin of 3 px beside the label.
    expect(Math.abs(frameLeft(render(spec, 640, wide)) - (5 * 13 + 12))).toBeLessThanOrEqual(1);
  });

  it('puts the y label and the key above the frame, the x label under the tick labels', () => {
    const svg = render({ ...spec, keys: ['dashed: theory'] });
    const boxes = textBoxes(svg, estimateWidth);
    const at = (text: string) => boxes.find((b) => b.text === text)!;
    const top = at('1e5');
    expect(at('↑ a quantity').bottom).toBeLessThanOrEqual(top.top);
    expect(at('dashed: theory').bottom).toBeLessThanOrEqual(top.top);
    expect(at('layer →').top).toBeGreaterThanOrEqual(
      Math.max(...boxes.filter((b) => b.text === '4').map((b) => b.bottom)),
    );
    expect(collisions(boxes)).toEqual([]);
  });

  it('wraps a key at its separators first', () => {
    const fits = (t: string) => t.length <= 20;
    expect(wrap('lines: theory · dots: simulation', fits)).toEqual([
      'lines: theory',
      'dots: simulation',
    ]);
    expect(wrap('a rather long single phrase here', fits)).toEqual([
      'a rather long single',
      'phrase here',
    ]);
  });
});

describe('direct labels', () => {
  const labelled = (ends: [number, number]): ChartSpec => ({
    height: 300,
    y: { domain: [0, 10], label: null },
    x: { domain: [1, 4], label: null },
    marks: [
      Plot.line([...series('first', ends[0]), ...series('second', ends[1])], {
        x: 'x',
        y: 'y',
        z: 'name',
      }),
      directLabels(
        [
          { x: 4, y: ends[0], name: 'first series' },
          { x: 4, y: ends[1], name: 'second series' },
        ],
        { x: 'x', y: 'y', text: 'name', fill: 'var(--ib-chart-xavier-normal)' },
      ),
    ],
  });

  it('are moved apart when their lines end together', () => {
    const svg = render(labelled([5, 5.05]));
    const labels = textBoxes(svg, estimateWidth).filter((b) => b.text.endsWith('series'));
    expect(labels).toHaveLength(2);
    expect(collisions(labels)).toEqual([]);
  });

  it('become a legend above the chart where they would take too much of its width', () => {
    const svg = render(labelled([2, 8]), 300);
    expect(svg.querySelector('.ib-label')).toBeNull();
    const key = [...svg.querySelectorAll('.ib-key text')].map((t) => t.textContent);
    expect(key).toEqual(['first series', 'second series']);
    expect(svg.querySelectorAll('.ib-key rect')).toHaveLength(2);
    expect(render(labelled([2, 8]), 900).querySelectorAll('.ib-label text')).toHaveLength(2);
  });
});

describe('every view, at every layout', () => {
  const frames = [
    ...BUILD_LAYOUTS.map((l) => [l.layout, buildFrame(l.width)] as const),
    ['page 1000', pageFrame(1000)] as const,
    ['projector cell', presentFrame(600, 700, 1920)] as const,
  ];
  for (const [id, model] of Object.entries(MODELS)) {
    it(`${id}: no chart text overlaps another or leaves its chart (estimated widths)`, async () => {
      const params = defaults(model.schema);
      await model.prepare?.();
      const data = runToEnd(model.compute(params));
      const view = await figureView(id);
      const problems: string[] = [];
      for (const [name, frame] of frames) {
        const svgs = renderCharts(view.spec(data, params, frame), {
          document,
          frame,
          title: id,
          summary: '',
        });
        for (const svg of svgs) {
          const w = Number(svg.getAttribute('width'));
          const h = Number(svg.getAttribute('height'));
          const boxes = textBoxes(svg, estimateWidth);
          for (const [a, b] of collisions(boxes)) problems.push(`${name}: “${a}” on “${b}”`);
          for (const b of boxes) {
            if (b.left < 0 || b.top < 0 || b.right > w + 0.5 || b.bottom > h + 0.5) {
              problems.push(`${name}: “${b.text}” outside the ${w}×${h} chart`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
