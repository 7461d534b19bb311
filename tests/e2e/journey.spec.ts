/**
 * The reading journey of the course, the way a reader takes it: from the home page into chapter 1,
 * then "Next" from each chapter to the following one, with the keyboard. On every chapter the parts
 * the course promises are there: learning goals, each interactive figure the chapter's source places
 * (drawn, summarised in words, with its controls), live code cells and an exercise, key takeaways and
 * references, and no figure left as a placeholder.
 */
import { readFileSync } from 'node:fs';
import { chapterPages, expect, test } from './fixtures';

test.describe.configure({ timeout: 240_000 });

/** What a chapter's source says it holds: its title and how many figures it places. */
function chapterSource(path: string): { title: string; figures: number } {
  const slug = path.replace(/^chapters\/|\/$/g, '');
  const text = readFileSync(`content/chapters/${slug}.mdx`, 'utf8');
  const title = /^title:\s*(.+)$/m.exec(text)?.[1]?.trim().replace(/^'|'$/g, '') ?? '';
  return { title, figures: text.match(/^<Figure\s/gm)?.length ?? 0 };
}

test('home → chapter 1 → Next through every chapter, with figures, cells and exercises present', async ({
  watched: page,
}) => {
  const chapters = chapterPages();
  expect(chapters.length).toBe(11);
  await page.goto('./');
  const first = page.getByRole('link', { name: new RegExp(chapterSource(chapters[0]!).title) });
  await first.focus();
  await page.keyboard.press('Enter');

  for (const [i, path] of chapters.entries()) {
    const { title, figures } = chapterSource(path);
    await expect(page).toHaveURL(new RegExp(`/${path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    const article = page.getByRole('main');
    await expect(
      article.getByRole('heading', { name: 'After this chapter you can' }),
    ).toBeVisible();
    await expect(article.getByRole('heading', { name: 'Key takeaways' })).toBeVisible();
    await expect(article.getByRole('heading', { name: 'References' })).toBeVisible();
    await expect(article).not.toContainText('Figure in preparation');

    // Every figure the source places is on the page, drawn and described, with its controls.
    expect(figures, `${path} places at least one figure`).toBeGreaterThan(0);
    const placed = article.locator('ib-figure figure.ib-figure');
    await expect(placed).toHaveCount(figures);
    for (let f = 0; f < figures; f++) {
      const figure = placed.nth(f);
      await expect(figure.locator('.ib-chart svg').first()).toBeVisible();
      await expect(figure.locator('.ib-summary')).not.toBeEmpty();
      await expect(figure.getByRole('form', { name: /: settings$/ })).toBeVisible();
    }

    // Live cells with a Run button, and an exercise with a self-check: a disclosure with the
    // answer, or an exercise cell that tests the reader's code.
    const cells = article.getByRole('region', { name: /^(Code cell \d+|Exercise: .+)$/ });
    expect(await cells.count(), `${path} has a code cell`).toBeGreaterThan(0);
    await expect(cells.first().getByRole('button', { name: 'Run' })).toBeVisible();
    await expect(article.getByRole('heading', { level: 2, name: /^Exercise/ })).toBeVisible();
    const selfCheck = article
      .locator('details > summary', { hasText: 'Check your answer' })
      .or(article.getByRole('region', { name: /^Exercise: / }));
    await expect(selfCheck.first()).toBeVisible();

    const next = page
      .getByRole('navigation', { name: 'Previous and next chapters' })
      .getByRole('link', { name: /^Next/ });
    if (i === chapters.length - 1) {
      await expect(next).toHaveCount(0);
      break;
    }
    await next.focus();
    await page.keyboard.press('Enter');
  }
});
