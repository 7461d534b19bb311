import type { Page } from '@playwright/test';

/**
 * Measures every chart on the page from the DOM and returns what a reader would mind, one line per
 * problem: chart texts that overlap (by more than 1 px both ways), texts outside their SVG, text
 * rendered under `minText` px, panels narrower than `minShare` of their chart container, and, with
 * `contrast`, chart text under 4.5:1 or marks under 3:1 against the chart's background (WCAG
 * relative luminance; opacity blended in; marks drawn on a heatmap, against it, are left out, and
 * so are faint context marks under half opacity).
 */
export function chartProblems(
  page: Page,
  options: { minText: number; minShare: number; contrast: boolean },
): Promise<string[]> {
  return page.evaluate(({ minText, minShare, contrast }) => {
    const problems: string[] = [];
    const rgba = (css: string): [number, number, number, number] | null => {
      const m = /rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\)/.exec(css);
      return m
        ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])]
        : null;
    };
    const luminance = ([r, g, b]: number[]) => {
      const f = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const ratio = (a: number[], b: number[]) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const blend = (c: number[], alpha: number, bg: number[]) =>
      c.slice(0, 3).map((v, i) => v * alpha + bg[i]! * (1 - alpha));
    const backgroundOf = (el: Element): number[] => {
      for (let node: Element | null = el; node; node = node.parentElement) {
        const c = rgba(getComputedStyle(node).backgroundColor);
        if (c && c[3] > 0) return c;
      }
      return [255, 255, 255, 1];
    };
    /** Opacity of an element and its groups (`opacity` is not inherited; paint opacities are). */
    const opacityOf = (el: Element, paint: 'fill' | 'stroke') => {
      let alpha = Number(getComputedStyle(el)[`${paint}Opacity`]) || 0;
      for (
        let node: Element | null = el;
        node && node.tagName !== 'svg';
        node = node.parentElement
      ) {
        alpha *= Number(getComputedStyle(node).opacity);
      }
      return alpha;
    };

    const charts = [...document.querySelectorAll<HTMLElement>('.ib-chart')].filter(
      (c) => c.getClientRects().length > 0,
    );
    for (const chart of charts) {
      const name = chart.closest('figure')?.id ?? 'chart';
      const frame = chart.getBoundingClientRect();
      const bg = backgroundOf(chart);
      const svgs = [...chart.querySelectorAll<SVGSVGElement>(':scope > svg')].filter(
        (s) => s.getClientRects().length > 0,
      );
      if (svgs.length === 0) problems.push(`${name}: no chart on screen`);
      svgs.forEach((svg, p) => {
        const where = `${name} panel ${p + 1}`;
        const box = svg.getBoundingClientRect();
        if (box.width < minShare * frame.width - 1) {
          problems.push(
            `${where}: ${Math.round(box.width)} px wide in a ${Math.round(frame.width)}-px frame`,
          );
        }
        const viewBox = svg.viewBox.baseVal;
        const scale =
          viewBox && viewBox.width > 0
            ? Math.min(box.width / viewBox.width, box.height / viewBox.height)
            : 1;
        const texts = [...svg.querySelectorAll('text')]
          .filter((t) => (t.textContent ?? '').trim() !== '')
          .map((t) => ({ t, r: t.getBoundingClientRect(), text: (t.textContent ?? '').trim() }))
          .filter(({ r }) => r.width > 0 && r.height > 0);
        for (const { t, r, text } of texts) {
          const size = Number.parseFloat(getComputedStyle(t).fontSize) * scale;
          if (size < minText - 0.05) problems.push(`${where}: “${text}” at ${size.toFixed(1)} px`);
          if (
            r.left < box.left - 1 ||
            r.right > box.right + 1 ||
            r.top < box.top - 1 ||
            r.bottom > box.bottom + 1
          ) {
            problems.push(`${where}: “${text}” clipped by the chart's edge`);
          }
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            const a = texts[i]!.r;
            const b = texts[j]!.r;
            const same =
              texts[i]!.text === texts[j]!.text &&
              Math.abs(a.left - b.left) < 0.5 &&
              Math.abs(a.top - b.top) < 0.5;
            const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (!same && dx > 1 && dy > 1) {
              problems.push(`${where}: “${texts[i]!.text}” overlaps “${texts[j]!.text}”`);
            }
          }
        }
        if (!contrast) return;
        for (const { t, text } of texts) {
          const style = getComputedStyle(t);
          const fill = rgba(style.fill);
          if (!fill) continue;
          // Halo labels (a stroke painted under the fill) are read against their halo.
          const halo = style.paintOrder.startsWith('stroke') ? rgba(style.stroke) : null;
          const against = halo && halo[3] > 0 ? halo : bg;
          const c = ratio(blend(fill, opacityOf(t, 'fill'), against), against);
          if (c < 4.5) problems.push(`${where}: text “${text}” at ${c.toFixed(2)}:1`);
        }
        // Marks drawn on a heatmap are read against it (and carry halos): only free-standing ones.
        const picture = [
          ...svg.querySelectorAll('g[aria-label="rect"], g[aria-label="cell"]'),
        ].some((g) => g.querySelectorAll('rect').length > 50);
        if (picture) return;
        const marks: [Element, 'fill' | 'stroke'][] = [
          ...[...svg.querySelectorAll('g[aria-label="line"] path')].map(
            (e) => [e, 'stroke'] as [Element, 'stroke'],
          ),
          ...[...svg.querySelectorAll('g[aria-label="rule"] line')].map(
            (e) => [e, 'stroke'] as [Element, 'stroke'],
          ),
          ...[...svg.querySelectorAll('g[aria-label="dot"] :is(circle, path)')].map(
            (e) =>
              [e, getComputedStyle(e).fill === 'none' ? 'stroke' : 'fill'] as [
                Element,
                'fill' | 'stroke',
              ],
          ),
          ...[...svg.querySelectorAll('g[aria-label="bar"] rect')].map(
            (e) => [e, 'fill'] as [Element, 'fill'],
          ),
        ];
        const seen = new Set<string>();
        for (const [el, paint] of marks) {
          const color = rgba(getComputedStyle(el)[paint]);
          const alpha = opacityOf(el, paint);
          if (!color || alpha < 0.5) continue;
          const c = ratio(blend(color, alpha, bg), bg);
          const key = `${el.closest('g[aria-label]')?.getAttribute('aria-label')} ${color.join(',')} ${alpha}`;
          if (c < 3 && !seen.has(key)) {
            seen.add(key);
            problems.push(`${where}: ${key} mark at ${c.toFixed(2)}:1`);
          }
        }
      });
    }
    return problems;
  }, options);
}
