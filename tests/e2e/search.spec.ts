import type { Page } from '@playwright/test';
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, expect, test } from './fixtures';

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

/**
 * How an excerpt reads: its letters and digits, and its longest run of numbers in a row. A table's
 * rows flatten to runs like "1. 1.95. 2. 0. kaiming_normal. 2. 1.91. 2. 0."; prose has no four
 * numbers in a row.
 */
function shape(text: string): { letters: number; digits: number; numbersInARow: number } {
  const isNumber = (word: string) => /^[(−-]?\d[\d.]*(e-?\d+)?[.,;:)%]*$/.test(word);
  let run = 0;
  let numbersInARow = 0;
  for (const word of text.split(/\s+/)) {
    run = isNumber(word) ? run + 1 : 0;
    numbersInARow = Math.max(numbersInARow, run);
  }
  return {
    letters: (text.match(/\p{L}/gu) ?? []).length,
    digits: (text.match(/\p{N}/gu) ?? []).length,
    numbersInARow,
  };
}

// kaiming_normal and xavier_normal fill the init column of the figures' tables, row after row.
for (const term of ['kaiming_normal', 'xavier_normal']) {
  test(`excerpts for ${term} come from prose, not from the figures’ tables of numbers`, async ({
    watched: page,
  }) => {
    await page.goto('');
    await page.getByRole('searchbox', { name: 'Search the course' }).fill(term);
    await expect(page.getByRole('status').filter({ hasText: /pages? match/ })).toBeVisible({
      timeout: 20_000,
    });
    const excerpts = await page
      .getByRole('list', { name: 'Search results' })
      .locator('p')
      .allTextContents();
    expect(excerpts.length).toBeGreaterThan(2);
    for (const text of excerpts) {
      const { letters, digits, numbersInARow } = shape(text);
      expect(letters, text).toBeGreaterThanOrEqual(digits);
      expect(numbersInARow, text).toBeLessThan(4);
    }
  });
}

test('the built chapters mark the figures’ data tables and the cells’ outputs for search to skip', () => {
  const html = readFileSync(join(DIST, 'chapters/beyond-rules-of-thumb/index.html'), 'utf8');
  const { document } = new JSDOM(html).window;
  const tables = [...document.querySelectorAll('.ib-figure table')];
  const outputs = [...document.querySelectorAll('.ib-cell-output')];
  expect(tables.length).toBeGreaterThan(0);
  expect(outputs.length).toBeGreaterThan(0);
  for (const el of [...tables, ...outputs]) {
    expect(el.closest('[data-pagefind-ignore]'), el.outerHTML.slice(0, 80)).not.toBeNull();
  }
  // The prose of a figure stays searchable: its caption and its text summary.
  for (const el of document.querySelectorAll('.ib-figure figcaption, .ib-figure .ib-summary')) {
    expect(el.closest('[data-pagefind-ignore]')).toBeNull();
  }
});
