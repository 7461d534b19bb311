import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { drawTorchModule } from '../../src/engine/torch/modules';
import { formatG8 } from '../../src/figures/fan-calculator/python';
import { chartProblems } from './chart-layout';
import { expect as baseExpect, test } from './fixtures';

// The worker draws up to 1.6 M values for nn.LSTM(256, 512): allow it a few seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

const PAGE = 'chapters/pytorch-defaults/';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

interface Case {
  spec: Record<string, unknown>;
  first_bits: Record<string, number[]>;
}
const FIXTURE = JSON.parse(
  readFileSync(new URL('../fixtures/torch/modules.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** PyTorch's first values of a parameter (seed 0), as the page prints them. */
const pytorchFirst = (spec: Record<string, unknown>, name: string): string[] => {
  const found = FIXTURE.cases.find((c) => JSON.stringify(c.spec) === JSON.stringify(spec))!;
  return Array.from(new Float32Array(new Int32Array(found.first_bits[name]!).buffer), formatG8);
};

const inspector = (page: import('@playwright/test').Page) =>
  page.getByRole('figure', { name: /Module inspector/ });
/** The note (term and definition) of one parameter. */
const note = (page: import('@playwright/test').Page, term: string) =>
  inspector(page)
    .locator('.ib-notes > div')
    .filter({ has: page.getByRole('term').filter({ hasText: term }) });

for (const { preset, spec, checks } of [
  {
    preset: 'nn.Conv2d(64, 128, 3)',
    spec: { module: 'Conv2d', in: 64, out: 128, kernel: 3 },
    checks: [
      {
        term: 'weight (128, 64, 3, 3)',
        law: 'U(−0.041666667, 0.041666667), fan_in 576, fan_out 1152',
        name: 'weight',
      },
      { term: 'bias (128)', law: 'U(−0.041666667, 0.041666667), fan_in 576', name: 'bias' },
    ],
  },
  {
    preset: 'nn.LSTM(256, 512)',
    spec: { module: 'LSTM', input: 256, hidden: 512 },
    checks: [
      {
        term: 'weight_ih_l0 (2048, 256)',
        law: 'U(−0.044194174, 0.044194174)',
        name: 'weight_ih_l0',
      },
      { term: 'bias_hh_l0 (2048)', law: 'U(−0.044194174, 0.044194174)', name: 'bias_hh_l0' },
    ],
  },
  {
    preset: 'nn.MultiheadAttention(512, 8)',
    spec: { module: 'MultiheadAttention', embed: 512, heads: 8 },
    checks: [
      {
        term: 'in_proj_weight (1536, 512)',
        law: 'U(−0.054126588, 0.054126588), fan_in 512, fan_out 1536',
        name: 'in_proj_weight',
      },
      {
        term: 'out_proj.weight (512, 512)',
        law: 'U(−0.044194174, 0.044194174), fan_in 512',
        name: 'out_proj.weight',
      },
      { term: 'out_proj.bias (512)', law: 'zeros', name: 'out_proj.bias' },
    ],
  },
]) {
  test(`${preset}: the page shows PyTorch's bounds and first values`, async ({ watched: page }) => {
    await page.goto(PAGE);
    const figure = inspector(page);
    await figure.getByRole('button', { name: preset, exact: true }).click();
    await expect(figure.locator('.ib-summary')).toContainText(preset);
    for (const c of checks) {
      const row = note(page, c.term);
      await expect(row.getByRole('definition')).toContainText(c.law);
      await expect(row.getByRole('definition')).toContainText(
        `First values: ${pytorchFirst(spec, c.name).join(', ')}`,
      );
    }
  });
}

test('the chain is worked out beside the PyTorch source of each step', async ({
  watched: page,
}) => {
  await page.goto(PAGE);
  const weight = note(page, 'weight (128, 64, 3, 3)');
  await expect(weight.getByRole('listitem')).toHaveText([
    /kaiming_uniform_\(weight, a=√5\)\s*torch\/nn\/modules\/conv.py, _ConvNd.reset_parameters/,
    /fan_in = 64 × 3 × 3 = 576.*torch\/nn\/init.py, _calculate_fan_in_and_fan_out/,
    /gain = √\(2\/\(1 \+ a²\)\) = √\(2\/6\) = √\(1\/3\) = 0.57735027\s*torch\/nn\/init.py, calculate_gain/,
    /std = gain\/√fan_in = 0.57735027\/√576 = 0.024056261\s*torch\/nn\/init.py, kaiming_uniform_/,
    /bound = √3 · std = 1\/√576 = 0.041666667\s*torch\/nn\/init.py, kaiming_uniform_/,
  ]);
  await expect(
    inspector(page).getByRole('definition').filter({ hasText: 'Var(w) · ½ = 0.167' }),
  ).toContainText('after 10 layers 1.65e-8');
});

test('driven from the keyboard: module, seed and an impossible size', async ({ watched: page }) => {
  await page.goto(PAGE);
  const figure = inspector(page);
  const module = figure.getByLabel('Module', { exact: true });
  await module.focus();
  await module.selectOption('mha');
  await figure.getByLabel(/^Input size/).focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('512');
  // "More settings" opens from the keyboard too.
  await figure.locator('summary').filter({ hasText: 'More settings' }).focus();
  await page.keyboard.press('Enter');
  const seed = figure.getByLabel('torch.manual_seed(seed)');
  await seed.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('1');
  await page.keyboard.press('Tab');
  const seed1 = drawTorchModule({ module: 'MultiheadAttention', embed: 512, heads: 8 }, 1);
  const expected = Array.from(seed1.get('in_proj_weight')!.subarray(0, 8), formatG8).join(', ');
  await expect(note(page, 'in_proj_weight').getByRole('definition')).toContainText(expected);
  await expect(figure.getByRole('region', { name: /Same numbers as your PyTorch/ })).toContainText(
    'torch.manual_seed(1)\nm = nn.MultiheadAttention(512, 8)',
  );
  await expect(page).toHaveURL(/fan\.seed=1/);
  const heads = figure.getByLabel(/^num_heads/);
  await heads.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(figure.getByRole('status').first()).toContainText(
    'embed_dim (512) is not divisible by num_heads (7)',
  );
  await page.keyboard.press('ArrowRight');
  await expect(figure.getByRole('status').first()).toHaveText('');
});

test('the Copy button puts the Python snippet on the clipboard', async ({
  watched: page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(PAGE);
  const figure = inspector(page);
  await figure.getByRole('button', { name: 'nn.LSTM(256, 512)', exact: true }).click();
  await expect(figure.locator('.ib-summary')).toContainText('nn.LSTM(256, 512)');
  await figure.getByRole('button', { name: 'Copy the Python' }).click();
  await expect(figure.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(
    [
      'import torch',
      'from torch import nn',
      '',
      'torch.manual_seed(0)',
      'm = nn.LSTM(256, 512)',
      'for name, p in m.named_parameters():',
      '    print(name, [f"{v:.8g}" for v in p.detach().flatten()[:8].tolist()])',
    ].join('\n'),
  );
});

test('axe finds nothing to fix in the inspector', async ({ watched: page }) => {
  await page.goto(PAGE);
  const figure = inspector(page);
  await figure.getByRole('button', { name: 'nn.MultiheadAttention(512, 8)', exact: true }).click();
  await expect(figure.locator('.ib-summary')).toContainText('nn.MultiheadAttention(512, 8)');
  await figure.locator('summary').filter({ hasText: 'More settings' }).click();
  const results = await new AxeBuilder({ page })
    .include('#figure-fan-calculator')
    .withTags(TAGS)
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});

test('a module with twelve parameters reads on a phone: no chart text clipped or overlapping', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${PAGE}?fan.layer=transformer&fan.inputs=512&fan.outputs=2048`);
  const figure = inspector(page);
  await expect(figure.locator('.ib-chart')).toHaveAttribute('data-state', 'live');
  await expect(figure.locator('.ib-summary')).toContainText('nn.TransformerEncoderLayer(512, 8)');
  expect(await chartProblems(page, { minText: 11, minShare: 0, contrast: false })).toEqual([]);
  await context.close();
});
