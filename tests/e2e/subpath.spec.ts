import { expect, test } from './fixtures';

const ORIGIN = process.env['E2E_SUB_ORIGIN'] ?? 'http://127.0.0.1:4322';
const BASE = '/initbook/sub/';

test('the sub-path build works end to end on a plain file server', async ({ watched: page }) => {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${ORIGIN}${BASE}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Initbook' })).toBeVisible();
  await page.getByRole('link', { name: /Why initialization scale matters/ }).click();
  await expect(page).toHaveURL(`${ORIGIN}${BASE}chapters/why-scale-matters/`);
  await expect(page.locator('.katex').first()).toBeVisible();
  // Every stylesheet, script and font resolved under the sub-path.
  const assets = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name),
  );
  expect(assets.length).toBeGreaterThan(2);
  for (const url of assets) expect(url.startsWith(`${ORIGIN}${BASE}`), url).toBe(true);
  await page.getByRole('link', { name: 'Initbook', exact: true }).click();
  await expect(page).toHaveURL(`${ORIGIN}${BASE}`);
  expect(failed).toEqual([]);
});
