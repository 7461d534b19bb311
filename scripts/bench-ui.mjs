// `npm run bench:ui`: time from a control change to the redrawn chart, in Chromium, for the
// variance-by-depth figure at depth 50, width 256, batch 256 (He init, ReLU). Prints p50 and p95
// over many changes, next to the engine's own time for the same run measured in this process, so
// the ratio shows what the page adds on top of the arithmetic. Then training throughput: steps per
// second of a 10-layer, 128-wide ReLU net at batch 64 on spirals, run in a live cell in Chromium
// and, for the ratio, in this process. Needs a build: npm run build.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, findChromium } from './browser.mjs';

const CHANGES = Number(process.env.BENCH_UI_CHANGES ?? 20);
const PORT = 4391;
const PARAMS = 'vbd.depth=50&vbd.width=256&vbd.batch=256&vbd.inits=kaiming_normal';

if (!existsSync('dist/chapters/why-scale-matters/index.html')) {
  console.error('No build found: run `npm run build` first.');
  process.exit(1);
}

const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  return s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.ceil(h)] - s[Math.floor(h)]);
};

// Reference: the same engine call in this process (Node, same plain-TS kernels as the worker).
const vite = await createServer({
  server: { middlewareMode: true },
  appType: 'custom',
  logLevel: 'silent',
});
const { model } = await vite.ssrLoadModule('/src/figures/variance-by-depth/model.ts');
const { defaults } = await vite.ssrLoadModule('/src/figures/params.ts');
const { runToEnd } = await vite.ssrLoadModule('/src/figures/types.ts');
const { train } = await vite.ssrLoadModule('/src/engine/train.ts');
const base = {
  ...defaults(model.schema),
  depth: 50,
  width: 256,
  batch: 256,
  inits: ['kaiming_normal'],
};
const engineTimes = [];
for (let i = 0; i < 6; i++) {
  const gain = 0.9 + 0.02 * i;
  const t0 = performance.now();
  runToEnd(model.compute({ ...base, gain }));
  if (i > 0) engineTimes.push(performance.now() - t0);
}
// Training throughput: the same config here and in a cell in the browser.
const TRAIN_STEPS = Number(process.env.BENCH_TRAIN_STEPS ?? 60);
const TRAIN_CONFIG = {
  task: { name: 'spirals' },
  depth: 10,
  width: 128,
  activation: 'relu',
  weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 },
  batch: 64,
  steps: TRAIN_STEPS,
  seed: 1,
};
train({ ...TRAIN_CONFIG, steps: 20 }); // warm-up
const trainStart = performance.now();
const trained = train(TRAIN_CONFIG);
const nodeTrainMs = performance.now() - trainStart;
await vite.close();

const server = spawn(
  process.execPath,
  ['scripts/serve-static.mjs', '--dir', 'dist', '--port', String(PORT)],
  {
    stdio: 'ignore',
  },
);
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: await findChromium(),
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/chapters/why-scale-matters/?${PARAMS}`);
  const summary = page.locator('#figure-variance-by-depth .ib-summary');
  await summary.filter({ hasText: 'at layer 50' }).waitFor({ timeout: 300_000 });
  const gain = page.getByLabel('Gain', { exact: true });
  await gain.focus();
  const latencies = [];
  for (let i = 0; i < CHANGES; i++) {
    const ms = await page.evaluate(
      async (key) => {
        const target = document.querySelector('#figure-variance-by-depth .ib-chart');
        const input = document.querySelector('#vbd-gain');
        return new Promise((resolve) => {
          let t0 = 0;
          const observer = new MutationObserver(() => {
            if (target.dataset.state === 'live' && target.querySelector('svg')) {
              observer.disconnect();
              resolve(performance.now() - t0);
            }
          });
          observer.observe(target, { childList: true });
          t0 = performance.now();
          input.value = String(Number(input.value) + key);
          input.dispatchEvent(new Event('input', { bubbles: true }));
        });
      },
      i % 2 === 0 ? 1 : -1,
    );
    latencies.push(ms);
  }
  const p50 = quantile(latencies, 0.5);
  const p95 = quantile(latencies, 0.95);
  const engine = quantile(engineTimes, 0.5);
  console.log(
    `variance-by-depth, depth 50, width 256, batch 256, He/ReLU; ${CHANGES} changes of the gain slider`,
  );
  console.log(
    `control change → redrawn chart (Chromium, worker): p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
  );
  console.log(
    `engine alone for the same run (Node, this process):  median ${engine.toFixed(0)} ms`,
  );
  console.log(
    `ratio page p50 / engine: ${(p50 / engine).toFixed(2)}×   target p95 ≤ 100 ms: ${p95 <= 100 ? 'met' : 'not met'}`,
  );

  // The same training run, typed into the first live cell of chapter 1.
  const cellPage = await browser.newPage();
  await cellPage.goto(`http://127.0.0.1:${PORT}/chapters/why-scale-matters/`);
  const cell = cellPage.getByRole('region', { name: 'Code cell 1', exact: true });
  const code = (steps) =>
    `const r = train(${JSON.stringify({ ...TRAIN_CONFIG, steps })});\nconsole.log(r.stepsRun, r.final.loss);`;
  const runCell = async (steps) => {
    await cell.locator('.ib-cell-source pre, .cm-content').first().click();
    const editor = cell.getByRole('textbox', { name: /TypeScript code/ });
    await editor.focus();
    await cellPage.keyboard.press('ControlOrMeta+a');
    await cellPage.keyboard.press('Delete');
    await cellPage.keyboard.insertText(code(steps));
    await cell.getByRole('button', { name: 'Run' }).click();
    const status = cell.locator('.ib-cell-status').filter({ hasText: /^(Ran in|Stopped|Not run)/ });
    await status.waitFor({ timeout: 600_000 });
    const text = await status.textContent();
    await cell.locator('.ib-cell-status').evaluate((el) => (el.textContent = ''));
    const ran = /^Ran in (\d+) ms/.exec(text);
    if (!ran)
      throw new Error(
        `the cell did not run: ${text} ${await cell.locator('.ib-cell-output').textContent()}`,
      );
    return Number(ran[1]);
  };
  await runCell(10); // warm-up (a cell run has a 5 s limit: keep the timed run under it)
  const browserTrainMs = await runCell(TRAIN_STEPS);
  const perSecond = (ms) => (TRAIN_STEPS / (ms / 1000)).toFixed(0);
  console.log('');
  console.log(
    `training, 10 hidden layers × 128 ReLU, batch 64, SGD, spirals, ${TRAIN_STEPS} steps (final loss ${trained.final.loss.toFixed(3)})`,
  );
  console.log(
    `Chromium (cell worker): ${browserTrainMs} ms, ${perSecond(browserTrainMs)} steps/s   Node: ${nodeTrainMs.toFixed(0)} ms, ${perSecond(nodeTrainMs)} steps/s   ratio Chromium/Node time ${(browserTrainMs / nodeTrainMs).toFixed(2)}×`,
  );
} finally {
  await browser.close();
  server.kill();
}
