/**
 * The worker thread of the bench's two-worker rows (scripts/bench/halves.ts): loads the TypeScript
 * through Vite's SSR loader like scripts/bench.mjs, then answers `setup`, `run` and `propagate`
 * messages, transferring its results.
 */
import { parentPort } from 'node:worker_threads';
import { createServer } from 'vite';

const server = await createServer({
  configFile: false,
  root: process.cwd(),
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
  optimizeDeps: { noDiscovery: true, include: [] },
});
const halves = await server.ssrLoadModule('/scripts/bench/halves.ts');
const { createKernels } = await server.ssrLoadModule('/src/engine/backend.ts');
const { propagatePart } = await server.ssrLoadModule('/src/engine/propagate.ts');
const kernels = createKernels();
let state = null;

const buffers = (half) => half.gradWeights.map((a) => a.buffer);

parentPort.on('message', async (message) => {
  if (message.type === 'setup') {
    state = message;
    parentPort.postMessage({ type: 'ready' });
  } else if (message.type === 'run') {
    const { w, weights, input, rows } = state;
    const half = halves.runHalf(
      kernels,
      w,
      weights.slice(0, message.layers),
      input,
      rows,
      message.run,
    );
    parentPort.postMessage({ type: 'half', half }, buffers(half));
  } else if (message.type === 'propagate') {
    const part = propagatePart(message.config, message.part);
    const transfers = part.layers.flatMap((l) => [l.gradWeight?.buffer, l.gradBias?.buffer]);
    parentPort.postMessage({ type: 'part', part }, transfers.filter(Boolean));
  } else if (message.type === 'close') {
    await server.close();
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'loaded' });
