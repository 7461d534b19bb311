import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

/**
 * "Copy as PyTorch" on a code cell, as a reader uses it: the button beside Run and Reset copies the
 * cell's PyTorch twin, the "PyTorch version" disclosure shows the same script (also without
 * JavaScript) and opens from the keyboard, and an edit to the cell brings up the note that the
 * script matches the cell as written.
 */
const CHAPTER_1 = 'chapters/why-scale-matters/';
const LIVE = { timeout: 60_000 };
test.describe.configure({ timeout: 120_000 });

const firstCell = (page: import('@playwright/test').Page) =>
  page.getByRole('region', { name: 'Code cell 1', exact: true });

test("the button copies the cell's twin, the same script the disclosure shows", async ({
  watched: page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(CHAPTER_1);
  const cell = firstCell(page);
  const copy = cell.getByRole('button', { name: 'Copy as PyTorch' });
  await expect(copy).toBeVisible();
  await copy.focus();
  await page.keyboard.press('Enter');
  await expect(cell.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible(LIVE);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('torch.manual_seed(1)');
  expect(copied).toContain('print("unscaled", pre_activation_std(1))');
  expect(copied).toMatch(/^# Initbook, why-scale-matters: code cell 1, in PyTorch/);
  // The disclosure, opened from the keyboard, shows the same script.
  const summary = cell.getByText('PyTorch version', { exact: true });
  await summary.focus();
  await page.keyboard.press('Enter');
  const code = cell.getByRole('region', { name: 'Code cell 1: PyTorch script' });
  await expect(code).toBeVisible();
  expect(await code.textContent()).toBe(copied);
  const axe = await new AxeBuilder({ page }).include('.ib-cell').analyze();
  expect(axe.violations).toEqual([]);
});

test('an edited cell says the script matches the cell as written', async ({ watched: page }) => {
  await page.goto(CHAPTER_1);
  const cell = firstCell(page);
  const note = cell.getByText('Matches the cell as written, not your edit.');
  await expect(note).toBeHidden();
  await cell.locator('.ib-cell-source pre').click();
  await expect(cell.getByRole('textbox', { name: /TypeScript code/ })).toBeVisible(LIVE);
  await page.keyboard.press('End');
  await page.keyboard.type(' // edited');
  await expect(note).toBeVisible();
  await cell.getByRole('button', { name: 'Reset' }).click();
  await expect(note).toBeHidden();
});

test('exercise cells have no PyTorch version', async ({ watched: page }) => {
  await page.goto(CHAPTER_1);
  const exercise = page.locator('ib-cell:not([data-exercise=""])').first();
  await expect(exercise).toBeVisible();
  await expect(exercise.getByRole('button', { name: 'Copy as PyTorch' })).toHaveCount(0);
  await expect(exercise.getByText('PyTorch version', { exact: true })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test("the cell's PyTorch version is in the page", async ({ page }) => {
    await page.goto(CHAPTER_1);
    const cell = firstCell(page);
    await expect(cell.getByRole('button', { name: 'Copy as PyTorch' })).toBeHidden();
    await cell.getByText('PyTorch version', { exact: true }).click();
    const code = cell.getByRole('region', { name: 'Code cell 1: PyTorch script' });
    await expect(code).toContainText('torch.manual_seed(1)');
    await expect(code).toContainText('print("scaled", pre_activation_std(1 / math.sqrt(n)))');
  });
});
