import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { chapterPages, expect, test } from './fixtures';

const CHAPTER_1 = 'chapters/why-scale-matters/';
const PYTORCH = 'chapters/pytorch-defaults/';
const BIASES = 'chapters/biases-and-output-layers/';
const MEAN_FIELD = 'chapters/signal-propagation/';
const BEYOND = 'chapters/beyond-rules-of-thumb/';
const LIVE = { timeout: 60_000 };

// Live figures compute in a worker on a 2-core machine, often beside other tests: allow time.
test.describe.configure({ timeout: 120_000 });

const varianceFigure = (page: import('@playwright/test').Page) =>
  page.getByRole('figure', { name: /Variance by depth/ });
const fanFigure = (page: import('@playwright/test').Page) =>
  page.getByRole('figure', { name: /Module inspector/ });

test('moving a labelled slider with the keyboard redraws the chart and its summary', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER_1);
  const figure = varianceFigure(page);
  const summary = figure.locator('.ib-summary');
  await expect(summary).toContainText('at layer 30');
  const depth = figure.getByLabel('Depth (layers)');
  await depth.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect(depth).toHaveValue('25');
  await expect(summary).toContainText('at layer 25', LIVE);
  // 25 layers × 2 initializations: one dot per layer and init.
  await expect(figure.locator('.ib-chart svg circle')).toHaveCount(50);
  await expect(page).toHaveURL(/[?&]vbd\.depth=25(&|$)/);
});

test('with two cores a second worker computes half the batch, and the picture is the same', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER_1);
  const figure = varianceFigure(page);
  const summary = figure.locator('.ib-summary');
  await expect(summary).toContainText('at layer 30');
  // The summary built ahead of time, in one piece.
  const built = await summary.textContent();
  const depth = figure.getByLabel('Depth (layers)');
  await depth.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(summary).toContainText('at layer 29', LIVE);
  await page.keyboard.press('ArrowRight');
  await expect(summary).toContainText('at layer 30', LIVE);
  // Live at depth 30 × width 256 × batch 64, split across the two engine workers.
  expect(await summary.textContent()).toBe(built);
  const parts = await Promise.all(
    page
      .workers()
      .map((w) =>
        w.evaluate(() => performance.getEntriesByName('initbook:batch-part').length).catch(() => 0),
      ),
  );
  expect(parts.filter((n) => n > 0)).toHaveLength(1);
});

test('the URL state reproduces the picture, and survives a reload', async ({ watched: page }) => {
  await page.goto(`${CHAPTER_1}?vbd.depth=12&vbd.activation=tanh&vbd.inits=xavier_normal`);
  const figure = varianceFigure(page);
  await expect(figure.getByLabel('Depth (layers)')).toHaveValue('12');
  await expect(figure.getByLabel('Activation')).toHaveValue('tanh');
  await expect(figure.getByLabel('Xavier normal')).toBeChecked();
  await expect(figure.getByLabel('He normal', { exact: true })).not.toBeChecked();
  const summary = figure.locator('.ib-summary');
  await expect(summary).toContainText('tanh', LIVE);
  await expect(summary).toContainText('at layer 12');
  await expect(summary).not.toContainText('He normal');
  await figure.getByLabel('Width (units per layer)').focus();
  await page.keyboard.press('Home');
  await expect(summary).toContainText('width 8', LIVE);
  await page.reload();
  await expect(varianceFigure(page).getByLabel('Width (units per layer)')).toHaveValue('8');
  await expect(varianceFigure(page).locator('.ib-summary')).toContainText('width 8', LIVE);
});

test('presets and reset set the controls the prose refers to', async ({ watched: page }) => {
  await page.goto(CHAPTER_1);
  const figure = varianceFigure(page);
  await figure.getByRole('button', { name: 'tanh with Xavier' }).click();
  await expect(figure.getByLabel('Activation')).toHaveValue('tanh');
  await expect(figure.locator('.ib-summary')).toContainText('tanh', LIVE);
  await figure.getByRole('button', { name: 'Reset' }).click();
  await expect(figure.getByLabel('Activation')).toHaveValue('relu');
  await expect(figure.locator('.ib-summary')).toContainText('relu', LIVE);
  await expect(page).toHaveURL(new RegExp(`${CHAPTER_1}$`));
});

