import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { builtPages, chapterPages, expect, test } from './fixtures';

/**
 * The page grid, measured from the DOM: nothing widens a phone's page, display equations fit the text
 * column on a laptop, the text column holds a readable line and figures get a wider one, and the
 * printed page drops the controls and keeps figures whole without half-empty pages.
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
      page.getByRole('figure', { name: 'Module inspector' }),
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

test.describe('in print', () => {
  for (const path of ['chapters/why-scale-matters/', 'chapters/he-kaiming/']) {
    test(`/${path} prints no controls and keeps figures and their charts whole`, async ({
      watched: page,
    }) => {
      await open(page, path);
      await page.emulateMedia({ media: 'print' });
      for (const role of ['button', 'slider', 'checkbox', 'combobox', 'textbox', 'searchbox']) {
        await expect(page.getByRole(role as 'button').filter({ visible: true })).toHaveCount(0);
      }
      await expect(
        page.locator('.ib-run, .ib-export, .ib-share').filter({ visible: true }),
      ).toHaveCount(0);
      const breaks = await page.locator('.ib-figure').evaluateAll((figures) =>
        figures.map((f) => ({
          id: f.id,
          panels: f.querySelectorAll('.ib-chart > svg').length,
          figure: getComputedStyle(f).breakInside,
          charts: [...f.querySelectorAll('.ib-chart > svg')].map(
            (s) => getComputedStyle(s).breakInside,
          ),
          caption: getComputedStyle(f.querySelector('figcaption')!).breakInside,
        })),
      );
      expect(breaks.length).toBeGreaterThan(0);
      for (const b of breaks) {
        // One chart: the figure stays on one page. Several: it may break between panels only.
        if (b.panels === 1) expect(b.figure, b.id).toBe('avoid');
        expect(
          b.charts.every((c) => c === 'avoid'),
          b.id,
        ).toBe(true);
        expect(b.caption, b.id).toBe('avoid');
      }
    });

    test(`/${path} as a PDF: no page but the last is more than half blank`, async ({
      watched: page,
    }) => {
      test.skip(
        spawnSync('pdftoppm', ['-v']).error !== undefined,
        'needs pdftoppm (poppler-utils) to look at the pages',
      );
      await open(page, path);
      const dir = mkdtempSync(join(tmpdir(), 'initbook-print-'));
      try {
        writeFileSync(join(dir, 'page.pdf'), await page.pdf({ format: 'A4' }));
        const run = spawnSync('pdftoppm', [
          '-r',
          '20',
          '-gray',
          join(dir, 'page.pdf'),
          join(dir, 'p'),
        ]);
        expect(run.status, String(run.stderr)).toBe(0);
        const inked = readdirSync(dir)
          .filter((name) => name.endsWith('.pgm'))
          .sort()
          .map((name) => lastInkedRow(readFileSync(join(dir, name))));
        expect(inked.length).toBeGreaterThan(1);
        expect(inked.slice(0, -1).filter((fraction) => fraction < 0.5)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** How far down a page (0 to 1) its last non-white pixel is, from a binary greyscale PGM (P5). */
function lastInkedRow(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 64));
  if (!header) throw new Error('pdftoppm did not write a binary PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const start = header[0].length;
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0; x < width; x++) {
      if (pgm[start + y * width + x]! < 200) return (y + 1) / height;
    }
  }
  return 0;
}
