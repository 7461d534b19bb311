import type { Page } from '@playwright/test';
import { builtPages, chapterPages, expect, test } from './fixtures';

/**
 * The page grid, measured from the DOM: nothing widens a phone's page, display equations fit the text
 * column on a laptop, and the text column holds a readable line while figures get a wider one.
 */

const PHONE = { width: 390, height: 844 };

/** Loaded, with the site's and KaTeX's fonts in place (they change widths). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.evaluate(() => document.fonts.ready);
}

const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);

for (const javaScriptEnabled of [true, false]) {
  test.describe(`at 390 px, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ viewport: PHONE, javaScriptEnabled });
    for (const path of builtPages()) {
      test(`/${path} does not scroll sideways`, async ({ watched: page }) => {
        await open(page, path);
        expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      });
    }
  });
}

/** Display equations (and Markdown tables) whose content is wider than their box. */
const scrolling = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => ({
        id: el.closest('[id]')?.id ?? '',
        over: el.scrollWidth - el.clientWidth,
        tabIndex: el.getAttribute('tabindex'),
        role: el.getAttribute('role'),
        label: el.getAttribute('aria-label') ?? '',
        cue: getComputedStyle(el).backgroundAttachment,
      })),
  );

for (const path of chapterPages()) {
  test(`/${path} at 1280 px: every display equation fits its column, no code is cut or wrapped`, async ({
    watched: page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, path);
    expect(await scrolling(page, '.equation-body')).toEqual([]);
    // Code cells' sources fit the wide column; code in a table cell stays on one line.
    expect(await scrolling(page, 'ib-cell pre')).toEqual([]);
    const wrapped = await page
      .locator('.table-wrap td code')
      .evaluateAll((codes) =>
        codes.filter((c) => c.getClientRects().length > 1).map((c) => c.textContent),
      );
    expect(wrapped).toEqual([]);
  });

  test(`/${path} at 390 px: what scrolls sideways is focusable, named and shows it scrolls`, async ({
    watched: page,
  }) => {
    await page.setViewportSize(PHONE);
    await open(page, path);
    for (const region of await scrolling(page, '.equation-body, .table-wrap')) {
      expect(region.tabIndex, region.id).toBe('0');
      expect(['group', 'region'], region.id).toContain(region.role);
      expect(region.label, region.id).toMatch(/^(Equation|Table)\b/);
      // Shades fixed at the edges, covers riding with the content (src/styles/global.css).
      expect(region.cue, region.id).toContain('local');
      expect(region.cue, region.id).toContain('scroll');
    }
  });
}

/** Characters per line of the first paragraphs: their width over their font's mean character width. */
const measure = (page: Page) =>
  page.locator('.chapter > p').evaluateAll((ps) => {
    const style = getComputedStyle(ps[0]!);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = ps
      .map((p) => p.textContent ?? '')
      .join(' ')
      .replace(/\s+/g, ' ');
    const width = ps[0]!.getBoundingClientRect().width;
    return width / (context.measureText(text).width / text.length);
  });

for (const width of [1280, 1920]) {
  test(`at ${width} px the text column holds 60–80 characters a line and figures, cells and tables break out wider`, async ({
    watched: page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await open(page, 'chapters/he-kaiming/');
    const perLine = await measure(page);
    expect(perLine).toBeGreaterThanOrEqual(60);
    expect(perLine).toBeLessThanOrEqual(80);
    const text = await page
      .locator('.chapter > p')
      .first()
      .evaluate((p) => p.clientWidth);
    for (const wide of [
      page.getByRole('figure', { name: 'Fan calculator' }),
      page.getByRole('region', { name: 'Code cell 1' }),
      page.getByRole('region', { name: /^Table: from → to/ }),
    ]) {
      const box = await wide.boundingBox();
      expect(box!.width / text).toBeGreaterThanOrEqual(1.25);
      // Centred on the text column, and inside the window.
      const column = await page.locator('.chapter').boundingBox();
      const middle = (b: { x: number; width: number }) => b.x + b.width / 2;
      expect(Math.abs(middle(box!) - middle(column!))).toBeLessThanOrEqual(1);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    }
  });
}