for (const [width, limit] of [
  [1280, 600],
  [390, 700],
] as const) {
  test(`at ${width} px every figure shows its title, then its chart, then a short row of settings`, async ({
    watched: page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    for (const chapter of chapterPages()) {
      await page.goto(chapter);
      const figures = page.locator('ib-figure');
      await expect(page.locator('form.ib-controls:not([hidden])')).toHaveCount(
        await figures.count(),
      );
      const layout = await figures.evaluateAll((all) =>
        all.map((el) => {
          const box = (selector: string) => el.querySelector(selector)?.getBoundingClientRect();
          const figure = box('figure')!;
          const head = box('.ib-figure-head')!;
          const chart = box('.ib-chart')!;
          const form = box('form.ib-controls')!;
          const more = el.querySelector<HTMLDetailsElement>('details.ib-more');
          return {
            id: el.querySelector('figure')!.id,
            chartFromTop: chart.top - figure.top,
            titleAbove: head.bottom <= chart.top,
            settingsAfter: form.top >= chart.bottom - 1 || form.left >= chart.right - 1,
            primary: el.querySelectorAll('.ib-primary > .ib-field').length,
            moreClosed: more === null || !more.open,
          };
        }),
      );
      expect(layout.length, chapter).toBeGreaterThan(0);
      for (const f of layout) {
        expect(f.chartFromTop, `${chapter} ${f.id}`).toBeLessThanOrEqual(limit);
        expect(f, `${chapter} ${f.id}`).toMatchObject({
          titleAbove: true,
          settingsAfter: true,
          moreClosed: true,
        });
        expect(f.primary, `${chapter} ${f.id}`).toBeGreaterThan(0);
        expect(f.primary, `${chapter} ${f.id}`).toBeLessThanOrEqual(4);
      }
    }
  });
}

test('the settings under “More settings” work: from the URL, after a preset, and by keyboard', async ({
  watched: page,
}) => {
  // A link that sets one of them applies it and opens the disclosure to show it.
  await page.goto(`${CHAPTER_1}?vbd.width=64`);
  let figure = varianceFigure(page);
  const more = figure.locator('details.ib-more');
  await expect(more).toHaveAttribute('open', '');
  await expect(figure.getByLabel('Width (units per layer)')).toHaveValue('64');
  await expect(figure.locator('.ib-summary')).toContainText('width 64', LIVE);
  await expect(more.locator('summary')).toHaveText(/More settings\s*\(1 changed\)/);

  // Without one, it starts closed; a preset that changes hidden settings says how many.
  await page.goto(CHAPTER_1);
  figure = varianceFigure(page);
  const summary = figure.locator('details.ib-more > summary');
  await expect(figure.locator('details.ib-more')).not.toHaveAttribute('open', '');
  await expect(figure.getByLabel('Width (units per layer)')).toBeHidden();
  await expect(summary).toHaveText(/^\s*More settings\s*$/);
  await figure.getByRole('button', { name: 'Residual blocks, He' }).click();
  await expect(summary).toHaveText(/More settings\s*\(\d changed\)/);
  await expect(figure.locator('.ib-summary')).toContainText('residual blocks', LIVE);
  // Keyboard: the disclosure opens with Enter, and its controls work like the others.
  await summary.focus();
  await page.keyboard.press('Enter');
  const alpha = figure.getByLabel('Branch scale α');
  await expect(alpha).toBeVisible();
  await alpha.focus();
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(/[?&]vbd\.alpha=0(&|$)/);
  await figure.getByRole('button', { name: 'Reset' }).click();
  await expect(summary).toHaveText(/^\s*More settings\s*$/);
});

test('hostile URL values are clamped or refused with a visible message, never run', async ({
  watched: page,
}) => {
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  const evil = encodeURIComponent('<img src=x onerror=alert(1)>');
  await page.goto(
    `${PYTORCH}?fan.inputs=99999999&fan.layer=${evil}&fan.groups=NaN&fan.__proto__=1`,
  );
  const figure = fanFigure(page);
  const message = figure.getByRole('status').first();
  await expect(message).toContainText('outside 1–8192; using 8192');
  await expect(message).toContainText('is not one of the options');
  await expect(message).toContainText('is not a number');
  await expect(figure.getByLabel(/^Input size/)).toHaveValue('8192');
  await expect(figure.locator('.ib-summary')).toContainText('nn.Linear(8192, 128)', LIVE);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('an impossible combination shows its reason in place and keeps the last picture', async ({
  watched: page,
}) => {
  await page.goto(PYTORCH);
  const figure = fanFigure(page);
  await figure.getByLabel(/^groups/).fill('5');
  await expect(figure.getByRole('status').first()).toContainText(
    'is not divisible by groups (5)',
    LIVE,
  );
  // Both panels (the module's parameters, the schemes for its weight) stay.
  await expect(figure.locator('.ib-chart svg')).toHaveCount(2);
  await figure.getByLabel(/^groups/).fill('4');
  await expect(figure.locator('.ib-summary')).toContainText('(128, 16, 3, 3)', LIVE);
  await expect(figure.getByRole('status').first()).toHaveText('');
});

test('the figure is drawn at build time and reads with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(CHAPTER_1);
  const figure = varianceFigure(page);
  await expect(figure.getByRole('img', { name: 'Variance by depth' })).toBeVisible();
  // Two layouts are built (phone and wide); the one that fits the column is shown.
  const shown = figure.locator('.ib-chart > svg').filter({ visible: true });
  await expect(shown).toHaveCount(1);
  await expect(shown.locator('circle')).toHaveCount(60);
  await expect(figure.locator('.ib-summary')).toContainText('Xavier normal');
  // Without JavaScript the controls could do nothing, so they are not offered.
  await expect(figure.getByLabel('Depth (layers)')).toBeHidden();
  await expect(figure.getByRole('button', { name: 'SVG' })).toBeHidden();
  await context.close();
});

/** The width and height in a PNG's header (IHDR), after checking its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('export gives a slide-ready SVG and PNG, named for the state, and the data as CSV', async ({
  watched: page,
}) => {
  await page.goto(PYTORCH);
  // A dark page still exports light colours: the light theme's text, not the dark one's.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  const figure = fanFigure(page);
  const save = async (name: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      figure.getByRole('button', { name, exact: true }).click(),
    ]);
    return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
  };
  const svg = await save('SVG');
  expect(svg.name).toBe('fan-calculator_layer-conv2d_inputs-64_outputs-128_groups-1.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<\?xml/);
  expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(text).toContain('PyTorch default');
  // Title, a caption line from the chapter's caption, the settings, and a credit with the view's URL.
  expect(text).toContain('>Module inspector</text>');
  expect(text).toContain('The module inspector starts at nn.Conv2d(64, 128, 3):');
  expect(text).toMatch(/layer\s=\sconv2d · inputs\s=\s64 · outputs\s=\s128/);
  expect(text).toMatch(
    /Initbook — http:\/\/127\.0\.0\.1:\d+\/chapters\/pytorch-defaults\/#figure-fan-calculator/,
  );
  // Self-contained: no variables, light colours although the page is dark, generic fonts.
  expect(text).not.toContain('var(--');
  expect(text).not.toContain('light-dark(');
  expect(text).toContain('font-family="system-ui, sans-serif"');
  expect(text).toContain('rgb(31, 35, 40)');
  expect(text).not.toContain('rgb(230, 228, 223)');
  const png = await save('PNG');
  expect(png.name).toBe('fan-calculator_layer-conv2d_inputs-64_outputs-128_groups-1.png');
  const size = pngSize(png.bytes);
  expect(size.width).toBeGreaterThanOrEqual(1920);
  expect(size.height).toBeGreaterThan(size.width / 4);
  const csv = await save('CSV data');
  expect(csv.name).toBe('fan-calculator_layer-conv2d_inputs-64_outputs-128_groups-1.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe(
    'parameter,shape,distribution,bound,std,fan_in,fan_out,"first values (seed 0, avx2)"',
  );
  expect(lines).toHaveLength(3);
  // nn.Conv2d(64, 128, 3): PyTorch's default std is 1/(√3·24) = 0.02406.
  const std = /^weight,128×64×3×3,"[^"]+",[\d.]+,([\d.]+),576,1152,/.exec(lines[1]!);
  expect(Number(std![1])).toBeCloseTo(0.02406, 5);

  // Another state, another name, and its settings and link in the picture.
  await figure.getByLabel(/^groups/).fill('4');
  await expect(figure.locator('.ib-summary')).toContainText('(128, 16, 3, 3)', LIVE);
  const changed = await save('SVG');
  expect(changed.name).toBe('fan-calculator_layer-conv2d_inputs-64_outputs-128_groups-4.svg');
  const changedText = changed.bytes.toString('utf8');
  expect(changedText).toMatch(/groups\s=\s4/);
  expect(changedText).toContain('/chapters/pytorch-defaults/?fan.groups=4#figure-fan-calculator');
});

test('a multi-panel figure exports every panel in one picture, at least 1920 px wide', async ({
  watched: page,
}) => {
  await page.goto(MEAN_FIELD);
  const figure = page.getByRole('figure', { name: /Order and chaos/ });
  // The build draws each panel twice (a narrow and a wide layout); data-panels counts the panels.
  const panels = Number(await figure.locator('.ib-chart').getAttribute('data-panels'));
  expect(panels).toBeGreaterThan(1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'SVG', exact: true }).click(),
  ]);
  const text = readFileSync((await download.path())!).toString('utf8');
  // The export's own root, then each panel as a nested SVG.
  expect(text.match(/<svg /g)).toHaveLength(panels + 1);
  expect(text).not.toContain('var(--');
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'PNG', exact: true }).click(),
  ]);
  expect(pngSize(readFileSync((await png.path())!)).width).toBeGreaterThanOrEqual(1920);
});

test('the page stays responsive while a large figure computes', async ({ watched: page }) => {
  await page.goto(`${CHAPTER_1}?vbd.inits=kaiming_normal&vbd.width=128`);
  const figure = varianceFigure(page);
  const depth = figure.getByLabel('Depth (layers)');
  await depth.focus();
  await page.keyboard.press('End');
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  // While the worker computes 100 layers, the main thread answers a click at once.
  const before = await toggle.getAttribute('aria-pressed');
  const started = Date.now();
  await toggle.click();
  await expect(toggle).not.toHaveAttribute('aria-pressed', before!);
  expect(Date.now() - started).toBeLessThan(2000);
  await expect(figure.locator('.ib-summary')).toContainText('at layer 100', LIVE);
});

test('zero-initializing the residual branches flattens the blocks, and the summary says so', async ({
  watched: page,
}) => {
  await page.goto(BIASES);
  const figure = varianceFigure(page);
  const summary = figure.locator('.ib-summary');
  await expect(summary).toContainText('residual blocks of two layers (α = 1)');
  await expect(summary).toContainText(/block outputs grow ×2\.\d+ per block over 9 blocks/);
  const toggle = figure.getByRole('checkbox', { name: 'Zero-init the last layer of each branch' });
  await expect(toggle).not.toBeChecked();
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toBeChecked();
  await expect(summary).toContainText('last layer of each branch zero', LIVE);
  await expect(summary).toContainText('block outputs grow ×1 per block over 9 blocks (theory ×1)');
  await expect(page).toHaveURL(/[?&]vbd\.zeroInitLast=1(&|$)/);
});

test('the width draws: the log slider widens the network, and the summary follows', async ({
  watched: page,
}) => {
  await page.goto(BEYOND);
  const figure = page.getByRole('figure', { name: /Finite width: random draws/ });
  const summary = figure.locator('.ib-summary');
  await expect(summary).toContainText('50 draws of a 30-layer ReLU network of width 16');
  // Drawn at build time: one line per draw.
  await expect(
    figure.locator('.ib-chart svg g[aria-label="line"]').first().locator('path'),
  ).toHaveCount(50);
  const width = figure.getByLabel('Width (units per layer)');
  await width.focus();
  // 16 of the slider's 100 steps from 16 (position 17 of 100 between 8 and 512) reach 32.
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  await expect(summary).toContainText('of width 32', LIVE);
  await expect(width).toHaveAttribute('aria-valuetext', '32');
  await expect(page).toHaveURL(/[?&]wdr\.width=32(&|$)/);
});

test('axe finds nothing on a live figure', async ({ page }) => {
  await page.goto(`${CHAPTER_1}?vbd.depth=10`);
  await expect(varianceFigure(page).locator('.ib-chart')).toHaveAttribute(
    'data-state',
    'live',
    LIVE,
  );
  const results = await new AxeBuilder({ page })
    .include('#figure-variance-by-depth')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});

test('the first click on the order–chaos plane runs that point', async ({ watched: page }) => {
  await page.goto(MEAN_FIELD);
  const figure = page.getByRole('figure', { name: /Order and chaos/ });
  const plane = figure.getByRole('img', { name: 'Order and chaos, panel 1 of 3' });
  // The build's picture is redrawn for the page first: read the ticks from the picture clicked.
  await expect(figure.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
  // Where the axes put two neighbouring ticks of σ_w² and of σ_b² on screen, from their tick marks
  // (the nth tick belongs to the nth tick label): the click goes half-way between each pair.
  const tickAt = (axis: 'x' | 'y', label: string) =>
    plane.evaluate(
      (svg, [axis, label]) => {
        const labels = [...svg.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)];
        const i = labels.findIndex((t) => t.textContent === label);
        const tick = svg.querySelectorAll(`g[aria-label="${axis}-axis tick"] path`)[i];
        const box = tick!.getBoundingClientRect();
        return axis === 'x' ? box.left + box.width / 2 : box.top + box.height / 2;
      },
      [axis, label] as const,
    );
  const ticks = async (axis: 'x' | 'y') =>
    (await plane.locator(`g[aria-label="${axis}-axis tick label"] text`).allTextContents()).slice(
      1,
      3,
    );
  const [w0, w1] = await ticks('x');
  const [b0, b1] = await ticks('y');
  const x = ((await tickAt('x', w0!)) + (await tickAt('x', w1!))) / 2;
  const y = ((await tickAt('y', b0!)) + (await tickAt('y', b1!))) / 2;
  const box = (await plane.boundingBox())!;
  await plane.click({ position: { x: x - box.x, y: y - box.y } });

  // One click: the controls take the point (within a pixel or so), the figure runs it.
  const near = (value: number, target: number, tolerance: number) =>
    Math.abs(value - target) <= tolerance;
  const sigmaW2 = figure.getByLabel('Weight variance σ_w²');
  const sigmaB2 = figure.getByLabel('Bias variance σ_b²');
  const w = (Number(w0) + Number(w1)) / 2;
  await expect.poll(async () => near(Number(await sigmaW2.inputValue()), w, 0.02)).toBe(true);
  const b = (Number(b0) + Number(b1)) / 2;
  expect(near(Number(await sigmaB2.inputValue()), b, 0.005)).toBe(true);
  const summary = figure.locator('.ib-summary');
  await expect(summary).toContainText(
    `σ_w² = ${await sigmaW2.inputValue()}, σ_b² = ${await sigmaB2.inputValue()} (tanh)`,
    LIVE,
  );
  await expect(figure.locator('.ib-chart')).toHaveAttribute('data-state', 'live');
  await expect(page).toHaveURL(new RegExp(`[?&]oc\\.sigmaW2=${await sigmaW2.inputValue()}(&|$)`));
});
