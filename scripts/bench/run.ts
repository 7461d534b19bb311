/**
 * `npm run bench`: the engine's kernels against TensorFlow.js on WebAssembly (SIMD, one thread),
 * plain loops and, where python3 with numpy is installed, native BLAS, all in one process run
 * (numpy in a child process), warm-up first, medians of repeats. Prints times, GFLOP/s, ratios and
 * the targets of the WebAssembly-kernels issue:
 *  - forward with per-layer statistics: engine ≥ 2.0× tfjs-wasm (tfjs gets `tf.moments` per layer);
 *  - forward+backward with statistics: engine ≥ 2.0× the faster tfjs variant (explicit transposes;
 *    the transpose-flag products that `tf.grads` runs are printed too);
 *  - matrix multiply 256×512×512: engine ≥ 0.4× numpy's BLAS.
 * The engine rows use pre-sampled weights like tfjs; the whole `propagate` (which also samples its
 * weights with the engine's seeded generator) is printed for context. Slow rows run fewer layers
 * and are scaled to the full depth (every layer has the same size, so time is linear in depth).
 * Last, the transformer preset (12 pre-norm blocks, d_model 256, 4 heads, seq 64, batch 8, GPT-2
 * init) forward+backward with per-layer moments beside the same network on tfjs-wasm
 * (scripts/bench/transformer.ts), printed as a ratio (the issue states no target), with a
 * cross-check of loss and gradients.
 * Flags: `--quick` shrinks the workload to a smoke test (and the transformer to 2 blocks of 32).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createKernels, kernelBackend, setKernelPreference } from '../../src/engine/backend.ts';
import {
  batchRows,
  createRng,
  initTensor,
  mergePropagateParts,
  propagate,
  propagateNetwork,
  propagatePart,
  transformer,
} from '../../src/engine/index.ts';
import { mergeHalves, runHalf, startHalfWorker } from './halves.ts';
import { createTsKernels, type Kernels } from '../../src/engine/kernels.ts';
import { createWasmKernels } from '../../src/engine/kernels-wasm.ts';
import { kernelsForwardBackward, kernelsRun, type KernelRun } from './kernels.ts';
import { plainForwardBackward } from './plain.ts';
import {
  disposeTfjsModel,
  setupTfjs,
  tfjsTransposeFlagsForwardBackward,
  tfjsForward,
  tfjsForwardBackward,
  tfjsMatMulMs,
  tfjsModel,
} from './tfjs.ts';
import { measure, type Timing } from './timing.ts';
import {
  TINY_TRANSFORMER,
  TRANSFORMER,
  disposeTfjsTransformer,
  drawTransformer,
  engineTransformerPass,
  tfjsTransformer,
  tfjsTransformerPass,
  transformerForwardGflop,
  type PassResult,
} from './transformer.ts';
import { WORKLOAD, kaimingWeights, normalSource, normals, type Workload } from './workload.ts';

/** One line of a results table. */
interface Row {
  readonly name: string;
  readonly timing: Timing;
  /** Layers actually run; the time is scaled to the full depth when fewer. */
  readonly layers: number;
  /** GFLOP of the full-depth run this row stands for. */
  readonly gflop: number;
}

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

/** Full-depth milliseconds of a row. */
function fullMs(w: Workload, r: Row): number {
  return (r.timing.medianMs * w.depth) / r.layers;
}

function table(w: Workload, title: string, rows: readonly Row[]): void {
  console.log('');
  console.log(title);
  console.log(`  ${'implementation'.padEnd(56)}  ms (median)  GFLOP/s  runs  spread`);
  for (const r of rows) {
    const scale = w.depth / r.layers;
    const spread = `${fmt(r.timing.minMs * scale, 0)}–${fmt(r.timing.maxMs * scale, 0)} ms`;
    const note =
      r.layers === w.depth ? spread : `${spread}; ran ${r.layers} layers, ×${fmt(scale, 0)}`;
    const ms = fullMs(w, r);
    console.log(
      `  ${r.name.padEnd(56)}  ${fmt(ms, 0).padStart(11)}  ${fmt(r.gflop / (ms / 1e3), 2).padStart(7)}  ${String(r.timing.repeats).padStart(4)}  ${note}`,
    );
  }
}

