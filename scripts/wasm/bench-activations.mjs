// Times the wasm SIMD activation kernels (scripts/wasm/activations-wat.mjs: φ and φ′ in one call)
// against the engine's TypeScript `apply` + `applyDerivative`, over 1 M float32 inputs, in one
// process: warm-up first, then the median of repeats. Prints milliseconds and TS/wasm ratios, for
// the kernel alone and with the copies in and out that the engine's wasm kernels make around it.
// No assertions. Usage: npx node scripts/wasm/bench-activations.mjs
import { createServer } from 'vite';
import wabtInit from 'wabt';
import { activationWat } from './activations-wat.mjs';

const N = 1 << 20;
const REPEATS = 15;

/**
 * Median time of `fn` in ms, after two untimed runs.
 * @param {() => void} fn
 */
function time(fn) {
  fn();
  fn();
  const times = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[REPEATS >> 1] ?? NaN;
}

// The engine is TypeScript with extensionless imports: load it through Vite, as scripts/bench.mjs.
const server = await createServer({
  configFile: false,
  root: process.cwd(),
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
  optimizeDeps: { noDiscovery: true, include: [] },
});
try {
  const { ACTIVATIONS, activation } = await server.ssrLoadModule('/src/engine/activations.ts');
  const { createRng } = await server.ssrLoadModule('/src/engine/rng.ts');

  const wabt = await wabtInit();
  const pages = Math.ceil((3 * 4 * N) / 65_536);
  const parsed = wabt.parseWat(
    'activations.wat',
    `(module (memory (export "memory") ${pages}) ${activationWat()})`,
    {
      simd: true,
    },
  );
  const binary = parsed.toBinary({}).buffer;
  parsed.destroy();
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(binary), {});
  const heap = new Float32Array(/** @type {WebAssembly.Memory} */ (exports.memory).buffer);
  const [X, Y, D] = [0, 4 * N, 8 * N];

  // Pre-activations as a layer sees them: N(0, 2²), seeded.
  const src = createRng(7).normalArray(new Float32Array(N), 0, 2);
  const post = new Float32Array(N);
  const deriv = new Float32Array(N);
  heap.set(src, X >> 2);

  const jobs = ACTIVATIONS.map((/** @type {string} */ name) => {
    const act = activation(name);
    const kernel = /** @type {(x: number, y: number, d: number, n: number, a: number) => void} */ (
      exports[`act_${name}`]
    );
    const alpha = act.param ?? 0;
    return {
      name,
      ts() {
        act.apply(src, post, N);
        act.applyDerivative(src, deriv, N);
      },
      wasm: () => kernel(X, Y, D, N, alpha),
      copies() {
        heap.set(src, X >> 2);
        kernel(X, Y, D, N, alpha);
        post.set(heap.subarray(Y >> 2, (Y >> 2) + N));
        deriv.set(heap.subarray(D >> 2, (D >> 2) + N));
      },
    };
  });
  // Warm-up of everything first, so that tier-up (JS and wasm) happens before any timing.
  for (let i = 0; i < 10; i++) {
    for (const job of jobs) {
      job.ts();
      job.copies();
    }
  }

  console.log(`φ and φ′ of ${N} float32 values (N(0, 4) inputs), median of ${REPEATS} runs, ms`);
  console.log('activation    TS apply+deriv   wasm   TS/wasm   wasm+copies   TS/(wasm+copies)');
  for (const { name, ...job } of jobs) {
    const ts = time(job.ts);
    const wasm = time(job.wasm);
    const copies = time(job.copies);
    console.log(
      `${name.padEnd(12)} ${ts.toFixed(2).padStart(14)} ${wasm.toFixed(2).padStart(7)} ${(ts / wasm).toFixed(1).padStart(8)}×` +
        ` ${copies.toFixed(2).padStart(12)} ${(ts / copies).toFixed(1).padStart(17)}×`,
    );
  }
} finally {
  await server.close();
}
