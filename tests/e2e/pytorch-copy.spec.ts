import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

/**
 * "Copy as PyTorch" on a figure, as a reader uses it: the button beside the downloads copies the
 * script of the settings on screen, the "PyTorch version" disclosure shows the same script (also
 * without JavaScript), and a refused clipboard leaves the script selected with a message.
 */
const CHAPTER_1 = 'chapters/why-scale-matters/';
const LIVE = { timeout: 60_000 };
test.describe.configure({ timeout: 120_000 });

const figureOf = (page: import('@playwright/test').Page) =>
  page.getByRole('figure', { name: /Variance by depth/ });

test('the button copies the script of the settings on screen', async ({
  watched: page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(CHAPTER_1);
  const figure = figureOf(page);
  const copy = figure.getByRole('button', { name: 'Copy as PyTorch' });
  await expect(copy).toBeVisible();
  await copy.click();
  await expect(figure.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible(LIVE);
  const first = await page.evaluate(() => navigator.clipboard.readText());
  expect(first).toContain('torch.manual_seed(seed)');
  expect(first).toContain('WIDTHS = [256] * 31');
  expect(first).toMatch(/nn\.init\.kaiming_normal_\(w, nonlinearity="relu"\)/);
  // A change by keyboard, then at once the keyboard on the button, before the chart has
  // redrawn: what is copied is the script of the new settings, not of the chart being replaced.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  const depth = figure.getByLabel('Depth (layers)');
  await depth.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await copy.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), LIVE).not.toBe('');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
    'WIDTHS = [256] * 28',
  );
  await expect(figure.locator('.ib-summary')).toContainText('at layer 27', LIVE);
  // The disclosure shows the same script.
  await figure.getByText('PyTorch version').click();
  const code = figure.getByRole('region', { name: /PyTorch script/ });
  await expect(code).toBeVisible();
  expect(await code.textContent()).toBe(await page.evaluate(() => navigator.clipboard.readText()));
  const axe = await new AxeBuilder({ page }).include('.ib-figure').analyze();
  expect(axe.violations).toEqual([]);
});

test('a refused clipboard opens the script, selected, and says how to copy it', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER_1);
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new Error('denied')) },
    });
  });
  const figure = figureOf(page);
  await figure.getByRole('button', { name: 'Copy as PyTorch' }).click();
  await expect(figure.getByRole('status').filter({ hasText: 'press Ctrl+C' })).toBeVisible(LIVE);
  await expect(figure.getByRole('region', { name: /PyTorch script/ })).toBeVisible();
  const selected = await page.evaluate(() => getSelection()?.toString() ?? '');
  expect(selected).toContain('torch.manual_seed(seed)');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the PyTorch version is in the page, for the figure as built', async ({ page }) => {
    await page.goto(CHAPTER_1);
    const figure = figureOf(page);
    await expect(figure.getByRole('button', { name: 'Copy as PyTorch' })).toBeHidden();
    await figure.getByText('PyTorch version').click();
    const code = figure.getByRole('region', { name: /PyTorch script/ });
    await expect(code).toContainText('torch.manual_seed(seed)');
    await expect(code).toContainText('run("He normal", weight_init_2, widths=WIDTHS');
  });
});
