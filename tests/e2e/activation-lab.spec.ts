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

const BEYOND = 'chapters/beyond-rules-of-thumb/';
/**
 * Every formula is answered within 2 s (FORMULA_TIME_LIMIT_MS); the bound here adds the formula
 * worker's start and the lab's own compute on a loaded 2-core machine. Without the limit and the
 * linear compiler these formulas were never answered.
 */
const ANSWERED = { timeout: 12_000 };
const OTHER_REDRAWS = { timeout: 60_000 };

test('nested and long formulas are answered in time, and the page’s other figure keeps redrawing', async ({
  watched: page,
}) => {
  test.setTimeout(180_000);
  // The 100-term sum takes the lab's model 5–6 s on a quiet 2-core machine (measured in Node,
  // the same before and after the PyTorch stream): the critical σ_w² search runs the q-map's
  // quadrature to its limits for a φ that is linear. Under CI's two workers that came close to
  // 12 s, so this test allows 30 s; making such a φ fast is the "every control live" issue's work.
  const answered = { timeout: 30_000 };
  await page.goto(BEYOND);
  const lab = page.getByRole('figure', { name: 'Activation lab' });
  const other = page.getByRole('figure', { name: /Finite width: random draws/ });
  const formula = lab.getByLabel('Activation φ(x)');
  await expect(formula).toHaveValue('selu(x)');
  const otherSummary = other.locator('.ib-summary');
  await expect(otherSummary).toContainText('He normal,');
  const nested = `${'tanh('.repeat(32)}x${')'.repeat(32)}`;
  const sum = Array.from({ length: 100 }, () => 'x').join('+');
  for (const [text, init, label] of [
    [nested, 'xavier_normal', 'Xavier normal'],
    [sum, 'kaiming_uniform', 'He uniform'],
  ] as const) {
    await formula.fill(text);
    // While the lab works on it, the other figure (same engine worker) redraws on request.
    await other.getByLabel('Initialization').selectOption(init);
    await expect(otherSummary).toContainText(`${label},`, OTHER_REDRAWS);
    const answer = lab
      .locator('.ib-summary', { hasText: `φ(x) = ${text}:` })
      .or(lab.getByText(/too complex to analyse within 2 s/));
    await expect(answer).toBeVisible(answered);
  }
  await expect(lab.locator('.ib-notes > div', { hasText: 'Derivative' })).toContainText('= 100');
  // Then an ordinary formula is answered as usual.
  await formula.fill('tanh(x)');
  await expect(lab.getByRole('definition').filter({ hasText: '1.5925' })).toContainText(
    '5/3',
    ANSWERED,
  );
});

test('a formula whose moments diverge says so instead of printing numbers', async ({
  watched: page,
}) => {
  await page.goto(PAGE);
  const lab = page.getByRole('figure', { name: 'Activation lab' });
  await lab.getByLabel('Activation φ(x)').fill('exp(x^2)');
  const moments = lab.locator('.ib-notes > div', { hasText: 'Moments at unit input' });
  await expect(moments.getByRole('definition')).toHaveText(
    /^E\[φ\(z\)\] and E\[φ\(z\)²\] are infinite for this φ: \|φ\(x\)\| grows at least as fast as the Gaussian density/,
    ANSWERED,
  );
  const gain = lab.locator('.ib-notes > div', { hasText: 'Gain 1/√E[φ(z)²]' });
  await expect(gain.getByRole('definition')).toHaveText('none: E[φ(z)²] is infinite');
  await expect(lab.locator('.ib-notes > div', { hasText: 'Fixed point' })).toContainText('No q*');
  await expect(lab.locator('.ib-notes')).not.toContainText(/\de\+?\d/);
  // exp(x²/4): E[φ] exists (√2), E[φ²] does not.
  await lab.getByLabel('Activation φ(x)').fill('exp(x^2/4)');
  await expect(moments.getByRole('definition')).toHaveText(
    /^E\[φ\(z\)\] = 1\.4142; E\[φ\(z\)²\] is infinite for this φ/,
    ANSWERED,
  );
});
