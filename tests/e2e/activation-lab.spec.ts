import AxeBuilder from '@axe-core/playwright';
import { expect as baseExpect, test } from './fixtures';

// The engine integrates and simulates the formula in a worker: allow it a few seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

const PAGE = 'chapters/cheat-sheet/';

test('typing a formula shows its derivative, its gain and a redrawn chart', async ({
  watched: page,
}) => {
  await page.goto(PAGE);
  const lab = page.getByRole('figure', { name: 'Activation lab' });
  const formula = lab.getByLabel('Activation φ(x)');
  await expect(formula).toHaveValue('gelu(x)');
  await formula.fill('tanh(x)');
  const gain = lab.getByRole('definition').filter({ hasText: '1.5925' });
  await expect(gain).toContainText('5/3');
  const derivative = lab.locator('.ib-notes > div', { hasText: 'Derivative' });
  await expect(derivative).toContainText('tanh');
  await expect(derivative).not.toContainText('gelu');
  await expect(lab.locator('.ib-chart')).toHaveAttribute('data-state', 'live');
  await expect(lab.getByRole('img').first()).toHaveAttribute('aria-description', /tanh\(x\)/);
  await expect(page).toHaveURL(/lab\.formula=tanh/);
});

test('a bad formula shows a positioned message and keeps the last result', async ({
  watched: page,
}) => {
  await page.goto(PAGE);
  const lab = page.getByRole('figure', { name: 'Activation lab' });
  const formula = lab.getByLabel('Activation φ(x)');
  await formula.fill('max(0, x)');
  await expect(lab.getByRole('definition').filter({ hasText: '1.4142' })).toBeVisible();
  await formula.fill('max(0, x) + foo(x)');
  await expect(lab.getByText('Column 13: Unknown function ‘foo’', { exact: false })).toBeVisible();
  await expect(formula).toHaveAttribute('aria-invalid', 'true');
  await expect(lab.getByRole('status')).toContainText('The last picture is kept');
  await expect(lab.getByRole('definition').filter({ hasText: '1.4142' })).toBeVisible();
  // An unclosed parenthesis, then a fix: the message goes and the new result shows.
  await formula.fill('x / (1 + abs(x)');
  await expect(lab.getByText(/Column 16: Parenthesis \) expected/)).toBeVisible();
  await formula.fill('x / (1 + abs(x))');
  await expect(formula).not.toHaveAttribute('aria-invalid', 'true');
  await expect(lab.getByRole('definition').filter({ hasText: 'no PyTorch gain' })).toBeVisible();
});

test('presets load a published example; the lab passes axe', async ({ watched: page }) => {
  await page.goto(PAGE);
  const lab = page.getByRole('figure', { name: 'Activation lab' });
  await lab.getByRole('button', { name: 'SELU' }).click();
  await expect(lab.getByLabel('Activation φ(x)')).toHaveValue('selu(x)');
  await expect(lab.getByRole('definition').filter({ hasText: '3/4' })).toBeVisible();
  await lab.getByLabel('Activation φ(x)').fill('x +* 2');
  await expect(lab.getByText(/Column 4:/)).toBeVisible();
  const results = await new AxeBuilder({ page })
    .include('#figure-activation-lab')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});
