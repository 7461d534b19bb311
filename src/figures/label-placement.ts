/**
 * Text placed after Plot has drawn a chart: direct labels moved apart where they would touch, the
 * legend's colours read off them, and crowded tick labels thinned as a last resort.
 *
 * @module
 */
import { dodge, overlappingGroups } from './dodge';
import type { Measure } from './measure';
import { overlaps, textBoxes, translation } from './text-boxes';

/** The class that marks a text mark as direct labels (see render.ts's `directLabels`). */
export const LABEL_CLASS = 'ib-label';

/** The fill a text is drawn in: its own or its group's. */
export const fillOf = (element: Element): string => {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const fill = node.getAttribute('fill');
    if (fill) return fill;
  }
  return 'currentColor';
};

/** Moves each group of horizontally overlapping direct labels apart, within the frame. */
export function dodgeLabels(
  svg: SVGSVGElement,
  measure: Measure,
  top: number,
  bottom: number,
): void {
  const boxes = textBoxes(svg, measure).filter((b) => b.element.closest(`.${LABEL_CLASS}`));
  for (const group of overlappingGroups(boxes)) {
    if (group.length < 2) continue;
    const gap = Math.max(...group.map((b) => b.bottom - b.top)) + 1;
    const centres = dodge(
      group.map((b) => (b.top + b.bottom) / 2),
      gap,
      top + gap / 2,
      bottom - gap / 2,
    );
    group.forEach((b, i) => {
      const [x, y] = translation(b.element);
      const shift = centres[i]! - (b.top + b.bottom) / 2;
      if (Math.abs(shift) > 0.01)
        b.element.setAttribute('transform', `translate(${x},${y + shift})`);
    });
  }
}

/**
 * Tick labels that still collide (a long label on a short axis) lose every other label, so those
 * left are readable; a last resort, since the views choose tick counts that fit.
 */
export function thinCrowdedTicks(svg: SVGSVGElement, measure: Measure): void {
  for (const group of svg.querySelectorAll('g[aria-label$="-axis tick label"]')) {
    for (let round = 0; round < 3; round++) {
      const boxes = textBoxes(group, measure);
      if (!boxes.some((b, i) => i > 0 && overlaps(boxes[i - 1]!, b, 0))) break;
      boxes.forEach((b, i) => {
        if (i % 2 === 1) b.element.textContent = '';
      });
    }
  }
}
