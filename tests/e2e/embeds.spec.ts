import type { Page } from '@playwright/test';
import { builtPages, expect, test } from './fixtures';

// Live figures compute in a worker on a 2-core machine, often beside other tests: allow time.
test.describe.configure({ timeout: 120_000 });
const LIVE = { timeout: 60_000 };

const SUB_ORIGIN = process.env['E2E_SUB_ORIGIN'] ?? 'http://127.0.0.1:4322';
const SUB_BASE = '/initbook/sub/';

/**
 * A course page on the site's own origin (served by the test, not part of the build) that frames an
 * embed with the documented snippet. Returns the iframe element's handle and the frame.
 */
async function hostPage(page: Page, origin: string, base: string, query: string) {
  const url = `${origin}${base}__test-host__.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Course page</title></head><body>
        <h1>My course</h1>
        <iframe src="${base}embed/variance-by-depth/?${query}" title="Variance by depth (Initbook)"
          width="100%" height="150" style="border: 0" data-initbook-embed></iframe>
        <p>After the figure.</p>
        <script src="${base}embed-resize.js" async></script>
      </body></html>`,
    }),
  );
  await page.goto(url);
  const iframe = page.locator('iframe[data-initbook-embed]');
  const frame = page.frameLocator('iframe[data-initbook-embed]');
  return { iframe, frame };
}

const frameHeight = (page: Page) =>
  page.locator('iframe').evaluate((el) => el.getBoundingClientRect().height);

test('a course page frames an embed: right state, resized frame, malformed messages ignored', async ({
  watched: page,
}) => {
  const { frame } = await hostPage(page, '', '/', 'vbd.depth=12&vbd.activation=tanh');
  // The figure's state comes from the embed's URL.
  await expect(frame.getByLabel('Depth (layers)')).toHaveValue('12');
  await expect(frame.getByLabel('Activation')).toHaveValue('tanh');
  await expect(frame.locator('.ib-summary')).toContainText('at layer 12', LIVE);
  // The resize script sets the frame to the embed's content height (well above the 150 px given).
  await expect.poll(() => frameHeight(page)).toBeGreaterThan(400);
  const content = await frame
    .locator('body')
    .evaluate((body) => Math.ceil(body.getBoundingClientRect().height));
  await expect.poll(() => frameHeight(page)).toBe(content);
  const before = await frameHeight(page);

  // Messages from the embed that are malformed, of another version or out of range change nothing.
  const child = page.frames().find((f) => f.url().includes('/embed/'));
  await child!.evaluate(() => {
    const send = (data: unknown) => window.parent.postMessage(data, '*');
    send('initbook:embed-size 90');
    send(null);
    send({ type: 'initbook:embed-size', version: 2, height: 90 });
    send({ type: 'initbook:embed-size', version: 1, height: '90' });
    send({ type: 'initbook:embed-size', version: 1, height: 1e9 });
    send({ type: 'initbook:embed-size', version: 1, height: Number.NaN });
    send({ type: 'something-else', version: 1, height: 90 });
  });
  // A message from the host page itself (not from the iframe) is not believed either.
  await page.evaluate(() =>
    window.postMessage({ type: 'initbook:embed-size', version: 1, height: 90 }, '*'),
  );
  // A well-formed message sent after them all is applied: so the ones before were read and refused.
  await child!.evaluate(() =>
    window.parent.postMessage({ type: 'initbook:embed-size', version: 1, height: 333 }, '*'),
  );
  await expect.poll(() => frameHeight(page)).toBe(333);
  expect(before).not.toBe(333);
});

test('display options: controls hidden, dark theme, and presentation mode enlarges text', async ({
  watched: page,
}) => {
  // Measured once the chart is live (drawn for the page; the build's picture is a stand-in).
  const textSize = async () => {
    await expect(page.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
    return page
      .locator('.ib-chart > svg text')
      .first()
      .evaluate((t) => t.getBoundingClientRect().height);
  };
  const captionSize = () =>
    page
      .locator('.ib-figure-head')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  await page.setViewportSize({ width: 720, height: 900 });

  await page.goto('embed/variance-by-depth/?theme=light');
  await expect(page.getByLabel('Depth (layers)')).toBeVisible();
  const normal = { chart: await textSize(), caption: await captionSize() };
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.goto('embed/variance-by-depth/?controls=0&mode=present&theme=dark');
  await expect(page.getByLabel('Depth (layers)')).toBeHidden();
  await expect(page.getByRole('img', { name: 'Variance by depth' })).toBeVisible();
  const present = { chart: await textSize(), caption: await captionSize() };
  // Large type, in the page and in the chart, readable from the back of a lecture hall.
  expect(present.chart).toBeGreaterThan(normal.chart * 1.3);
  expect(present.caption).toBeGreaterThan(normal.caption * 1.3);
  // High contrast, dark: white on black.
  const colors = await page.evaluate(() => ({
    bg: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.body).color,
  }));
  expect(colors).toEqual({ bg: 'rgb(0, 0, 0)', text: 'rgb(255, 255, 255)' });
  expect(background).not.toBe(colors.bg);
  // Thick lines in the chart.
  const stroke = await page
    .locator('.ib-chart svg path')
    .last()
    .evaluate((p) => Number.parseFloat(getComputedStyle(p).strokeWidth));
  expect(stroke).toBeGreaterThanOrEqual(3);
});

