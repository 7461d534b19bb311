import { expect, test, builtPages } from './fixtures';

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  for (const path of builtPages().filter((p) => !p.endsWith('404.html'))) {
    test(`/${path} reads fully`, async ({ watched: page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('.katex-error')).toHaveCount(0);
      // The theme toggle needs JavaScript, so it is not offered; the system theme applies.
      await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveCount(0);
      if (path.startsWith('chapters/')) {
        // Display equations (where a chapter has any) are typeset at build time, not by a script.
        const equations = page.locator('.equation .katex-display');
        if ((await equations.count()) > 0) await expect(equations.first()).toBeVisible();
        await expect(page.getByRole('heading', { level: 2, name: 'References' })).toBeVisible();
        await expect(page.getByRole('navigation', { name: 'On this page' })).toBeVisible();
      }
    });
  }
});

test('print shows the article alone', async ({ watched: page }) => {
  await page.goto('chapters/why-scale-matters/');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Chapters' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'On this page' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Previous and next chapters' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Dark theme' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)');
});

for (const width of [360, 768, 1024, 1600]) {
  test(`the chapter fits a ${width}px-wide screen without sideways scrolling`, async ({
    watched: page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('chapters/why-scale-matters/');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The chapter list is reachable at every width: shown on wide screens, one tap away on phones.
    const sidebar = page.getByRole('navigation', { name: 'Chapters' });
    if (width >= 900) {
      await expect(sidebar.getByRole('link', { name: /Why initialization/ })).toBeVisible();
    } else {
      await sidebar.getByText('Chapters', { exact: true }).click();
      await expect(sidebar.getByRole('link', { name: /Why initialization/ })).toBeVisible();
    }
  });
}
