import type { Page } from '@playwright/test';
import { builtPages, expect, test } from './fixtures';

test.describe.configure({ timeout: 120_000 });
const LIVE = { timeout: 60_000 };

/** Records every CSP violation the page reports, from the first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (msg) => {
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) console.push(msg.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  return async () => [
    ...console,
    ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)),
  ];
}

for (const path of builtPages()) {
  test(`the CSP reports no violation on /${path}`, async ({ watched: page }) => {
    const violations = await watchViolations(page);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
  });
}

test('no CSP violation while a figure redraws, exports a PNG, a cell runs and search loads', async ({
  watched: page,
}) => {
  const violations = await watchViolations(page);
  await page.goto('chapters/why-scale-matters/');
  const figure = page.getByRole('figure', { name: /Variance by depth/ });
  await figure.getByLabel('Depth (layers)').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(figure.locator('.ib-summary')).toContainText('at layer 29', LIVE);
  await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'PNG' }).click(),
  ]);
  // A cell runs edited code in its worker (a value only the run can produce).
  const cell = page.getByRole('region', { name: 'Code cell 1', exact: true });
  await cell.locator('.ib-cell-source pre').click();
  const editor = cell.getByRole('textbox', { name: /TypeScript code/ });
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('6 * 7 + 0.5');
  await cell.getByRole('button', { name: 'Run' }).click();
  await expect(cell.locator('.ib-cell-output')).toContainText('42.5', LIVE);
  await page.getByRole('searchbox', { name: 'Search the course' }).fill('variance');
  await expect(
    page.getByRole('list', { name: 'Search results' }).getByRole('link').first(),
  ).toBeVisible({ timeout: 20_000 });
  expect(await violations()).toEqual([]);
});

test('no CSP violation in a live embed at presentation size', async ({ watched: page }) => {
  const violations = await watchViolations(page);
  await page.goto('embed/order-chaos/?mode=present');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('.ib-chart')).toHaveAttribute('data-state', 'live', LIVE);
  expect(await violations()).toEqual([]);
});