test('an embed loads only what its figure needs, without visiting a chapter', async ({
  watched: page,
}) => {
  await page.goto('embed/fan-calculator/?fan.layer=conv2d');
  await expect(page.getByRole('figure', { name: /Module inspector/ })).toBeVisible();
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
  const loaded = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
  );
  // No chapter typography, maths, cells, search or theme toggle.
  for (const url of loaded)
    expect(url, url).not.toMatch(/KaTeX|katex|Cell|SiteSearch|ThemeToggle|pagefind/);
  await expect(page.getByRole('link', { name: /Chapter \d+:/ })).toHaveAttribute(
    'href',
    /\/chapters\/[a-z-]+\/$/,
  );
});

/** What the page's stylesheets hold of KaTeX's: rules on .katex selectors, and its @font-face rules. */
const katexRules = (page: Page) =>
  page.evaluate(() => {
    const found = { katexSelectors: 0, katexFonts: 0, sheets: document.styleSheets.length };
    const walk = (rules: CSSRuleList): void => {
      for (const rule of rules) {
        if (rule instanceof CSSFontFaceRule) {
          if (/katex/i.test(rule.style.getPropertyValue('font-family'))) found.katexFonts++;
        } else if (rule instanceof CSSStyleRule) {
          if (rule.selectorText.includes('.katex')) found.katexSelectors++;
          walk(rule.cssRules);
        } else if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules);
      }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    return found;
  });

test('embeds of figures without formulas load no KaTeX stylesheet; the lab’s embed styles its formula', async ({
  watched: page,
}) => {
  const embeds = builtPages().filter((p) => p.startsWith('embed/'));
  expect(embeds).toContain('embed/activation-lab/');
  for (const path of embeds.filter((p) => p !== 'embed/activation-lab/')) {
    await page.goto(path);
    await expect(page.getByRole('figure')).toBeVisible();
    const found = await katexRules(page);
    expect(found.sheets, path).toBeGreaterThan(0);
    expect({ path, ...found }).toEqual({
      path,
      katexSelectors: 0,
      katexFonts: 0,
      sheets: found.sheets,
    });
  }

  await page.goto('embed/activation-lab/');
  const found = await katexRules(page);
  expect(found.katexSelectors).toBeGreaterThan(100);
  expect(found.katexFonts).toBeGreaterThan(10);
  // The derivative is typeset: KaTeX's own font, and its MathML copy kept off screen.
  const formula = page.locator('.ib-note-math .katex').first();
  await expect(formula).toBeVisible();
  const style = await formula.evaluate((el) => ({
    font: getComputedStyle(el).fontFamily,
    mathml: getComputedStyle(el.querySelector('.katex-mathml')!).position,
  }));
  expect(style.font).toMatch(/KaTeX_Main/);
  expect(style.mathml).toBe('absolute');
});

test('the Embed button gives a snippet and a link for the current state, and slide images', async ({
  watched: page,
}) => {
  await page.goto('chapters/why-scale-matters/');
  const figure = page.getByRole('figure', { name: /Variance by depth/ });
  const depth = figure.getByLabel('Depth (layers)');
  await depth.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await expect(figure.locator('.ib-summary')).toContainText('at layer 26', LIVE);

  const open = figure.getByRole('button', { name: 'Embed or use in slides' });
  await open.press('Enter');
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  const code = figure.getByLabel('HTML to paste');
  await expect(code).toHaveValue(
    /<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/variance-by-depth\/\?[^"]*vbd\.depth=26/,
  );
  await expect(code).toHaveValue(
    /<script src="http:\/\/127\.0\.0\.1:\d+\/embed-resize\.js" async><\/script>/,
  );
  await figure.getByLabel('Presentation mode (large type, thick lines)').check();
  await figure.getByLabel('Show controls').uncheck();
  await expect(code).toHaveValue(/controls=0/);
  await expect(code).toHaveValue(/mode=present/);
  // For a slide: a height limit, in the attribute the resize script reads and in the style.
  const limit = figure.getByLabel('Height limit for slides (px)');
  await limit.fill('50');
  await expect(figure.getByRole('status').filter({ hasText: /200 or more/ })).toBeVisible();
  await expect(code).not.toHaveValue(/max-height/);
  await limit.fill('560');
  await expect(code).toHaveValue(/data-initbook-max-height="560"/);
  await expect(code).toHaveValue(/style="[^"]*max-height: 560px/);
  // The chapter's initial values that differ from the schema's defaults still reach the embed:
  // here they coincide, so only the change is written.
  await figure.getByRole('button', { name: 'Copy HTML' }).click();
  await expect(figure.getByRole('status').filter({ hasText: /Copied|Selected/ })).toBeVisible();

  const link = figure.getByRole('link', { name: 'Direct link to this view' });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/\/embed\/variance-by-depth\/\?.*vbd\.depth=26.*controls=0.*mode=present/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'SVG image' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(
    'variance-by-depth_activation-relu_depth-26_gain-1_quantity-pre.svg',
  );

  await page.goto(href!);
  await expect(page.getByLabel('Depth (layers)')).toBeHidden();
  await expect(page.locator('.ib-summary')).toContainText('at layer 26', LIVE);
});

