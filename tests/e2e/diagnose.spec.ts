import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * The diagnosis tool of chapter 10 with the files the reader's script wrote under PyTorch 1.13
 * (tests/fixtures/diagnose/), a cut-short file, an oversized one made here, and one with markup in
 * its strings.
 */
const PAGE = 'chapters/diagnose/';
const FIXTURES = 'tests/fixtures/diagnose';

const tool = (page: Page) => page.getByRole('region', { name: 'Diagnosis tool' });

async function load(page: Page, name: string): Promise<void> {
  await page.goto(PAGE);
  await tool(page)
    .getByLabel(/^Statistics file from initbook_stats\.py/)
    .setInputFiles(`${FIXTURES}/${name}.json`);
}

test('a good model (ReLU, kaiming_normal_): no layer flagged, the chart and its numbers', async ({
  watched: page,
}) => {
  await load(page, 'good-relu-kaiming');
  const t = tool(page);
  await expect(t.getByRole('status')).toHaveText(
    'Read good-relu-kaiming.json: 10 layers. No layer leaves the stable range.',
  );
  await expect(t.getByText(/^Every layer stays in the stable range/)).toBeVisible();
  await expect(t.getByText(/Proposed: gain/)).toHaveCount(0);
  await expect(t.getByText(/^Initial loss 3\.1905; ln K = 2\.3026/)).toBeVisible();
  // Two charts, named, with the summary as their description.
  const charts = t.getByRole('img', { name: /^Diagnosis: measured and mean-field/ });
  await expect(charts).toHaveCount(2);
  await expect(charts.first()).toHaveAttribute('aria-description', /10 layers, batch 256/);
  await t.getByText('Show the numbers').click();
  await expect(t.getByRole('region', { name: 'Diagnosis: data' }).locator('tbody tr')).toHaveCount(
    10,
  );
});

test('a bad init (tanh, std 0.01): layer 1 flagged, gain 5/3 proposed', async ({
  watched: page,
}) => {
  await load(page, 'bad-tanh-std001');
  const t = tool(page);
  await expect(t.getByRole('status')).toContainText(
    'Layer 1 is the first out of the stable range.',
  );
  await expect(
    t.getByText(/^Layer 1 \(“0”\) is the first to leave the stable range/),
  ).toBeVisible();
  const fix = t.getByText(/^Layer 1's weights have gain 0\.16/);
  await expect(fix).toContainText('Proposed: gain 1.67, that is std = 1.67/√fan_in, for tanh');
  await expect(fix).toContainText("calculate_gain('tanh') = 1.67");
  await expect(fix).toContainText('keeps every layer in the stable range');
});

test("pasted text works too: PyTorch's default on ReLU is flagged at layer 2, gain √2", async ({
  watched: page,
}) => {
  await page.goto(PAGE);
  const t = tool(page);
  await t
    .getByLabel('Or paste the file’s text')
    .fill(readFileSync(`${FIXTURES}/bad-relu-torch-default.json`, 'utf8'));
  await t.getByRole('button', { name: 'Diagnose the pasted text' }).press('Enter');
  await expect(t.getByRole('status')).toHaveText(
    'Read the pasted text: 10 layers. Layer 2 is the first out of the stable range.',
  );
  await expect(t.getByText(/Proposed: gain 1\.41/)).toContainText("calculate_gain('relu') = 1.41");
  await expect(page.getByRole('img', { name: /^Diagnosis/ })).toHaveCount(2);
});

test('a cut-short file: a clear message with the line, no chart', async ({ watched: page }) => {
  await load(page, 'malformed');
  const alert = tool(page).getByRole('alert');
  await expect(alert).toContainText('The page cannot read malformed.json:');
  await expect(alert).toContainText(/This is not valid JSON.*line 10/);
  await expect(tool(page).getByRole('img')).toHaveCount(0);
});

test('an oversized file is refused before it is read, with the limit', async ({
  watched: page,
}) => {
  // Count reads of any file's text: the size is checked before, so there must be none.
  await page.addInitScript(() => {
    const w = window as unknown as { __reads: number };
    w.__reads = 0;
    const text = Blob.prototype.text;
    Blob.prototype.text = function (this: Blob) {
      w.__reads++;
      return text.call(this);
    };
  });
  await page.goto(PAGE);
  await tool(page)
    .getByLabel(/^Statistics file/)
    .setInputFiles({
      name: 'huge.json',
      mimeType: 'application/json',
      buffer: Buffer.alloc(1_200_000, 0x20),
    });
  const alert = tool(page).getByRole('alert');
  await expect(alert).toContainText('The file is 1.2 MB; the page reads files up to 1.0 MB.');
  expect(await page.evaluate(() => (window as unknown as { __reads: number }).__reads)).toBe(0);
});

test('markup in the strings is shown as text: no element injected, no script run', async ({
  watched: page,
}) => {
  await load(page, 'hostile');
  const t = tool(page);
  await expect(t.getByRole('status')).toContainText('3 layers');
  await expect(t.getByText(/^Layer 1 \(“<img src=x onerror=/)).toHaveCount(0); // not flagged
  await expect(t.getByRole('img').first()).toHaveAttribute(
    'aria-description',
    /^<script>window\.__pwned = 1<\/script>: 3 layers/,
  );
  await t.getByText('Show the numbers').click();
  await expect(
    t.getByRole('cell', { name: '<img src=x onerror="window.__pwned = 2">' }),
  ).toBeVisible();
  await expect(t.getByRole('cell', { name: '"><svg onload="window.__pwned = 3">' })).toBeVisible();
  expect(await t.locator('img, script, b, .diagnose-result svg:not(.ib-chart > svg)').count()).toBe(
    0,
  );
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('the tool is labelled, keyboard-usable and axe clean after a diagnosis', async ({
  watched: page,
}) => {
  await load(page, 'bad-relu-unscaled');
  await expect(tool(page).getByRole('status')).toContainText('Layer 1 is the first');
  await tool(page).getByText('Show the numbers').click();
  const results = await new AxeBuilder({ page })
    .include('#diagnosis-tool')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  await tool(page).getByRole('button', { name: 'Clear' }).press('Enter');
  await expect(tool(page).getByRole('img')).toHaveCount(0);
});

test('the chapter is chapter 10, between the mean-field chapter and the cheat sheet', async ({
  watched: page,
}) => {
  await page.goto(PAGE);
  await expect(page.getByText('Chapter 10', { exact: true })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Chapters' }).getByRole('link', {
      name: /Diagnose your initialization/,
    }),
  ).toHaveAttribute('aria-current', 'page');
  const pager = page.getByRole('navigation', { name: 'Previous and next chapters' });
  await expect(pager.getByRole('link', { name: /Cheat sheet/ })).toBeVisible();
  // The script shown is the script served.
  const served = await page.request.get('diagnose/initbook_stats.py');
  expect(served.ok()).toBe(true);
  const code = await page.getByRole('region', { name: 'Code: initbook_stats.py' }).innerText();
  expect(code.trim()).toBe((await served.text()).trim());
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });
  test('the tool says it needs JavaScript; the worked case is drawn', async ({ watched: page }) => {
    await page.goto(PAGE);
    await expect(tool(page).getByText(/^This tool needs JavaScript/)).toBeVisible();
    await expect(tool(page).getByLabel(/^Statistics file/)).toBeHidden();
    const worked = page.getByRole('figure', { name: /A ten-layer ReLU network at step zero/ });
    await expect(worked.getByRole('img').filter({ visible: true })).toHaveCount(2);
  });
});