/** Prints `reference / engine` as a speed-up and whether it meets `target`. */
function target(label: string, engineMs: number, referenceMs: number, goal: number): void {
  const speedup = referenceMs / engineMs;
  console.log(
    `  ${label.padEnd(62)} ${fmt(speedup, 2).padStart(6)}×  (target ≥ ${fmt(goal, 1)}×: ${speedup >= goal ? 'met' : 'not met'})`,
  );
}

/** numpy's matmul of float32 m×k · k×n in a child process: median ms, or null when unavailable. */
function numpyMatMulMs(m: number, n: number, k: number): { ms: number; info: string } | null {
  const code = [
    'import time, numpy as np',
    `a = np.random.default_rng(1).standard_normal((${m}, ${k}), dtype=np.float32)`,
    `b = np.random.default_rng(2).standard_normal((${k}, ${n}), dtype=np.float32)`,
    'a @ b',
    'ts = []',
    'for _ in range(30):',
    '    t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)',
    'ts.sort()',
    'print(ts[len(ts) // 2] * 1e3, np.__version__)',
  ].join('\n');
  // One BLAS thread, like the single-threaded wasm rows.
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  const out = spawnSync('python3', ['-c', code], { encoding: 'utf8', env, timeout: 60_000 });
  if (out.status !== 0 || !out.stdout) return null;
  const [ms, version] = out.stdout.trim().split(/\s+/);
  return { ms: Number(ms), info: `numpy ${version}, 1 thread` };
}

