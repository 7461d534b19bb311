import type { Browser, Page } from '@playwright/test';
import { chartProblems } from './chart-layout';
import { builtPages, chapterPages, expect, test } from './fixtures';

/**
 * Every figure on every chapter and embed page, measured from the DOM at a phone's, a laptop's and a
 * projector's width, in both themes, with JavaScript off (the build-time picture) and on (the live
 * one): no chart text overlaps another or leaves its chart, text renders at 11 px or more, charts
 * fill at least 85 % of their frame on the two wide screens, and in the dark theme chart text reads
 * at 4.5:1 and marks at 3:1. Then each embed in presentation mode on a 1920 × 1080 projector:
 * text at 22 px or more, and nothing scrolls.
 */
const EMBEDS = builtPages().filter((p) => /^embed\/[\w-]+\/$/.test(p));
const PAGES = [...chapterPages(), ...EMBEDS];
const WIDTHS = [390, 1280, 1920] as const;
const LIVE = { timeout: 90_000 };

test.describe.configure({ mode: 'parallel', timeout: 240_000 });

async function open(browser: Browser, url: string, width: number, height: number, js: boolean) {
  const context = await browser.newContext({
    viewport: { width, height },
    javaScriptEnabled: js,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  if (js) await everyChartLive(page);
  return { page, errors, close: () => context.close() };
}

/** Each figure redraws its build-time picture at the page's size once it is live. */
async function everyChartLive(page: Page): Promise<void> {
  const charts = page.locator('.ib-chart');
  const count = await charts.count();
  for (let i = 0; i < count; i++) {
    await expect(charts.nth(i)).toHaveAttribute('data-state', 'live', LIVE);
  }
}

async function check(page: Page, width: number, minText: number, present = false) {
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const found = await chartProblems(page, {
      minText,
      minShare: width >= 1280 && !present ? 0.85 : 0,
      contrast: colorScheme === 'dark',
    });
    problems.push(...found.map((p) => `${colorScheme}: ${p}`));
  }
  return problems;
}

for (const url of PAGES) {
  for (const width of WIDTHS) {
    test(`/${url} at ${width} px: charts fit and read, static and live, light and dark`, async ({
      browser,
    }) => {
      for (const js of [false, true]) {
        const { page, errors, close } = await open(browser, url, width, 900, js);
        const problems = await check(page, width, 11);
        await close();
        expect(problems, js ? 'live' : 'static').toEqual([]);
        expect(errors).toEqual([]);
      }
    });
  }
}

// Presentation mode is switched on by the embed's options script: it needs JavaScript.
for (const url of EMBEDS) {
  test(`/${url} in presentation mode fills a 1920 × 1080 projector`, async ({ browser }) => {
    const { page, errors, close } = await open(
      browser,
      `${url}?mode=present&controls=0`,
      1920,
      1080,
      true,
    );
    const problems = await check(page, 1920, 22, true);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollHeight - window.innerHeight,
    );
    await close();
    expect(problems).toEqual([]);
    expect(overflow, 'scrolls').toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
}
