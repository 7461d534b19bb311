import { expect, test, chapterPages } from './fixtures';

const CHAPTER = 'chapters/why-scale-matters/';

test('the chapter renders its title, goals and sections', async ({ watched: page }) => {
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Why initialization scale matters',
  );
  await expect(page.getByRole('heading', { name: 'After this chapter you can' })).toBeVisible();
  for (const section of [
    'A layer is a sum of products',
    'Depth multiplies',
    'Saturation',
    'Vanishing and exploding gradients',
    'References',
  ]) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByRole('figure', { name: /Variance by depth/ })).toBeVisible();
});

test('math is KaTeX output, inline and display, with MathML for assistive technology', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const display = page.locator('.equation .katex-display');
  expect(await display.count()).toBeGreaterThanOrEqual(4);
  expect(await page.locator('p .katex').count()).toBeGreaterThan(10);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  // KaTeX keeps a MathML copy for screen readers beside the visual HTML.
  await expect(page.locator('#eq-variance-of-sum math')).toHaveCount(1);
  // The fonts come from the site itself and load.
  const fontsOk = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded')
      .length;
  });
  expect(fontsOk).toBeGreaterThan(0);
});

test('display equations can be linked by anchor', async ({ watched: page }) => {
  await page.goto(`${CHAPTER}#eq-variance-of-sum`);
  const equation = page.locator('#eq-variance-of-sum');
  await expect(equation).toBeInViewport();
  expect(await equation.evaluate((el) => el.matches(':target'))).toBe(true);
  const self = equation.getByRole('link', { name: /Link to equation \(\d+\)/ });
  await expect(self).toHaveAttribute('href', '#eq-variance-of-sum');
});

test('the sidebar marks the current chapter and works from the keyboard', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const sidebar = page.getByRole('navigation', { name: 'Chapters' });
  const current = sidebar.getByRole('link', { name: /Why initialization scale matters/ });
  await expect(current).toBeVisible();
  await expect(current).toHaveAttribute('aria-current', 'page');
  await expect(sidebar.locator('[aria-current="page"]')).toHaveCount(1);
  await current.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${CHAPTER}$`));
});

test('the table of contents lists the sections and jumps to them from the keyboard', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const toc = page.getByRole('navigation', { name: 'On this page' });
  const entry = toc.getByRole('link', { name: 'Vanishing and exploding gradients' });
  await entry.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#vanishing-and-exploding-gradients$/);
  await expect(
    page.getByRole('heading', { level: 2, name: 'Vanishing and exploding gradients' }),
  ).toBeInViewport();
});

test('previous and next links chain every chapter, from the keyboard', async ({
  watched: page,
}) => {
  // Eleven chapters, each starting its live figures: a budget for the walk, not a speed claim.
  test.setTimeout(120_000);
  const chapters = chapterPages();
  for (const [i, path] of chapters.entries()) {
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    const pager = page.getByRole('navigation', { name: 'Previous and next chapters' });
    const previous = pager.getByRole('link', { name: /^Previous/ });
    await expect(previous).toHaveAttribute('href', i === 0 ? '/' : `/${chapters[i - 1]}`);
    const next = pager.getByRole('link', { name: /^Next/ });
    if (i === chapters.length - 1) {
      await expect(next).toHaveCount(0);
    } else {
      await next.focus();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`/${chapters[i + 1]}$`));
    }
  }
  // The first chapter's "previous" leads back to the list of chapters.
  await page.goto(chapters[0]!);
  await page.getByRole('link', { name: /^Previous/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Initbook' })).toBeVisible();
});
