import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const SUB_ORIGIN = process.env['E2E_SUB_ORIGIN'] ?? 'http://127.0.0.1:4322';
const SUB_BASE = '/initbook/sub/';

/** Types a term into the labelled search field and walks to the result with the keyboard. */
async function searchAndOpen(page: Page, term: string, title: RegExp): Promise<void> {
  const field = page.getByRole('searchbox', { name: 'Search the course' });
  await field.focus();
  await page.keyboard.type(term);
  const results = page.getByRole('list', { name: 'Search results' });
  const hit = results.getByRole('link', { name: title });
  await expect(hit).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: /pages? match/ })).toBeVisible();
  // Arrow keys reach the results; Enter follows the focused one.
  await page.keyboard.press('ArrowDown');
  const links = results.getByRole('link');
  const count = await links.count();
  for (let i = 0; i < count; i++) {
    if (await hit.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(hit).toBeFocused();
  await page.keyboard.press('Enter');
}

test('search finds a term and the keyboard takes the reader to it', async ({ watched: page }) => {
  await page.goto('');
  await searchAndOpen(page, 'Kaiming', /^He\/Kaiming initialization$/);
  await expect(page).toHaveURL(/\/chapters\/[a-z-]+\/(#.*)?$/);
  await expect(page.locator('article')).toContainText('Kaiming');
});

test('results show readable excerpts, and Escape closes them', async ({ watched: page }) => {
  await page.goto('chapters/why-scale-matters/');
  const field = page.getByRole('searchbox', { name: 'Search the course' });
  await field.fill('truncated');
  const excerpts = page.getByRole('list', { name: 'Search results' }).locator('p');
  await expect(excerpts.first()).toContainText(/truncated/i, { timeout: 20_000 });
  // Formulas are indexed as their visible text, not their TeX source.
  await expect(excerpts.filter({ hasText: /\\(frac|operatorname)/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('list', { name: 'Search results' })).toBeHidden();
  await expect(field).toBeFocused();
});

test('search works under a sub-path, from the index in that build', async ({ watched: page }) => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${SUB_ORIGIN}${SUB_BASE}`);
  await searchAndOpen(page, 'Kaiming', /^He\/Kaiming initialization$/);
  await expect(page).toHaveURL(new RegExp(`^${SUB_ORIGIN}${SUB_BASE}chapters/[a-z-]+/`));
  const loaded = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name),
  );
  for (const url of loaded) expect(url.startsWith(`${SUB_ORIGIN}${SUB_BASE}`), url).toBe(true);
  expect(failed).toEqual([]);
});
