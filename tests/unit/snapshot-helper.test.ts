import { describe, expect, it } from 'vitest';
import { normaliseSvg, samePicture } from './helpers/snapshot';

describe('SVG snapshot comparison', () => {
  const svg = '<svg><path d="M40,140.53L102,131.83"></path><text>std 4.66</text></svg>';
  it('accepts rounding noise in numbers', () => {
    expect(samePicture(svg, svg.replace('140.53', '140.54'))).toBe(true);
    expect(samePicture(normaliseSvg(svg), normaliseSvg(svg.replace('131.83', '131.8349')))).toBe(
      true,
    );
  });
  it('rejects a moved point, a changed number in text, or changed text', () => {
    expect(samePicture(svg, svg.replace('140.53', '140.63'))).toBe(false);
    expect(samePicture(svg, svg.replace('4.66', '4.76'))).toBe(false);
    expect(samePicture(svg, svg.replace('std', 'var'))).toBe(false);
    expect(samePicture(svg, svg.replace('</text>', '</text><text>1</text>'))).toBe(false);
  });
});
