import AxeBuilder from '@axe-core/playwright';
import { expect, test, builtPages } from './fixtures';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    for (const path of builtPages()) {
      test(`axe finds no WCAG 2.2 AA violations on /${path}`, async ({ page }) => {
        await page.goto(path);
        const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        const summary = results.violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
        expect(summary).toEqual([]);
      });
    }
  });
}

/** axe's landmark rules (best practices, outside the WCAG tags above): one main, unique names. */
const LANDMARK_RULES = [
  'landmark-banner-is-top-level',
  'landmark-complementary-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-main-is-top-level',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'landmark-no-duplicate-main',
  'landmark-one-main',
  'landmark-unique',
  'region',
];

for (const path of [
  '',
  'chapters/why-scale-matters/',
  'chapters/signal-propagation/',
  'chapters/beyond-rules-of-thumb/',
  '404.html',
]) {
  test(`landmarks on /${path}: axe's landmark rules pass, navigation is named`, async ({
    page,
  }) => {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).withRules(LANDMARK_RULES).analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(summary).toEqual([]);
    await expect(page.getByRole('navigation', { name: 'Site' })).toBeVisible();
    const names = await page
      .getByRole('navigation')
      .evaluateAll((navs) =>
        navs.map((n) => n.getAttribute('aria-label') ?? n.getAttribute('aria-labelledby')),
      );
    expect(names.every((n) => n !== null && n !== '')).toBe(true);
  });
}
