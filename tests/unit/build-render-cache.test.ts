import { describe, expect, it } from 'vitest';
import { renderStaticFigure } from '../../src/figures/build-render';

describe('renderStaticFigure', () => {
  it('renders a figure once per parameters, even when asked twice at the same time', async () => {
    const first = renderStaticFigure('fan-calculator', { layer: 'conv2d' });
    const second = renderStaticFigure('fan-calculator', { layer: 'conv2d' });
    expect(second).toBe(first);
    expect(await second).toBe(await first);
    const other = await renderStaticFigure('fan-calculator', { layer: 'linear' });
    expect(other).not.toBe(await first);
    expect(other.params['layer']).toBe('linear');
  });

  it('does not keep a failure: a bad call fails each time with its reason', async () => {
    await expect(renderStaticFigure('fan-calculator', { layer: 'nonsense' })).rejects.toThrow(
      /bad initial parameters/,
    );
    await expect(renderStaticFigure('fan-calculator', { layer: 'nonsense' })).rejects.toThrow(
      /bad initial parameters/,
    );
  });
});