/** Runs the benchmark and prints the results. */
export async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const w: Workload = quick ? { depth: 4, width: 128, batch: 64 } : WORKLOAD;
  const budgetMs = quick ? 500 : 8_000;
  const fewLayers = Math.min(w.depth, 10);
  const plainLayers = Math.min(w.depth, 5);
  const layerGflop = (2 * w.batch * w.width * w.width) / 1e9;
  const fwdGflop = layerGflop * w.depth;
  const fwdBwdGflop = 3 * fwdGflop;

  const wasm = createWasmKernels();
  if (!wasm) throw new Error('WebAssembly SIMD is not available in this Node: nothing to compare');
  const ts = createTsKernels();
  console.log(`Node ${process.version}, ${process.arch}; engine kernels: wasm ${wasm.variant}`);
  console.log(
    `workload: depth ${w.depth}, width ${w.width}, batch ${w.batch}, relu, Kaiming-normal weights; ` +
      `${fmt(fwdGflop, 2)} GFLOP forward, ${fmt(fwdBwdGflop, 2)} GFLOP forward+backward (products only)`,
  );

  const weights = kaimingWeights(w, w.depth, 1);
  const input = normals(w.batch * w.width, 1, normalSource(2));
  const setup = await setupTfjs();
  console.log(
    `tfjs: backend ${setup.backend}, SIMD ${setup.simd ? 'on' : 'OFF'}, ` +
      `multithreading ${setup.multithread ? 'on' : 'off'}, threads ${setup.threads}`,
  );
  const model = tfjsModel(w, weights, input);

  const engineRow = async (name: string, k: Kernels, run: KernelRun, layers: number) => ({
    name,
    layers,
    gflop: run.backward ? fwdBwdGflop : fwdGflop,
    timing: await measure(() => kernelsRun(k, w, weights.slice(0, layers), input, run), {
      warmupFn: () => kernelsRun(k, w, weights.slice(0, 2), input, run),
      budgetMs,
    }),
  });
  const tfjsRow = async (name: string, fn: () => number, gflop: number, layers = w.depth) => ({
    name,
    layers,
    gflop,
    timing: await measure(fn, { warmup: 2, budgetMs }),
  });

  // Both cores: half the batch here, half on a worker thread, merged (scripts/bench/halves.ts).
  const [, cut] = batchRows(w.batch, { index: 0, of: 2 });
  const mine = input.subarray(0, cut * w.width);
  const other = await startHalfWorker(w, weights, input.slice(cut * w.width), w.batch - cut);
  const halvesRow = async (name: string, run: KernelRun) => {
    const both = async (layers: number) => {
      const theirs = other.run(run, layers);
      const own = runHalf(wasm, w, weights.slice(0, layers), mine, cut, run);
      return mergeHalves(own, await theirs).moments.length;
    };
    return {
      name,
      layers: w.depth,
      gflop: run.backward ? fwdBwdGflop : fwdGflop,
      timing: await measure(() => both(w.depth), { warmupFn: () => both(2), budgetMs }),
    };
  };

  // Forward with per-layer statistics.
  const fwd = { backward: false, stats: true };
  const forward: Row[] = [
    await engineRow('engine, wasm kernels + statistics', wasm, fwd, w.depth),
    await engineRow('engine, TypeScript kernels + statistics', ts, fwd, fewLayers),
    await tfjsRow('tfjs-wasm + tf.moments', () => tfjsForward(model, true), fwdGflop),
    await halvesRow('engine, wasm, two workers (batch split) + statistics', fwd),
  ];
  table(w, 'Forward pass with per-layer statistics', forward);

  // Forward and backward with per-layer statistics.
  const both = { backward: true, stats: true };
  const autogradLayers = Math.min(w.depth, quick ? w.depth : 10);
  const backward: Row[] = [
    await engineRow('engine, wasm kernels + statistics', wasm, both, w.depth),
    await engineRow('engine, TypeScript kernels + statistics', ts, both, fewLayers),
    await tfjsRow(
      'tfjs-wasm, explicit transposes + tf.moments',
      () => tfjsForwardBackward(model, true),
      fwdBwdGflop,
    ),
    await tfjsRow(
      'tfjs-wasm, transpose flags (as tf.grads) + moments',
      () => {
        const short = { ...model, transposed: model.transposed.slice(0, autogradLayers) };
        return tfjsTransposeFlagsForwardBackward(short, true);
      },
      fwdBwdGflop,
      autogradLayers,
    ),
    {
      name: 'plain JS triple loops (no statistics)',
      layers: plainLayers,
      gflop: fwdBwdGflop,
      timing: await measure(() => plainForwardBackward(w, weights.slice(0, plainLayers), input), {
        budgetMs,
      }),
    },
    await halvesRow('engine, wasm, two workers (batch split) + statistics', both),
  ];
  table(w, 'Forward and backward pass with per-layer statistics', backward);

  // The whole engine run, for context: weight sampling, forward, backward, every summary.
  const config = {
    depth: w.depth,
    width: w.width,
    batch: w.batch,
    activation: 'relu',
    weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
    seed: 1,
    backward: true,
    summaries: 'moments',
  } as const;
  const whole: Row[] = [];
  for (const preference of ['wasm', 'ts'] as const) {
    setKernelPreference(preference);
    const layers = preference === 'wasm' ? w.depth : fewLayers;
    whole.push({
      name: `engine propagate (${kernelBackend()}), fwd+bwd, moments`,
      layers,
      gflop: fwdBwdGflop,
      timing: await measure(() => propagate({ ...config, depth: layers }), {
        warmupFn: () => propagate({ ...config, depth: 2 }),
        budgetMs,
      }),
    });
  }
  setKernelPreference('auto');
  const split = async (layers: number) => {
    const c = { ...config, depth: layers };
    const theirs = other.propagate(c, { index: 1, of: 2 });
    const own = propagatePart(c, { index: 0, of: 2 });
    return mergePropagateParts(c, [own, await theirs]);
  };
  whole.push({
    name: 'engine propagate (wasm), two workers (batch split)',
    layers: w.depth,
    gflop: fwdBwdGflop,
    timing: await measure(() => split(w.depth), { warmupFn: () => split(2), budgetMs }),
  });
  await other.close();
  whole.push({
    name: '  of which: sampling the weights',
    layers: w.depth,
    gflop: 0,
    timing: await measure(
      () => {
        const rng = createRng(1);
        for (let l = 0; l < w.depth; l++) {
          initTensor([w.width, w.width], config.weightInit, rng);
        }
      },
      { budgetMs },
    ),
  });
  table(w, 'The whole engine run (propagate samples its own weights)', whole);

  // One matrix product.
  const [m, n, k] = [w.batch, w.width, w.width];
  const a = normals(m * k, 1, normalSource(3));
  const b = normals(n * k, 1, normalSource(4));
  const y = new Float32Array(m * n);
  const productGflop = (2 * m * n * k) / 1e9;
  const product = async (kernels: Kernels) =>
    (await measure(() => kernels.matmul(a, b, y, m, n, k), { warmup: 3, budgetMs: budgetMs / 4 }))
      .medianMs;
  const wasmMs = await product(wasm);
  const tsMs = await product(ts);
  const tfjsMs = tfjsMatMulMs(m, n, k);
  const numpy = numpyMatMulMs(m, n, k);
  console.log('');
  console.log(
    `Matrix multiply ${m}×${k} · ${k}×${n} (engine times include copying in and packing)`,
  );
  const gf = (ms: number): string =>
    `${fmt(ms, 2).padStart(7)} ms  ${fmt(productGflop / (ms / 1e3), 1).padStart(6)} GFLOP/s`;
  console.log(`  ${'engine, wasm'.padEnd(30)} ${gf(wasmMs)}`);
  console.log(`  ${'engine, TypeScript'.padEnd(30)} ${gf(tsMs)}`);
  console.log(`  ${'tfjs-wasm matMul'.padEnd(30)} ${gf(tfjsMs)}`);
  console.log(
    numpy
      ? `  ${`native BLAS (${numpy.info})`.padEnd(30)} ${gf(numpy.ms)}`
      : '  native BLAS: skipped (python3 with numpy not found)',
  );

  console.log('');
  console.log('Targets (speed-up of the engine with wasm kernels over the reference)');
  const ms = (rows: readonly Row[], i: number): number => fullMs(w, rows[i]!);
  target('forward + statistics vs tfjs-wasm + tf.moments', ms(forward, 0), ms(forward, 2), 2);
  const fasterTfjs = Math.min(ms(backward, 2), ms(backward, 3));
  target(
    'forward+backward + statistics vs the faster tfjs variant',
    ms(backward, 0),
    fasterTfjs,
    2,
  );
  if (numpy) target('matrix multiply vs native BLAS', wasmMs, numpy.ms, 0.4);
  console.log('With both cores (two workers splitting the batch; tfjs still on one thread)');
  target('forward + statistics vs tfjs-wasm + tf.moments', ms(forward, 3), ms(forward, 2), 2);
  target(
    'forward+backward + statistics vs the faster tfjs variant',
    ms(backward, 5),
    fasterTfjs,
    2,
  );
  console.log('');
  console.log('Other ratios');
  target(
    'wasm kernels vs TypeScript kernels, forward+backward + statistics',
    ms(backward, 0),
    ms(backward, 1),
    1,
  );
  target(
    'tfjs explicit transposes vs transpose flags (tf.grads)',
    ms(backward, 2),
    ms(backward, 3),
    1,
  );

  disposeTfjsModel(model);
  crossCheck(w, weights.slice(0, plainLayers), input, backward[4]!.timing.value as number, wasm);
  await transformerSection(quick, budgetMs);
}

