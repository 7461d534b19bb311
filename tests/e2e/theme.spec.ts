import { expect, test } from './fixtures';

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

test.describe('with a light system theme', () => {
  test.use({ colorScheme: 'light' });

  test('the toggle switches to dark from the keyboard and the choice survives a reload', async ({
    watched: page,
  }) => {
    await page.goto('chapters/why-scale-matters/');
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    const light = await background(page);
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const dark = await background(page);
    expect(dark).not.toBe(light);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(await background(page)).toBe(dark);
    // The choice holds on other pages too.
    await page.goto('./');
    expect(await background(page)).toBe(dark);
    await page.getByRole('button', { name: 'Dark theme' }).press('Enter');
    expect(await background(page)).toBe(light);
  });
});

test.describe('with a dark system theme', () => {
  test.use({ colorScheme: 'dark' });

  test('the page follows the system until the reader chooses', async ({ watched: page }) => {
    await page.goto('./');
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBeUndefined();
  });
});