test('embeds work end to end under a sub-path', async ({ watched: page }) => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('__test-host__'))
      failed.push(`${r.status()} ${r.url()}`);
  });
  const { frame } = await hostPage(page, SUB_ORIGIN, SUB_BASE, 'vbd.depth=8');
  await expect(frame.getByLabel('Depth (layers)')).toHaveValue('8');
  await expect(frame.locator('.ib-summary')).toContainText('at layer 8', LIVE);
  await expect.poll(() => frameHeight(page)).toBeGreaterThan(400);
  await expect(frame.getByRole('link', { name: /Chapter 1:/ })).toHaveAttribute(
    'href',
    `${SUB_BASE}chapters/why-scale-matters/`,
  );
  expect(failed).toEqual([]);
});

/**
 * A reveal.js deck (tests/e2e/fixtures/deck.html, on the site's origin, reveal.js from
 * node_modules) whose first slide frames an embed with a height limit, and whose second is text.
 */
async function deck(page: Page) {
  await page.route('**/__reveal__/*', (route) =>
    route.fulfill({
      path: `node_modules/reveal.js/dist/${new URL(route.request().url()).pathname.split('/').pop()}`,
    }),
  );
  await page.route('**/__test-deck__.html', (route) =>
    route.fulfill({ path: 'tests/e2e/fixtures/deck.html', contentType: 'text/html' }),
  );
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('__test-deck__.html');
  await page.waitForFunction(() =>
    (window as unknown as { Reveal: { isReady(): boolean } }).Reveal.isReady(),
  );
  const frame = page.frameLocator('iframe[data-initbook-embed]');
  await expect(frame.getByLabel('Depth (layers)')).toBeVisible();
  const slide = () =>
    page.evaluate(
      () =>
        (window as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h,
    );
  const back = () =>
    page.evaluate(() =>
      (window as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(0),
    );
  return { frame, slide, back };
}

test('in a reveal.js deck, a click into an embed keeps PageDown and the arrows for the deck', async ({
  watched: page,
}) => {
  const { frame, slide, back } = await deck(page);
  // Focus inside the embed, on no control: a click on the figure's summary.
  await frame.locator('.ib-summary').click();
  const focusIn = () =>
    frame.locator('body').evaluate(() => ({
      inFrame: document.hasFocus(),
      active: document.activeElement?.localName,
    }));
  expect(await focusIn()).toEqual({ inFrame: true, active: 'body' });
  await page.keyboard.press('PageDown');
  await expect.poll(slide).toBe(1);

  await back();
  await frame.locator('.ib-summary').click();
  await page.keyboard.press('ArrowRight');
  await expect.poll(slide).toBe(1);
  await page.keyboard.press('PageUp');
  await expect.poll(slide).toBe(0);
});

test('in a deck, a focused slider keeps its arrows; Escape leaves it and the next key moves on', async ({
  watched: page,
}) => {
  const { frame, slide } = await deck(page);
  const depth = frame.getByLabel('Depth (layers)');
  await depth.focus();
  await page.keyboard.press('ArrowRight');
  await expect(depth).toHaveValue('31');
  await expect(frame.locator('.ib-summary')).toContainText('at layer 31', LIVE);
  expect(await slide()).toBe(0);
  await page.keyboard.press('Escape');
  await expect(depth).not.toBeFocused();
  await page.keyboard.press('PageDown');
  await expect.poll(slide).toBe(1);
});

test('a height limit keeps an embed with controls inside its slide; the figure scrolls within', async ({
  watched: page,
}) => {
  await deck(page);
  const iframe = page.locator('iframe[data-initbook-embed]');
  const child = page.frames().find((f) => f.url().includes('/embed/'))!;
  const content = await child.evaluate(() => document.body.getBoundingClientRect().height);
  // Taller than the limit on its own, so the limit is what holds it.
  expect(content).toBeGreaterThan(520);
  await expect
    .poll(() => iframe.evaluate((el) => Number.parseFloat(getComputedStyle(el).height)))
    .toBe(520);
  // The frame ends inside its slide (the slide's size, as reveal.js scales it).
  const fits = await page.evaluate(() => {
    const frame = document.querySelector('iframe')!.getBoundingClientRect();
    const slides = document.querySelector('.reveal .slides')!.getBoundingClientRect();
    return frame.bottom <= slides.bottom + 1;
  });
  expect(fits).toBe(true);
  expect(await child.evaluate(() => document.scrollingElement!.scrollHeight)).toBeGreaterThan(520);
});