/**
 * The transformer preset forward and backward with per-layer moments: the engine (whole
 * `propagateNetwork`, then pre-drawn parameters on wasm and on TypeScript kernels) beside the same
 * network on tfjs-wasm (scripts/bench/transformer.ts), then the cross-check of their results.
 * No target: the issue asks for the ratio.
 */
async function transformerSection(quick: boolean, budgetMs: number): Promise<void> {
  const o = quick ? TINY_TRANSFORMER : TRANSFORMER;
  const B = o.batch ?? 8;
  const fwdGflop = transformerForwardGflop(o);
  const gflop = 3 * fwdGflop;
  const drawn = drawTransformer(o);
  const small = drawTransformer({ ...o, layers: 1 });
  const model = tfjsTransformer(drawn);
  const config = {
    ...transformer(o),
    backward: true,
    loss: 'readout',
    summaries: 'moments',
  } as const;
  console.log('');
  console.log(
    `Transformer preset: ${o.layers} layers, d_model ${o.dModel}, ${o.heads} heads, seq ${o.seq}, ` +
      `batch ${B}, ${o.norm}-norm, ${o.init} init, readout loss; ${drawn.plan.parameterCount.toLocaleString('en-US')} parameters; ` +
      `${fwdGflop.toPrecision(3)} GFLOP forward, ${gflop.toPrecision(3)} GFLOP forward+backward (products: ` +
      'Q/K/V and output projections, scores and values over the full T×T, MLP; backward = 2× forward)',
  );
  const row = async (name: string, fn: () => unknown, warmupFn?: () => unknown, repeats = 7) => ({
    name,
    layers: o.layers,
    gflop,
    timing: await measure(fn, {
      ...(warmupFn ? { warmupFn } : {}),
      budgetMs,
      minRepeats: Math.min(3, repeats),
      maxRepeats: repeats,
    }),
  });
  const wasm = createKernels();
  const rows: Row[] = [
    await row(`engine propagateNetwork (${kernelBackend()}) + moments`, () =>
      propagateNetwork(config),
    ),
    await row('engine, wasm, pre-drawn parameters + moments', () =>
      engineTransformerPass(drawn, wasm),
    ),
  ];
  setKernelPreference('ts');
  const ts = createKernels();
  rows.push(
    await row(
      'engine, TypeScript kernels, pre-drawn + moments',
      () => engineTransformerPass(drawn, ts),
      () => engineTransformerPass(small, ts),
      quick ? 7 : 2,
    ),
  );
  setKernelPreference('auto');
  rows.push(
    await row('tfjs-wasm, explicit backward + tf.moments', () => tfjsTransformerPass(model)),
  );
  const exact = tfjsTransformerPass(model, true);
  disposeTfjsTransformer(model);
  table(
    { depth: o.layers, width: o.dModel, batch: B },
    'Transformer forward and backward with per-layer moments',
    rows,
  );
  const ms = (i: number): number => rows[i]!.timing.medianMs;
  console.log(
    'Ratios, engine (wasm) time / tfjs time (reference: tfjs-wasm, one thread; no target)',
  );
  for (const [label, i] of [
    ['whole propagateNetwork (draws its weights too)', 0],
    ['pre-drawn parameters', 1],
  ] as const) {
    const r = ms(i) / ms(3);
    console.log(
      `  ${label.padEnd(50)} ${fmt(r, 2).padStart(6)}  (engine ${fmt(1 / r, 2)}× the speed of tfjs-wasm)`,
    );
  }

  const whole = rows[0]!.timing.value as { loss: number };
  const engine = rows[1]!.timing.value as PassResult;
  const others: [string, PassResult][] = [
    ['engine, TypeScript kernels', rows[2]!.timing.value as PassResult],
    ['tfjs-wasm, float64 host sums', exact],
    ['tfjs-wasm, float32 tf.sum', rows[3]!.timing.value as PassResult],
  ];
  const rel = (x: number, y: number): string =>
    (Math.abs(x - y) / Math.max(1e-30, Math.abs(y))).toExponential(1);
  console.log('');
  console.log(
    `transformer cross-check against the engine on wasm kernels (loss ${engine.loss.toPrecision(8)}, ` +
      `‖∂L/∂x‖² ${engine.gradInputSquare.toPrecision(8)}, mean square of the first in_proj_weight gradient ${engine.firstWeightGrad.toPrecision(8)}), relative differences:`,
  );
  console.log(`  ${'engine propagateNetwork'.padEnd(28)} loss ${rel(whole.loss, engine.loss)}`);
  for (const [name, r] of others) {
    console.log(
      `  ${name.padEnd(28)} loss ${rel(r.loss, engine.loss)}, ‖∂L/∂x‖² ${rel(r.gradInputSquare, engine.gradInputSquare)}, ` +
        `first weight gradient ${rel(r.firstWeightGrad, engine.firstWeightGrad)}, moments checksum ${rel(r.check, engine.check)}`,
    );
  }
}

/**
 * Checks that the kernel and tfjs versions compute what the plain loops compute (‖input
 * gradient‖² after `weights.length` layers), so the tables compare equal work.
 */
function crossCheck(
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
  plain: number,
  wasm: Kernels,
): void {
  const tsValue = kernelsForwardBackward(createTsKernels(), w, weights, input);
  const wasmValue = kernelsForwardBackward(wasm, w, weights, input);
  const model = tfjsModel(w, weights, input);
  const tfjs = tfjsForwardBackward(model);
  const flags = tfjsTransposeFlagsForwardBackward(model);
  disposeTfjsModel(model);
  const rel = (x: number): string =>
    (Math.abs(x - plain) / Math.max(1e-30, Math.abs(plain))).toExponential(1);
  console.log('');
  console.log(
    `cross-check over ${weights.length} layers, ‖input gradient‖² (relative difference to plain loops ${plain.toPrecision(7)}): ` +
      `wasm ${rel(wasmValue)}, TypeScript ${rel(tsValue)}, tfjs ${rel(tfjs)}, tfjs transpose flags ${rel(flags)}`,
  );
}
