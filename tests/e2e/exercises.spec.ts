import { expect, test } from './fixtures';

/**
 * The exercises a reader meets in the chapters: a "predict, then run" prompt (commit a prediction,
 * run the network, read how close it was; the prediction survives a reload; bad input gets a
 * message). The coding tasks are in exercises-code.spec.ts.
 */
const CHAPTER_1 = 'chapters/why-scale-matters/';
const LIVE = { timeout: 60_000 };

test('predict, then run: a committed prediction is judged against the network, and kept', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER_1);
  const prompt = page.getByRole('region', { name: 'Predict, then run' });
  const field = prompt.getByLabel(/Your prediction/);
  const commit = prompt.getByRole('button', { name: 'Commit prediction' });
  await expect(prompt.getByRole('button', { name: 'Run the network' })).toBeHidden();

  await field.fill('a lot');
  await commit.click();
  await expect(prompt.getByRole('status')).toContainText('is not a number this field reads');
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  await field.fill('2^-19');
  await field.press('Enter');
  const run = prompt.getByRole('button', { name: 'Run the network' });
  await expect(run).toBeFocused();
  await expect(field).toHaveAttribute('readonly', '');
  await run.click();
  await expect(prompt.getByRole('status')).toContainText(
    /You predicted 1\.91e-6; the network gave 1\.54e-6, off by a factor 1\.24 \(too high\): close\./,
    LIVE,
  );
  await expect(
    prompt.getByRole('link', { name: 'Open this experiment in the figure' }),
  ).toBeVisible();

  await page.reload();
  await expect(field).toHaveValue('2^-19');
  await expect(field).toHaveAttribute('readonly', '');
  await prompt.getByRole('button', { name: 'Predict again' }).click();
  await expect(field).toBeFocused();
  await field.fill('1');
  await field.press('Enter');
  await prompt.getByRole('button', { name: 'Run the network' }).click();
  await expect(prompt.getByRole('status')).toContainText('(too high).', LIVE);
});

test('without JavaScript the prompt shows its question and, behind a disclosure, the answer', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(CHAPTER_1);
  const prompt = page.getByRole('region', { name: 'Predict, then run' });
  await expect(prompt).toContainText('Twenty ReLU layers');
  await expect(prompt.getByLabel(/Your prediction/)).toBeHidden();
  await prompt.getByText('Answer').click();
  await expect(prompt).toContainText('The network gives 1.54e-6');
  await context.close();
});
