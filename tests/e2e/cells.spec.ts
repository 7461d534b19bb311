import AxeBuilder from '@axe-core/playwright';
import { cell, edit, output } from './cell-helpers';
import { expect, test } from './fixtures';

const CHAPTER = 'chapters/why-scale-matters/';
const EXERCISE = 'Exercise: Write xavierUniform(fanIn, fanOut, rng)';
/** Strings only CodeMirror's and sucrase's code contain. */
const EDITOR_MARK = 'cm-editor';
const TRANSPILER_MARK = 'Cannot combine flow and typescript plugins.';

test('the page reads complete without running anything: build-time output', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await expect(output(first)).toContainText('unscaled: 63.418');
  await expect(output(first)).toContainText('scaled: 1.0018');
  await expect(first.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(first.locator('pre.astro-code')).toContainText('preActivationStd');
});

test('no editor or transpiler code is fetched before a cell is touched', async ({
  watched: page,
}) => {
  const scripts: { url: string; body: Promise<string> }[] = [];
  page.on('response', (response) => {
    if (/\.m?js(\?|$)/.test(response.url())) {
      scripts.push({ url: response.url(), body: response.text().catch(() => '') });
    }
  });
  await page.goto(CHAPTER);
  await page.waitForLoadState('networkidle');
  const before = await Promise.all(scripts.map(async (s) => ({ url: s.url, body: await s.body })));
  expect(before.length).toBeGreaterThan(0);
  for (const { url, body } of before) {
    expect(body.includes(EDITOR_MARK), `${url} holds editor code`).toBe(false);
    expect(body.includes(TRANSPILER_MARK), `${url} holds the transpiler`).toBe(false);
  }
  // Touching the code loads the editor.
  const first = cell(page, 'Code cell 1');
  await first.locator('.ib-cell-source pre').click();
  await expect(first.getByRole('textbox', { name: /TypeScript code/ })).toBeVisible();
  const after = await Promise.all(scripts.map((s) => s.body));
  expect(after.some((body) => body.includes(EDITOR_MARK))).toBe(true);
});

test('edit a cell, run it from the keyboard, and see its output', async ({ watched: page }) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(
    page,
    first,
    "const width = 16;\nconsole.log('width', width);\n({ doubled: width * 2 })",
  );
  await expect(first.locator('.ib-cell-stale')).toBeVisible();
  await page.keyboard.press('Shift+Enter');
  await expect(output(first)).toContainText('width 16');
  await expect(output(first)).toContainText('doubled: 32');
  await expect(first.getByRole('status')).toHaveText(/Ran in \d+ ms/);
  await expect(first.locator('.ib-cell-stale')).toBeHidden();
  // Ctrl/Cmd+Enter runs too; a runtime error names the line in the reader's code.
  await edit(page, first, 'const a = 1;\nconst b = null as unknown as { x: number };\nb.x + a');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(output(first)).toContainText(/TypeError on line 3/);
  // A syntax error is reported before running, with line and column.
  await edit(page, first, "console.log('never');\nconst = 3;");
  await page.keyboard.press('Shift+Enter');
  await expect(output(first)).toContainText(/Syntax error on line 2, column \d+/);
  await expect(output(first)).not.toContainText('never');
});

test('in Chromium the engine runs its WebAssembly SIMD kernels, with fused multiply-add', async ({
  watched: page,
}) => {
  // The site's CSP allows 'wasm-unsafe-eval', so the worker compiles the kernels; were it refused,
  // the engine would fall back to TypeScript and this would say 'ts'.
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(page, first, 'console.log(`kernels: ${kernelBackend()}`);');
  await page.keyboard.press('Shift+Enter');
  await expect(output(first)).toContainText('kernels: wasm-relaxed-simd');
});

test('a later cell uses an earlier one’s value, and is marked stale when it changes', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const second = cell(page, EXERCISE);
  // Running the second cell first runs the first (it has not run yet), whose `n` it uses.
  await edit(page, second, 'display(n * 2);');
  await second.getByRole('button', { name: 'Run' }).click();
  await expect(output(second)).toContainText('8192');
  const first = cell(page, 'Code cell 1');
  await expect(output(first)).toContainText('unscaled: 63.418');
  // Changing the first cell makes the second's output out of date until it runs again.
  await edit(page, first, 'const n = 10;');
  await page.keyboard.press('Shift+Enter');
  await expect(first.getByRole('status')).toHaveText(/Ran in/);
  await expect(second.locator('.ib-cell-stale')).toBeVisible();
  await second.getByRole('button', { name: 'Run' }).click();
  await expect(output(second)).toContainText('20');
  await expect(second.locator('.ib-cell-stale')).toBeHidden();
});

