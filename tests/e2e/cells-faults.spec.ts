import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { cell, edit, output } from './cell-helpers';
import { expect, test } from './fixtures';

/** A chapter with two plain cells (no exercise). */
const CHAPTER = 'chapters/variance-rule/';

/** Records errors that escape any worker of the page (they would reach the Worker's `error` event). */
async function watchWorkerErrors(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __workerErrors: string[] }).__workerErrors = seen;
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('error', (event) => seen.push(event.message));
      }
    };
  });
  return () =>
    page.evaluate(() => (window as unknown as { __workerErrors: string[] }).__workerErrors);
}

test('a timer’s error and a rejected promise show in their own cells, with the reader’s line', async ({
  watched: page,
}) => {
  const workerErrors = await watchWorkerErrors(page);
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(
    page,
    first,
    [
      "console.log('scheduled');",
      'const timer = setTimeout(() => {',
      "  console.log('tick');",
      '  const layer = null as unknown as { width: number };',
      '  return layer.width;',
      '}, 50);',
    ].join('\n'),
  );
  await page.keyboard.press('Shift+Enter');
  await expect(output(first)).toContainText(
    /Later, in a timer: TypeError on line 5, column \d+: Cannot read properties of null/,
  );
  await expect(output(first).locator('.ib-out-log')).toHaveText(['scheduled', 'tick']);
  await expect(first.getByRole('status')).toHaveText(
    /^Ran in \d+ ms; later, its code threw an error/,
  );

  const second = cell(page, 'Code cell 2');
  await edit(
    page,
    second,
    [
      'async function loadWeights() {',
      '  await null;',
      "  throw new RangeError('no weights file');",
      '}',
      'void loadWeights();',
    ].join('\n'),
  );
  await second.getByRole('button', { name: 'Run' }).click();
  await expect(output(second)).toContainText(
    'Later, a promise was rejected and not handled: RangeError on line 3, column 9: no weights file',
  );
  await expect(output(first)).not.toContainText('no weights');

  // The worker is fine: the first cell runs again, and its new output replaces the late one.
  await edit(page, first, '6 * 7');
  await page.keyboard.press('Shift+Enter');
  await expect(output(first)).toHaveText('42');
  await expect(first.getByRole('status')).toHaveText(/^Ran in \d+ ms\.$/);
  expect(await workerErrors()).toEqual([]);
});

/**
 * Starts watching the main thread: the longest task it ran (the Long Tasks API; a frame is drawn
 * and input is handled only between tasks) and the longest gap between animation frames. Frames
 * can also be late when the machine is busy with other work, so the frame gap gets a looser bound.
 */
async function mainThreadProbe(
  page: Page,
): Promise<() => Promise<{ task: number; frame: number }>> {
  await page.evaluate(() => {
    const probe = { task: 0, frame: 0, last: performance.now(), on: true };
    (window as unknown as { __probe: typeof probe }).__probe = probe;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.task = Math.max(probe.task, entry.duration);
    }).observe({ type: 'longtask' });
    const tick = (now: number) => {
      probe.frame = Math.max(probe.frame, now - probe.last);
      probe.last = now;
      if (probe.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      const probe = (window as unknown as { __probe: { task: number; frame: number; on: boolean } })
        .__probe;
      probe.on = false;
      return { task: probe.task, frame: probe.frame };
    });
}

test('a cell printing every weight of a 256×512 layer shows 1,000 lines and the page keeps answering', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(
    page,
    first,
    [
      "const w = initTensor([256, 512], { name: 'kaiming_uniform' }, createRng(1));",
      'for (const weight of w) console.log(weight);',
    ].join('\n'),
  );
  // From the click to the last output drawn, the page never stops answering for 200 ms. The wait
  // is a cheap selector polled slowly: locators' own work on the page would be measured too.
  const longest = await mainThreadProbe(page);
  await first.getByRole('button', { name: 'Run' }).click();
  await page.waitForFunction(() => document.querySelector('#cell-1 .ib-out-elided button'), null, {
    polling: 250,
    timeout: 20_000,
  });
  const { task, frame } = await longest();
  expect(task, 'the longest main-thread task (ms)').toBeLessThan(200);
  expect(frame, 'the longest gap between frames (ms)').toBeLessThan(1000);
  const save = first.getByRole('button', { name: 'Download full output (.txt)' });
  await expect(save).toBeVisible();

  await expect(first.getByRole('status')).toHaveText(/^Ran in \d+ ms\.$/);
  const note = output(first).getByText(
    /^… 130,072 more lines not shown \(\d+(\.\d)?\s(kB|MB)\)\.$/,
  );
  await expect(note).toBeVisible();
  await expect(output(first).locator('.ib-out-log')).toHaveCount(1000);
  // The build-time output is gone, not left up as if it were this run's.
  await expect(output(first)).not.toContainText('gradientVsTop');
  await expect(first.locator('.ib-cell-stale')).toBeHidden();

  const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
  expect(download.suggestedFilename()).toBe('cell-1-output.txt');
  const lines = (await readFile(await download.path(), 'utf8')).split('\n');
  expect(lines.pop()).toBe(''); // the last line ends with a newline too
  expect(lines).toHaveLength(131_072);
  const shown = await output(first).locator('.ib-out-log').allTextContents();
  expect(lines.slice(0, 1000)).toEqual(shown);
});

test('when an output cannot be drawn, the cell says so instead of keeping the old output', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await expect(output(first)).toContainText('gradientVsTop');
  // Any failure of the page's drawing code will do: here, the DOM refuses to make fragments.
  await page.evaluate(() => {
    document.createDocumentFragment = () => {
      throw new Error('no fragments today');
    };
  });
  await first.getByRole('button', { name: 'Run' }).click();
  await expect(output(first)).toHaveText('This output cannot be shown: no fragments today');
  await expect(first.getByRole('status')).toHaveText('Ran, but its output cannot be shown.');
});

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
  // The last control before the code: Copy as PyTorch (Reset is disabled until an edit).
  await first.getByRole('button', { name: 'Copy as PyTorch' }).focus();
  await page.keyboard.press('Tab');
  const editor = first.getByRole('textbox', { name: /TypeScript code/ });
  await expect(editor).toBeFocused();
  await page.keyboard.type('§');
  await expect(editor.locator('.cm-line').first()).toHaveText(`§${firstLine}`);
});
