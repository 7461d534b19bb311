import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

const FAILURES = 'chapters/what-fails/';
const OUTPUTS = 'chapters/biases-and-output-layers/';
const LIVE = { timeout: 90_000 };

// Training runs in a worker on a 2-core machine, often beside other tests: allow time.
test.describe.configure({ timeout: 180_000 });

/**
 * How late a zero-delay timer fires on the page, in ms: a frozen main thread shows as seconds.
 * (A responsiveness check with a wide margin, not a speed measurement.)
 */
const timerLag = (page: import('@playwright/test').Page): Promise<number> =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t = performance.now();
        setTimeout(() => resolve(performance.now() - t), 0);
      }),
  );

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
    expect(await timerLag(page)).toBeLessThan(500);
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

test('a run can be started, paused, resumed and cancelled from the keyboard; the page stays responsive', async ({
  watched: page,
}) => {
  // Four inits × 1000 steps of a 30-layer net: long enough to pause and cancel on any machine.
  await page.goto(
    `${OUTPUTS}?tc.inits=xavier_normal,kaiming_normal,torch_default,lecun_normal&tc.depth=30&tc.steps=1000`,
  );
  const figure = trainingFigure(page);
  const run = figure.getByRole('group', { name: /: run$/ });
  const progress = run.getByRole('progressbar', { name: 'Run progress' });
  const state = run.getByRole('status');
  const value = () => progress.evaluate((p) => (p as HTMLProgressElement).value);
  const staticSummary = await figure.locator('.ib-summary').textContent();

  // Start: the settings in the URL start a run; progress comes in words and as a bar.
  await expect(state).toHaveText('Training.');
  await expect(run).toContainText(/Xavier normal \(1 of 4\): step \d+ of 1000/, LIVE);
  await expect.poll(value, LIVE).toBeGreaterThan(0);

  // Pause with the keyboard: the bar stops where it was.
  await run.getByRole('button', { name: 'Pause' }).press('Enter');
  await expect(state).toHaveText('Paused.');
  const resume = run.getByRole('button', { name: 'Resume' });
  await expect(resume).toBeFocused();
  const pausedAt = await value();
  const pausedText = await run.locator('.ib-run-where').textContent();
  await page.waitForTimeout(1500);
  expect(await value()).toBe(pausedAt);
  await expect(run.locator('.ib-run-where')).toHaveText(pausedText!);

  // The main thread answers at once, paused or not.
  expect(await timerLag(page)).toBeLessThan(500);

  // Resume: the run goes on from where it stopped.
  await resume.press('Enter');
  await expect(state).toHaveText('Training.');
  await expect.poll(value, LIVE).toBeGreaterThan(pausedAt);

  // Cancel: the run stops, the last finished picture stays, and Run again takes the focus.
  await run.getByRole('button', { name: 'Cancel run' }).press('Enter');
  await expect(state).toContainText('Cancelled');
  await expect(run.getByRole('button', { name: 'Run again' })).toBeFocused();
  await expect(run.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await expect(run.getByRole('button', { name: 'Cancel run' })).toBeDisabled();
  // The picture is the build's run, redrawn at the page's width (it says so in its description).
  await expect(figure.getByRole('img').first()).toHaveAttribute(
    'aria-description',
    staticSummary!.trim(),
  );
  await expect(figure.locator('.ib-chart')).not.toHaveAttribute('aria-busy', 'true');
  await expect(figure.locator('.ib-summary')).toHaveText(staticSummary!);

  // A shorter run, started from the controls, finishes and is drawn.
  await figure.getByLabel('Steps').focus();
  await page.keyboard.press('Home');
  await expect(state).toHaveText('Finished.', LIVE);
  await expect(figure.locator('.ib-summary')).toContainText(
    /^50 steps on two spirals, 30 hidden layers/,
  );
  expect(await value()).toBe(1);
});
