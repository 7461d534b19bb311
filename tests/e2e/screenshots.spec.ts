import type { Browser } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Screenshot snapshots: a few figures as a reader sees them, compared pixel by pixel with the PNGs
 * committed under tests/e2e/__screenshots__/. They catch what the DOM measures cannot: a colour gone
 * wrong, a mark drawn under another, a legend in the wrong place. The DOM checks (figure-layout,
 * figure-frame, layout) say why a layout is right; these say it still looks the same.
 *
 * Review and update (README, "Screenshot snapshots"): `npm run test:screenshots` compares; a failure
 * leaves the expected, actual and diff PNGs in test-results/; after looking at them,
 * `npm run screenshots:update` rewrites the committed PNGs, and the diff of the commit shows them.
 *
 * Static pictures (JavaScript off) at a phone's, a laptop's and a projector's width, one in the dark
 * theme, and one embed live in presentation mode on a 1920 × 1080 projector.
 */
const FIGURES = [
  { page: 'chapters/why-scale-matters/', figure: 'variance-by-depth' },
  { page: 'chapters/signal-propagation/', figure: 'order-chaos' },
  { page: 'chapters/xavier-glorot/', figure: 'distributions-by-layer' },
] as const;
const WIDTHS = [390, 1280, 1920] as const;

/** Tolerance: anti-aliasing may move a few edge pixels between runs; a changed mark moves thousands. */
const SAME = {
  maxDiffPixelRatio: 0.0002,
  threshold: 0.05,
  animations: 'disabled',
  timeout: 30_000,
} as const;

async function staticFigure(
  browser: Browser,
  page: string,
  figure: string,
  width: number,
  colorScheme: 'light' | 'dark',
) {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    javaScriptEnabled: false,
    colorScheme,
  });
  const tab = await context.newPage();
  await tab.goto(page);
  await tab.evaluate(() => document.fonts.ready.then(() => undefined));
  return { figure: tab.locator(`#figure-${figure}`), close: () => context.close() };
}

test.describe.configure({ mode: 'parallel' });

for (const { page, figure } of FIGURES) {
  for (const width of WIDTHS) {
    test(`${figure} at ${width} px, static, light`, async ({ browser }) => {
      const shot = await staticFigure(browser, page, figure, width, 'light');
      await expect(shot.figure).toHaveScreenshot(`${figure}-${width}-light.png`, SAME);
      await shot.close();
    });
  }
}

test('variance-by-depth at 1280 px, static, dark', async ({ browser }) => {
  const shot = await staticFigure(browser, FIGURES[0].page, FIGURES[0].figure, 1280, 'dark');
  await expect(shot.figure).toHaveScreenshot('variance-by-depth-1280-dark.png', SAME);
  await shot.close();
});

test('order-chaos embed, live, in presentation mode at 1920 × 1080', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tab = await context.newPage();
  await tab.goto('embed/order-chaos/?mode=present&controls=0');
  await expect(tab.locator('.ib-chart')).toHaveAttribute('data-state', 'live', { timeout: 90_000 });
  await expect(tab).toHaveScreenshot('order-chaos-present-1920.png', SAME);
  await context.close();
});
