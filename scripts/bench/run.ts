/**
 * `npm run bench`: forward+backward through the {@link WORKLOAD} (ReLU, Kaiming init) with
 *  1. the engine's `propagate` (backward on; weight sampling and statistics included), and the
 *     engine's kernels alone;
 *  2. TensorFlow.js on WebAssembly (SIMD, one thread);
 *  3. plain triple loops.
 * All in one process, warm-up first, medians of repeats; prints times, GFLOP/s and ratios.
 * The slow rows run fewer layers and are scaled to the full depth: every layer has the same size,
 * so time is linear in depth. That keeps the whole run near two minutes.
 * Flags: `--quick` shrinks the workload to a smoke test.
 *
 * @module
 */
import { propagate } from '../../src/engine/index.ts';
import { createTsKernels } from '../../src/engine/kernels.ts';
import { kernelsForwardBackward } from './kernels.ts';
import { plainForwardBackward } from './plain.ts';
import { disposeTfjsModel, setupTfjs, tfjsForwardBackward, tfjsModel } from './tfjs.ts';
import { measure, type Timing } from './timing.ts';
import {
  WORKLOAD,
  flopsOf,
  kaimingWeights,
  normalSource,
  normals,
  type Workload,
} from './workload.ts';

/** One line of the results table. */
interface Row {
  readonly name: string;
  readonly timing: Timing;
  /** Layers actually run; the time is scaled to the full depth when fewer. */
  readonly layers: number;
}

const ENGINE = 'engine propagate (fwd+bwd+stats)';
const KERNELS = 'engine kernels only (fwd+bwd)';
const TFJS = 'tfjs-backend-wasm (SIMD, 1 thread)';
const PLAIN = 'plain JS triple loops';

/** Layers the engine-kernel and plain rows run before scaling. */
const KERNEL_LAYERS = 10;
const PLAIN_LAYERS = 5;

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

/** The engine's propagate config for `w` (and `depth` layers). */
function engineConfig(w: Workload, depth = w.depth) {
  return {
    depth,
    width: w.width,
    batch: w.batch,
    activation: 'relu',
    weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
    seed: 1,
    backward: true,
  } as const;
}

/** Prints the table: full-depth time, GFLOP/s, and the ratios. */
function report(w: Workload, rows: readonly Row[]): void {
  const scale = (r: Row): number => w.depth / r.layers;
  const fullMs = (r: Row): number => r.timing.medianMs * scale(r);
  console.log('');
  console.log(
    `${'implementation'.padEnd(34)}  ms (median)  GFLOP/s  runs  spread, scaling (to depth ${w.depth})`,
  );
  for (const r of rows) {
    const spread = `${fmt(r.timing.minMs * scale(r), 0)}–${fmt(r.timing.maxMs * scale(r), 0)} ms`;
    const note =
      r.layers === w.depth ? spread : `${spread}; ran ${r.layers} layers, ×${fmt(scale(r), 0)}`;
    const gflops = flopsOf(w) / (fullMs(r) * 1e6);
    console.log(
      `${r.name.padEnd(34)}  ${fmt(fullMs(r), 0).padStart(11)}  ${fmt(gflops, 2).padStart(7)}  ${String(r.timing.repeats).padStart(4)}  ${note}`,
    );
  }
  const ms = new Map(rows.map((r) => [r.name, fullMs(r)]));
  const ratio = (a: string, b: string): string => `${fmt(ms.get(a)! / ms.get(b)!, 2)}×`;
  console.log('');
  console.log('time ratios (> 1: the first is slower)');
  console.log(`  engine propagate / tfjs-wasm    ${ratio(ENGINE, TFJS)}`);
  console.log(`  engine propagate / plain loops  ${ratio(ENGINE, PLAIN)}`);
  console.log(`  engine kernels   / tfjs-wasm    ${ratio(KERNELS, TFJS)}`);
  console.log(`  engine kernels   / plain loops  ${ratio(KERNELS, PLAIN)}`);
}

/** Runs the benchmark and prints the results. */
export async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const w: Workload = quick ? { depth: 4, width: 128, batch: 64 } : WORKLOAD;
  const kernelLayers = Math.min(w.depth, KERNEL_LAYERS);
  const plainLayers = Math.min(w.depth, PLAIN_LAYERS);
  const budgetMs = quick ? 500 : 10_000;
  console.log(`Node ${process.version}, ${process.arch}`);
  console.log(
    `workload: depth ${w.depth}, width ${w.width}, batch ${w.batch}, relu, kaiming_normal; ` +
      `${fmt(flopsOf(w) / 1e9, 2)} GFLOP per forward+backward (matrix products only)`,
  );

  const weights = kaimingWeights(w, w.depth, 1);
  const input = normals(w.batch * w.width, 1, normalSource(2));
  const rows: Row[] = [];

  const setup = await setupTfjs();
  console.log(
    `tfjs: backend ${setup.backend}, SIMD ${setup.simd ? 'on' : 'OFF'}, ` +
      `multithreading ${setup.multithread ? 'on' : 'off'}, threads ${setup.threads}`,
  );
  const model = tfjsModel(w, weights, input);
  const tfjsTiming = await measure(() => tfjsForwardBackward(model), { warmup: 2, budgetMs });
  rows.push({ name: TFJS, layers: w.depth, timing: tfjsTiming });
  disposeTfjsModel(model);

  // Warm the engine's JIT on a short network of the same layer size, then time the full depth.
  const full = engineConfig(w);
  const short = engineConfig(w, Math.min(w.depth, 3));
  rows.push({
    name: ENGINE,
    layers: w.depth,
    timing: await measure(() => propagate(full), { warmupFn: () => propagate(short), budgetMs }),
  });

  const kernels = createTsKernels();
  const kernelWeights = weights.slice(0, kernelLayers);
  rows.push({
    name: KERNELS,
    layers: kernelLayers,
    timing: await measure(() => kernelsForwardBackward(kernels, w, kernelWeights, input), {
      budgetMs,
    }),
  });

  const plainWeights = weights.slice(0, plainLayers);
  const plainTiming = await measure(() => plainForwardBackward(w, plainWeights, input), {
    budgetMs,
  });
  rows.push({ name: PLAIN, layers: plainLayers, timing: plainTiming });

  report(w, rows);
  crossCheck(w, plainWeights, input, plainTiming.value as number);
}

/**
 * Checks that the kernel and tfjs versions compute what the plain loops compute (‖input
 * gradient‖² after `weights.length` layers), so the table compares equal work.
 */
function crossCheck(
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
  plain: number,
): void {
  const kernels = kernelsForwardBackward(createTsKernels(), w, weights, input);
  const model = tfjsModel(w, weights, input);
  const tfjs = tfjsForwardBackward(model);
  disposeTfjsModel(model);
  const rel = (x: number): string =>
    (Math.abs(x - plain) / Math.max(1e-30, Math.abs(plain))).toExponential(1);
  console.log('');
  console.log(
    `cross-check over ${weights.length} layers, ‖input gradient‖²: plain ${plain.toPrecision(7)}, ` +
      `engine kernels ${kernels.toPrecision(7)} (rel. diff ${rel(kernels)}), tfjs ${tfjs.toPrecision(7)} (rel. diff ${rel(tfjs)})`,
  );
}
