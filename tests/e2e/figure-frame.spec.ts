import { expect, test } from './fixtures';

const CHAPTER_1 = 'chapters/why-scale-matters/';
const LIVE = { timeout: 60_000 };

test.describe.configure({ timeout: 120_000 });

const varianceFigure = (page: import('@playwright/test').Page) =>
  page.getByRole('figure', { name: /Variance by depth/ });

/** The chart's panels on screen, as [SVG width, container width]. */
const widths = (page: import('@playwright/test').Page) =>
  varianceFigure(page)
    .locator('.ib-chart')
    .evaluate((chart) => [
      Number(chart.querySelector(':scope > svg')!.getAttribute('width')),
      chart.clientWidth,
    ]);

test('the chart is drawn at its column’s width, and again when the width changes', async ({
  watched: page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(CHAPTER_1);
  const chart = varianceFigure(page).locator('.ib-chart');
  await expect(chart).toHaveAttribute('data-state', 'live', LIVE);
  const [drawn, column] = await widths(page);
  expect(Math.abs(drawn! - column!)).toBeLessThanOrEqual(4);
  await page.setViewportSize({ width: 390, height: 900 });
  await expect
    .poll(async () => {
      const [w, c] = await widths(page);
      return Math.abs(w! - c!) <= 4 && c! < column!;
    }, LIVE)
    .toBe(true);
});

test('numbers read the same in the build and once live: table, slider values, ∞', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER_1);
  const figure = varianceFigure(page);
  const table = figure.locator('.ib-data tbody');
  const built = await table.textContent();
  // The build writes three significant digits, in exponent form for the tiny theory values.
  expect(built).toMatch(/\d\.\d\de-\d/);
  const depth = figure.getByLabel('Depth (layers)');
  await depth.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(figure.locator('.ib-summary')).toContainText('at layer 29', LIVE);
  await page.keyboard.press('ArrowRight');
  await expect(figure.locator('.ib-summary')).toContainText('at layer 30', LIVE);
  expect(await table.textContent()).toBe(built);
  await expect(depth).toHaveAttribute('aria-valuetext', '30');
});

test('“Full screen” puts the figure on the whole screen, from the keyboard, and back', async ({
  watched: page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(CHAPTER_1);
  const figure = varianceFigure(page);
  await expect(figure.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
  const button = figure.getByRole('button', { name: 'Full screen' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(figure.getByRole('button', { name: 'Exit full screen' })).toBeFocused();
  expect(await page.evaluate(() => document.fullscreenElement?.id)).toBe(
    'figure-variance-by-depth',
  );
  // Redrawn to fill the screen's height with presentation type, nothing below it scrolled to.
  await expect
    .poll(
      () =>
        figure.locator('.ib-chart').evaluate((chart) => {
          const svg = chart.querySelector(':scope > svg')!;
          return (
            Math.abs(Number(svg.getAttribute('height')) - chart.clientHeight) <= 4 &&
            Number.parseFloat(getComputedStyle(svg).fontSize) >= 18
          );
        }),
      LIVE,
    )
    .toBe(true);
  await page.keyboard.press('Enter');
  await expect(figure.getByRole('button', { name: 'Full screen' })).toBeVisible();
  expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
});

test('a fixed presentation size from the embed URL, and a clear message for a bad one', async ({
  watched: page,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto('embed/variance-by-depth/?mode=present&controls=0&size=1280x720');
  await expect(page.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
  const box = await page.locator('main').boundingBox();
  expect([Math.round(box!.width), Math.round(box!.height)]).toEqual([1280, 720]);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
    1000,
  );
  await expect(page.getByRole('status').filter({ hasText: 'size' })).toHaveCount(0);

  for (const bad of ['huge', '99999x720', '1280x100']) {
    await page.goto(`embed/variance-by-depth/?mode=present&controls=0&size=${bad}`);
    await expect(page.getByRole('status').filter({ hasText: `The size “${bad}”` })).toContainText(
      'from 320x240 to 3840x2160',
    );
    await expect(page.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
    // Falls back to filling the window.
    const main = await page.locator('main').boundingBox();
    expect(Math.round(main!.width)).toBe(1600);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
      1000,
    );
  }
});

test('presentation mode with the settings shown, on a 1280 × 720 slide: settings beside the chart, every panel tall enough to read, nothing outside the frame', async ({
  watched: page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('embed/training-curves/?mode=present');
  const figure = page.getByRole('figure', { name: /Training curves/ });
  await expect(figure.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
  const layout = await figure.evaluate((fig) => {
    const box = (el: Element) => el.getBoundingClientRect();
    const chart = fig.querySelector('.ib-chart')!;
    const panels = [...chart.querySelectorAll(':scope > svg')].filter(
      (svg) => getComputedStyle(svg).display !== 'none',
    );
    return {
      figureBottom: box(fig).bottom,
      chartRight: box(chart).right,
      settingsLeft: box(fig.querySelector('.ib-side')!).left,
      panelHeights: panels.map((svg) => Math.round(box(svg).height)),
    };
  });
  expect(layout.figureBottom).toBeLessThanOrEqual(720);
  expect(layout.chartRight).toBeLessThanOrEqual(layout.settingsLeft);
  expect(layout.panelHeights).toHaveLength(4);
  // 15rem at presentation type (24 px) less the gap: a short slide scrolls the chart's column.
  for (const h of layout.panelHeights) expect(h).toBeGreaterThanOrEqual(300);
});
