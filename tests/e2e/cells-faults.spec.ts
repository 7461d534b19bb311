import type { Locator } from '@playwright/test';
import { cell } from './cell-helpers';
import { expect, test } from './fixtures';

/** A chapter with two plain cells (no exercise). */
const CHAPTER = 'chapters/variance-rule/';

/** The box of the first line of code (static or editor) and the cell's height. */
function layoutOf(region: Locator) {
  return region.evaluate((section) => {
    const line = section.querySelector('.ib-cell-source .line, .ib-cell-source .cm-line')!;
    const range = document.createRange();
    range.selectNodeContents(line);
    const text = range.getClientRects()[0]!;
    return {
      left: text.left,
      top: text.top,
      source: section.querySelector('.ib-cell-source')!.getBoundingClientRect().height,
      cell: section.getBoundingClientRect().height,
    };
  });
}

/** The viewport point of the left edge of character `column` of line `line` in the static code. */
function pointOfCharacter(region: Locator, line: number, column: number) {
  return region.locator('.ib-cell-source pre').evaluate(
    (pre, [line, column]) => {
      const lines = (pre.textContent ?? '').split('\n');
      let target = column;
      for (let i = 0; i < line; i++) target += lines[i]!.length + 1;
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (target < seen + length) {
          const range = document.createRange();
          range.setStart(node, target - seen);
          range.setEnd(node, target - seen + 1);
          const box = range.getBoundingClientRect();
          return { x: box.left + box.width * 0.25, y: box.top + box.height / 2 };
        }
        seen += length;
      }
      throw new Error('no such character');
    },
    [line, column] as const,
  );
}

for (const width of [390, 1280]) {
  test(`at ${width} px the editor opens where the code was, with the caret where the reader clicked`, async ({
    watched: page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(CHAPTER);
    const first = cell(page, 'Code cell 1');
    await first.scrollIntoViewIfNeeded();
    const lineTexts = (await first.locator('.ib-cell-source pre').textContent())!.split('\n');
    const before = await layoutOf(first);
    // Line 7 is `width: [512, 256, 128, 64],`; click on the "5" of 512 (column 10).
    const point = await pointOfCharacter(first, 6, 10);
    await page.mouse.click(point.x, point.y);
    const editor = first.getByRole('textbox', { name: /TypeScript code/ });
    await expect(editor).toBeFocused();
    const after = await layoutOf(first);
    expect(Math.abs(after.left - before.left)).toBeLessThanOrEqual(1);
    expect(Math.abs(after.top - before.top)).toBeLessThanOrEqual(1);
    expect(Math.abs(after.source - before.source)).toBeLessThanOrEqual(2);
    expect(Math.abs(after.cell - before.cell)).toBeLessThanOrEqual(2);
    await page.keyboard.type('§');
    await expect(editor.locator('.cm-line').nth(6)).toHaveText(
      `${lineTexts[6]!.slice(0, 10)}§${lineTexts[6]!.slice(10)}`,
    );
  });
}

test('Tab into the code opens the editor with the caret at the start', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  const firstLine = (await first.locator('.ib-cell-source .line').first().textContent())!;
  await first.getByRole('button', { name: 'Run' }).focus();
  await page.keyboard.press('Tab');
  const editor = first.getByRole('textbox', { name: /TypeScript code/ });
  await expect(editor).toBeFocused();
  await page.keyboard.type('§');
  await expect(editor.locator('.cm-line').first()).toHaveText(`§${firstLine}`);
});
