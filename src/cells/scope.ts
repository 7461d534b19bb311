/**
 * What a cell sees besides its own code and the cells above it: the engine's public API (the same
 * names as `src/engine/index.ts`). `display`, `plot` and `console` are added by the session.
 *
 * One difference from the engine: in a cell, random draws come from PyTorch's stream unless the
 * code says otherwise, so a cell's numbers are those its PyTorch twin prints on an x86 CPU.
 * `createRng(seed)` is `createRng(seed, { stream: 'torch', normalKernel: 'avx2' })`, and
 * `propagate(config)` (and its step-by-step and batch-part forms), `propagateNetwork(config)`,
 * `train(config)` and `trainSteps(config)` read a missing `stream` as `'torch'` (with
 * `normalKernel: 'avx2'`). The engine's own generator is still there: `createRng(seed, { stream:
 * 'initbook' })` (or `'default'`, the engine's name for it) and `{ ..., stream: 'initbook' }` in
 * any of the configurations.
 *
 * @module
 */
import * as engine from '../engine/index';

/** The stream a cell draws from when its code does not choose one. */
export const CELL_STREAM = { stream: 'torch', normalKernel: 'avx2' } as const;

/** The options of the cells' `createRng`: the engine's, with `'initbook'` naming its own stream. */
export type CellRngOptions = Omit<engine.RngOptions, 'stream'> & {
  readonly stream?: 'torch' | 'initbook' | 'default';
};

function createRng(seed: number, options?: CellRngOptions): engine.Rng {
  const stream = options?.stream ?? CELL_STREAM.stream;
  if (stream === 'torch') {
    return engine.createRng(seed, {
      ...options,
      stream,
      normalKernel: options?.normalKernel ?? CELL_STREAM.normalKernel,
    });
  }
  // The engine checks the rest (an unknown stream, a kernel without the torch stream).
  return engine.createRng(seed, {
    ...options,
    stream: stream === 'initbook' ? 'default' : (stream as 'default'),
  });
}

/** A configuration with the cells' stream where it names none (an explicit one is kept). */
function withCellStream<C extends { readonly stream?: string; readonly normalKernel?: string }>(
  config: C,
): C {
  if (typeof config !== 'object' || config === null || config.stream !== undefined) return config;
  return {
    ...config,
    stream: CELL_STREAM.stream,
    normalKernel: config.normalKernel ?? CELL_STREAM.normalKernel,
  };
}

const propagate = (config: engine.PropagateConfig): engine.PropagateResult =>
  engine.propagate(withCellStream(config));

const propagateSteps = (config: engine.PropagateConfig) =>
  engine.propagateSteps(withCellStream(config));

const propagatePart = (config: engine.PropagateConfig, part: engine.BatchPart) =>
  engine.propagatePart(withCellStream(config), part);

const propagatePartSteps = (config: engine.PropagateConfig, part: engine.BatchPart) =>
  engine.propagatePartSteps(withCellStream(config), part);

const propagateNetwork = (config: engine.NetworkConfig): engine.NetworkResult =>
  engine.propagateNetwork(withCellStream(config));

const train = (config: engine.TrainConfig): engine.TrainResult =>
  engine.train(withCellStream(config));

const trainSteps = (config: engine.TrainConfig) => engine.trainSteps(withCellStream(config));

export const CELL_BUILTINS: Readonly<Record<string, unknown>> = Object.freeze({
  ...engine,
  createRng,
  propagate,
  propagateSteps,
  propagatePart,
  propagatePartSteps,
  propagateNetwork,
  train,
  trainSteps,
});