test('an endless loop is stopped at its time limit and the page answers clicks throughout', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(page, first, 'while (true) {}');
  const started = Date.now();
  await first.getByRole('button', { name: 'Run' }).click();
  await expect(first.getByRole('status')).toHaveText(/Running/);
  // The main thread is free: a click opens the help at once, and script answers, while the loop runs.
  const help = first.locator('.ib-cell-help');
  // 3 s: an upper bound well under the 5-s loop, with room for a loaded machine.
  await help.locator('summary').click({ timeout: 3000 });
  await expect(help).toHaveAttribute('open', '');
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await expect(output(first)).toContainText('Stopped after 5 s', { timeout: 15000 });
  // Not before its time limit (the upper bound only says it was stopped at all).
  expect(Date.now() - started).toBeGreaterThan(4500);
  // A fresh worker runs the next cell.
  await edit(page, first, '1 + 1');
  await page.keyboard.press('Shift+Enter');
  await expect(output(first)).toHaveText('2');
});

test('edits survive a reload, and Reset restores the original', async ({ watched: page }) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(page, first, 'const kept = 123;\nkept');
  await first.getByRole('button', { name: 'Run' }).click();
  await expect(output(first)).toHaveText('123');
  await page.reload();
  await expect(first.locator('.ib-cell-source')).toContainText('const kept = 123;');
  await expect(first.getByText('Edited: saved in this browser')).toBeVisible();
  await expect(first.locator('.ib-cell-stale')).toBeVisible();
  await first.getByRole('button', { name: 'Reset' }).click();
  await expect(first.locator('.ib-cell-source')).toContainText('preActivationStd');
  await page.reload();
  await expect(first.locator('.ib-cell-source')).toContainText('preActivationStd');
  await expect(first.getByRole('button', { name: 'Reset' })).toBeDisabled();
});

test('an edit of a changed original is set aside visibly, and can be restored', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  await page.evaluate(() => {
    const key = `initbook:cell:${location.pathname}#0`;
    localStorage.setItem(
      key,
      JSON.stringify({ original: 'an-older-original', source: 'old edit' }),
    );
  });
  await page.reload();
  const first = cell(page, 'Code cell 1');
  await expect(first.getByText(/original code of this cell has changed/)).toBeVisible();
  await expect(first.locator('.ib-cell-source')).toContainText('preActivationStd');
  await first.getByRole('button', { name: 'Restore my edit' }).click();
  await expect(first.locator('.ib-cell-source')).toContainText('old edit');
});

test('an exercise passes with a right answer and fails with a wrong one', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const exercise = cell(page, EXERCISE);
  const answer = (bound: string) =>
    [
      'function xavierUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {',
      `const a = ${bound};`,
      'const w = new Float32Array(fanIn * fanOut);',
      'for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * a;',
      'return w;',
      '}',
    ].join('\n');
  await edit(page, exercise, answer('Math.sqrt(2 / (fanIn + fanOut))'));
  await page.keyboard.press('Shift+Enter');
  await expect(output(exercise)).toContainText('2 of 5 checks pass', { timeout: 10_000 });
  await expect(output(exercise)).toContainText('multiply by √3');
  await edit(page, exercise, answer('Math.sqrt(6 / (fanIn + fanOut))'));
  await page.keyboard.press('Shift+Enter');
  await expect(output(exercise)).toContainText('All 5 checks pass', { timeout: 10_000 });
});

test('plot() draws a chart with Plot on the page, from a serialisable spec', async ({
  watched: page,
}) => {
  await page.goto(CHAPTER);
  const first = cell(page, 'Code cell 1');
  await edit(
    page,
    first,
    "const rows = [1, 2, 3].map((layer) => ({ layer, meanSquare: 2 ** -layer }));\nplot({ marks: [{ type: 'line', data: rows, x: 'layer', y: 'meanSquare' }], y: { type: 'log' }, title: 'Halving' })",
  );
  await page.keyboard.press('Shift+Enter');
  const chart = output(first).getByRole('img', { name: 'Halving' });
  await expect(chart).toBeVisible();
  await expect(output(first).locator('svg path').first()).toBeAttached();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`live cells (editor, outputs, table, checks, errors) pass axe in the ${scheme} theme`, async ({
    watched: page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(CHAPTER);
    const first = cell(page, 'Code cell 1');
    await edit(
      page,
      first,
      [
        "console.warn('careful');",
        'display([{ layer: 1, v: 0.5 }, { layer: 2, v: 0.25 }]);',
        'display({ w: new Float32Array(100).fill(1), nested: { a: [1, 2] } });',
        // A capped output (its note and download button) and a late error.
        'for (let i = 0; i < 1200; i++) console.log(i);',
        "setTimeout(() => { throw new Error('late'); });",
      ].join('\n'),
    );
    await page.keyboard.press('Shift+Enter');
    await expect(output(first)).toContainText('Float32Array(100)');
    await expect(
      output(first).getByRole('button', { name: 'Download full output (.txt)' }),
    ).toBeVisible();
    await expect(output(first)).toContainText('Later, in a timer: Error');
    const exercise = cell(page, EXERCISE);
    await exercise.getByRole('button', { name: 'Run' }).click();
    await expect(output(exercise)).toContainText('checks pass');
    await first.locator('.ib-cell-help summary').click();
    const results = await new AxeBuilder({ page })
      .include('ib-cell')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
      .analyze();
    expect(
      results.violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    ).toEqual([]);
  });
}
