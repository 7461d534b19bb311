import { chapterPages, expect, test } from './fixtures';

test('the home page lists every chapter with its summary, in course order', async ({
  watched: page,
}) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Initbook' })).toBeVisible();
  const list = page
    .getByRole('list')
    .filter({ has: page.getByRole('link', { name: /Why initialization scale matters/ }) });
  const items = list.getByRole('listitem');
  await expect(items.first()).toContainText('Why initialization scale matters');
  await expect(items.first()).toContainText('A layer adds up many small products');
  const numbers = (await items.locator('.chapter-number').allTextContents()).map(Number);
  expect(numbers).toEqual(chapterPages().map((_, i) => i + 1));
});

test('a reader can reach the first chapter from the keyboard', async ({ watched: page }) => {
  await page.goto('./');
  const link = page.getByRole('link', { name: /Why initialization scale matters/ });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/chapters\/why-scale-matters\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Why initialization scale matters',
  );
});

test('the skip link moves focus to the content', async ({ watched: page }) => {
  await page.goto('chapters/why-scale-matters/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.getByRole('main')).toBeFocused();
});

// Plain page: Chromium logs the 404 document itself as a console error, which is the point here.
test('an unknown address gets the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('no/such/page/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the list of chapters' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Initbook' })).toBeVisible();
});

test('from the top of the home page, Tab reaches the site navigation, then the chapter list', async ({
  watched: page,
}) => {
  await page.goto('./');
  const site = page.getByRole('navigation', { name: 'Site' });
  const chapters = page.getByRole('navigation', { name: 'Chapters' });
  await expect(chapters.getByRole('link')).toHaveCount(chapterPages().length);
  const focusedLink = (within: typeof site) =>
    within.getByRole('link').and(page.locator(':focus')).count();
  let first: 'site' | 'chapters' | undefined;
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    if (!first && (await focusedLink(site)) > 0) first = 'site';
    if ((await focusedLink(chapters)) > 0) {
      first ??= 'chapters';
      break;
    }
  }
  // The first link in a landmark is the site's own navigation; the chapters follow within 15 presses.
  expect(first).toBe('site');
  await expect(
    chapters.getByRole('link', { name: /Why initialization scale matters/ }),
  ).toBeFocused();
});
