import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { model } from '../../src/figures/order-chaos/model';
import { view } from '../../src/figures/order-chaos/spec';
import { defaults } from '../../src/figures/params';
import { markPickable, pickedPoint } from '../../src/figures/pick';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';

/** The order–chaos panels as the build draws its wide layout (640 px), in a jsdom document. */
function panels(): SVGSVGElement[] {
  const params = defaults(model.schema);
  const data = runToEnd(model.compute(params));
  return renderCharts(view.spec(data, params), {
    document: new JSDOM('').window.document,
    title: model.title,
    summary: model.summary(data, params),
  });
}

describe('picking a point on a chart from its SVG alone', () => {
  it('writes the plane’s parameters and linear scales onto it, and only onto it', () => {
    const svgs = panels();
    markPickable(svgs, view.pick);
    const plane = svgs[0]!;
    expect(plane.dataset['pick']).toBe('sigmaW2 sigmaB2');
    // σ_w² from 0.5 to 4 across the frame, σ_b² from 0 (bottom) to 0.25 (top, below the key).
    expect(plane.dataset['pickX']).toBe('0.5 4 44 625');
    expect(plane.dataset['pickY']).toBe('0 0.25 320 49');
    expect(svgs.slice(1).map((s) => s.dataset['pick'])).toEqual([undefined, undefined]);
  });

  it('reads a click, on an SVG scaled by CSS to half its size, as data coordinates', () => {
    const [plane] = panels();
    markPickable([plane!], view.pick);
    // Laid out at (100, 50), 320 × 185.5 CSS pixels: half of the 640 × 371 viewBox.
    plane!.getBoundingClientRect = () =>
      ({ left: 100, top: 50, width: 320, height: 185.5 }) as DOMRect;
    // viewBox (334.5, 184.5) is σ_w² = 0.5 + 3.5·290.5/581 = 2.25, σ_b² = 0.25·(320 − 184.5)/271 = 0.125.
    const point = pickedPoint(plane!, 100 + 334.5 / 2, 50 + 184.5 / 2)!;
    expect(point['sigmaW2']).toBeCloseTo(2.25, 10);
    expect(point['sigmaB2']).toBeCloseTo(0.125, 10);
  });

  it('reads a click on an SVG centred in a box of another shape (presentation mode’s cells)', () => {
    const [plane] = panels();
    markPickable([plane!], view.pick);
    // The same 640 × 371 picture shown at half size, centred in a 500 × 185.5 box: 90 px each side.
    plane!.getBoundingClientRect = () =>
      ({ left: 100, top: 50, width: 500, height: 185.5 }) as DOMRect;
    const point = pickedPoint(plane!, 100 + 90 + 334.5 / 2, 50 + 184.5 / 2)!;
    expect(point['sigmaW2']).toBeCloseTo(2.25, 10);
    expect(point['sigmaB2']).toBeCloseTo(0.125, 10);
  });

  it('refuses a panel without linear scales, and reads nothing from an unmarked one', () => {
    const svgs = panels();
    // Panel 1 plots the variance on a log scale: a click there cannot be inverted linearly.
    expect(() => markPickable(svgs, { panel: 1, x: 'depth', y: 'sigmaB2' })).toThrow(
      /linear y scale/,
    );
    svgs[2]!.getBoundingClientRect = () =>
      ({ left: 0, top: 0, width: 640, height: 247 }) as DOMRect;
    expect(pickedPoint(svgs[2]!, 10, 10)).toBeUndefined();
  });
});
