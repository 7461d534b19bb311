import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

const FAILURES = 'chapters/what-fails/';
const OUTPUTS = 'chapters/biases-and-output-layers/';
const LIVE = { timeout: 90_000 };

// Training runs in a worker on a 2-core machine, often beside other tests: allow time.
test.describe.configure({ timeout: 180_000 });

const trainingFigure = (page: import('@playwright/test').Page) =>
  page.getByRole('figure', { name: /Training curves under each initialization/ });

test('the NaN failure is in the static page: summary and marker', async ({ watched: page }) => {
  await page.goto(FAILURES);
  const figure = trainingFigure(page);
  await expect(figure.locator('.ib-summary')).toContainText(
    /Unscaled N\(0, 1\): the loss became non-finite \(NaN or ∞\) at step \d/,
  );
  await expect(figure.getByRole('img', { name: /panel 1 of 4/ })).toContainText(/NaN at step \d/);
});

test('a preset chosen with the keyboard retrains and redraws; the URL keeps it', async ({
  watched: page,
}) => {
  await page.goto(FAILURES);
  const figure = trainingFigure(page);
  const summary = figure.locator('.ib-summary');
  const preset = figure.getByRole('button', { name: 'All zeros: flat' });
  await preset.focus();
  await page.keyboard.press('Enter');
  await expect(figure.getByLabel('Activation')).toHaveValue('tanh');
  await expect(figure.getByLabel('All zeros')).toBeChecked();
  await expect(summary).toContainText(
    'All zeros: loss 0.693 → 0.693 (50% correct); its units stayed identical',
    LIVE,
  );
  await expect(figure.locator('.ib-chart')).toHaveAttribute('data-state', 'live');
  await expect(page).toHaveURL(/[?&]tc\.inits=zeros%2Ckaiming_normal/);
  await page.reload();
  await expect(trainingFigure(page).locator('.ib-summary')).toContainText(
    'units stayed identical',
    LIVE,
  );
});

test('the NaN preset shows its message and marker live', async ({ watched: page }) => {
  await page.goto(OUTPUTS);
  const figure = trainingFigure(page);
  await figure.getByRole('button', { name: 'Unscaled N(0, 1): NaN' }).press('Enter');
  await expect(figure.locator('.ib-summary')).toContainText('became non-finite', LIVE);
  await expect(figure.getByRole('img', { name: /panel 1 of 4/ })).toContainText(
    /N\(0, 1\): NaN at step \d/,
  );
});

test('a long run keeps the page responsive; a newer request cancels it', async ({
  watched: page,
}) => {
  await page.goto(OUTPUTS);
  const figure = trainingFigure(page);
  const summary = figure.locator('.ib-summary');
  await figure.getByRole('button', { name: 'Xavier vs He, 30 layers' }).press('Enter');
  await expect(figure.locator('.ib-chart')).toHaveAttribute('aria-busy', 'true');
  // While the worker trains, the main thread stays free: a zero-delay timer fires promptly, and
  // the theme button answers a click.
  for (let i = 0; i < 3; i++) {
    const lag = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t = performance.now();
          setTimeout(() => resolve(performance.now() - t), 0);
        }),
    );
    expect(lag).toBeLessThan(500);
  }
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  const before = await toggle.getAttribute('aria-pressed');
  await toggle.click();
  await expect(toggle).not.toHaveAttribute('aria-pressed', before!);
  await expect(figure.locator('.ib-chart')).toHaveAttribute('aria-busy', 'true');
  // A newer setting supersedes the running comparison: only the newer result is drawn.
  await figure.getByLabel('Steps').focus();
  await page.keyboard.press('Home');
  await expect(summary).toContainText(/^50 steps on two spirals, 30 hidden layers/, LIVE);
  await expect(figure.locator('.ib-chart')).not.toHaveAttribute('aria-busy', 'true');
});

test('axe finds nothing on the live training figure', async ({ page }) => {
  await page.goto(`${OUTPUTS}?tc.steps=50`);
  await expect(trainingFigure(page).locator('.ib-chart')).toHaveAttribute(
    'data-state',
    'live',
    LIVE,
  );
  const results = await new AxeBuilder({ page })
    .include('#figure-training-curves')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});
