/**
 * The μP coordinate check in one call: train the same network at several widths for a few steps
 * and record, before the first step and after each step, the coordinate size of every layer's
 * output on a fixed batch, and the size of its change since initialization.
 *
 * This is the check of the authors' `mup` package (`mup.coord_check`; Greg Yang et al., "Tensor
 * Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer", 2022, §"coord
 * check"): in a correct μP every curve of size against width is flat after a step; in SP they grow
 * with width (see `mupCoordinateExponents` for the predicted slopes). It runs on the training loop
 * itself (`train/loop.ts`, through its step observer): the same data, batches, draws and updates as
 * `train` with the same configuration.
 *
 * @module
 */
import type { LayerSpec } from '../network/types';
import type { OptimizerSpec } from '../optim';
import { mupLayers, type MupLayerKind } from '../presets/mup';
import { createRng } from '../rng';
import { makeTask, type TaskSpec } from '../tasks';
import { EngineInputError, oneOf, positiveInt } from '../validate';
import { trainObserved } from './loop';
import type { LrMultipliers } from './multipliers';

/** A parametrized MLP for {@link coordinateCheck}, built with `mupLayers` at each width. */
export interface CoordinateCheckMlp {
  readonly mlp: {
    /** Hidden layers (linear + activation), as `mupLayers`' `depth`. */
    readonly depth: number;
    readonly activation: string;
    readonly activationParam?: number;
    readonly gain?: number;
    readonly readout?: 'table' | 'zero';
  };
  readonly parametrization: 'sp' | 'mup';
  /** Width where μP equals SP; default the smallest of `widths`. */
  readonly baseWidth?: number;
}

/** What a network function may return: a description, or one with its learning-rate factors. */
export type CoordinateCheckNetwork =
  | readonly LayerSpec[]
  | { readonly layers: readonly LayerSpec[]; readonly lrMultipliers?: LrMultipliers };

/** Everything {@link coordinateCheck} needs. */
export interface CoordinateCheckOptions {
  /** The network at a width (any description, e.g. a μP transformer), or a parametrized MLP. */
  readonly network: ((width: number) => CoordinateCheckNetwork) | CoordinateCheckMlp;
  /** Widths, increasing (e.g. 64 … 2048). */
  readonly widths: readonly number[];
  readonly task: TaskSpec;
  /** One learning rate for all; μP's factors come with the network. */
  readonly optimizer: OptimizerSpec;
  /** Optimizer steps, 1 … 100. */
  readonly steps: number;
  /** Mini-batch; default the whole dataset, so every step sees the same batch (as `mup`'s check). */
  readonly batch?: number;
  /** The fixed batch measured: the dataset's first `probe` samples; default min(samples, 256). */
  readonly probe?: number;
  /** Seed of the first run; runs use seed, seed + 1, …; the same seeds at every width. */
  readonly seed: number;
  /** Runs averaged per width (1 … 32); default 1. */
  readonly seeds?: number;
}

/** One layer's coordinate sizes: `[width index][step]`, step 0 = at initialization. */
export interface CoordinateCheckLayer {
  readonly path: string;
  readonly type: LayerSpec['type'];
  /** Table 3 kind, for the parametrized MLP. */
  readonly kind?: MupLayerKind;
  /** Mean |y| over the probe's entries (`mup`'s "l1"). */
  readonly l1: number[][];
  /** √E[y²] over the same entries. */
  readonly rms: number[][];
  /** Mean |y_t − y_0|: the size of the change since initialization. */
  readonly deltaL1: number[][];
  /** √E[(y_t − y_0)²]. */
  readonly deltaRms: number[][];
}

/** Result of {@link coordinateCheck}; every number is the mean over the `seeds` runs. */
export interface CoordinateCheckResult {
  readonly widths: number[];
  /** Steps recorded: 0 (init), 1, …, steps. */
  readonly steps: number[];
  readonly seeds: number;
  /** Samples in the fixed batch measured. */
  readonly probe: number;
  /** Every layer in description order (a residual's body after the residual's own entry). */
  readonly layers: CoordinateCheckLayer[];
  /** Per width: the first step whose loss or gradients were non-finite in any run, or null. */
  readonly firstNonFinite: (number | null)[];
}

/** The network description and factors at one width. */
function networkAt(o: CoordinateCheckOptions, width: number, inputs: number, outputs: number) {
  const n = o.network;
  if (typeof n === 'function') {
    const got = n(width);
    if (Array.isArray(got))
      return { layers: got as readonly LayerSpec[], lrMultipliers: undefined };
    const g = got as Exclude<CoordinateCheckNetwork, readonly LayerSpec[]>;
    if (typeof g !== 'object' || g === null || !Array.isArray(g.layers)) {
      throw new EngineInputError(
        `network(${width})`,
        got,
        'a layers array or { layers, lrMultipliers? }',
      );
    }
    return { layers: g.layers, lrMultipliers: g.lrMultipliers };
  }
  if (typeof n !== 'object' || n === null || typeof n.mlp !== 'object' || n.mlp === null) {
    throw new EngineInputError(
      'network',
      n,
      "a function of the width, or { mlp: { depth, activation }, parametrization: 'sp' | 'mup' }",
    );
  }
  const p = oneOf('network.parametrization', n.parametrization, ['sp', 'mup']);
  const optimizer = oneOf('optimizer.name', o.optimizer?.name, ['sgd', 'adam']);
  const built = mupLayers({
    ...n.mlp,
    width,
    inputs,
    outputs,
    optimizer,
    parametrization: p,
    baseWidth: n.baseWidth ?? o.widths[0]!,
  });
  return { layers: built.layers, lrMultipliers: built.lrMultipliers, kinds: built.kinds };
}

/** Mean |v|, √E[v²] of `y`, and of y − y0 when `y0` is given. */
function sizes(y: Float32Array, y0: Float32Array | undefined): [number, number, number, number] {
  let a = 0;
  let s = 0;
  let da = 0;
  let ds = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    a += Math.abs(v);
    s += v * v;
    if (y0 !== undefined) {
      const d = v - y0[i]!;
      da += Math.abs(d);
      ds += d * d;
    }
  }
  const n = Math.max(1, y.length);
  return [a / n, Math.sqrt(s / n), da / n, Math.sqrt(ds / n)];
}

/**
 * Trains the network at every width for `steps` steps (`seeds` runs each) and returns, by layer
 * path, the coordinate sizes of the layer's output on the fixed batch (the dataset's first `probe`
 * samples) at initialization and after each step: mean |y| and √E[y²], and the same of the change
 * y_t − y_0. With `{ mlp, parametrization }` the MLP is built by `mupLayers` at each width, with μP's
 * init and per-layer learning rates for the optimizer given ('sgd' or 'adam').
 * @throws EngineInputError for a bad option, or any error `train` gives for a width's configuration
 */
export function coordinateCheck(o: CoordinateCheckOptions): CoordinateCheckResult {
  if (typeof o !== 'object' || o === null) {
    throw new EngineInputError('options', o, '{ network, widths, task, optimizer, steps, seed }');
  }
  if (!Array.isArray(o.widths) || o.widths.length === 0 || o.widths.length > 32) {
    throw new EngineInputError('widths', o.widths, 'an array of 1 to 32 widths');
  }
  const widths = o.widths.map((w, i) => positiveInt(`widths[${i}]`, w, 8192));
  widths.forEach((w, i) => {
    if (i > 0 && !(w > widths[i - 1]!)) {
      throw new EngineInputError(
        `widths[${i}]`,
        w,
        `a width above widths[${i - 1}] = ${widths[i - 1]}`,
      );
    }
  });
  const steps = positiveInt('steps', o.steps, 100);
  const seeds = positiveInt('seeds', o.seeds ?? 1, 32);
  const order: { path: string; type: LayerSpec['type'] }[] = [];
  const acc = new Map<string, number[][][]>(); // path → [measure][width][step]
  const broke: (number | null)[] = [];
  let kinds: Record<string, MupLayerKind> | undefined;
  // The task's sizes, from its dataset made as `train` makes it (fork(1) of the run's seed).
  const { samples, inputs, outputs } = makeTask(o.task, createRng(o.seed).fork(1));
  const batch = positiveInt('batch', o.batch ?? samples, samples);
  const probe = positiveInt('probe', o.probe ?? Math.min(samples, 256), samples);
  widths.forEach((width, wi) => {
    const net = networkAt(o, width, inputs, outputs);
    if ('kinds' in net) kinds = net.kinds;
    let first: number | null = null;
    for (let s = 0; s < seeds; s++) {
      const seen = new Set<string>();
      const init = new Map<string, Float32Array>();
      const result = trainObserved(
        {
          task: o.task,
          layers: net.layers,
          ...(net.lrMultipliers === undefined ? {} : { lrMultipliers: net.lrMultipliers }),
          optimizer: o.optimizer,
          batch,
          steps,
          every: steps,
          seed: o.seed + s,
        },
        (step, forward, data) => {
          const per = data.x.length / data.samples;
          forward(data.x.subarray(0, probe * per), probe, (node, y) => {
            if (!acc.has(node.path)) {
              if (wi > 0 || s > 0) {
                throw new EngineInputError(
                  'network',
                  `a layer "${node.path}" absent at widths[0]`,
                  'the same layer paths at every width',
                );
              }
              order.push({ path: node.path, type: node.type });
              acc.set(
                node.path,
                [0, 1, 2, 3].map(() => widths.map(() => new Array<number>(steps + 1).fill(0))),
              );
            }
            seen.add(node.path);
            if (step === 0) init.set(node.path, y.slice());
            const v = sizes(y, init.get(node.path));
            const a = acc.get(node.path)!;
            for (let q = 0; q < 4; q++) a[q]![wi]![step]! += v[q]! / seeds;
          });
        },
      );
      if (seen.size !== acc.size) {
        throw new EngineInputError(
          'network',
          `${seen.size} layers at width ${width}`,
          `the same ${acc.size} layer paths at every width`,
        );
      }
      if (result.firstNonFinite !== null) {
        first = Math.min(first ?? Infinity, result.firstNonFinite);
        // Steps the run never reached are not measured.
        for (const a of acc.values()) for (const m of a) m[wi]!.fill(NaN, result.firstNonFinite);
      }
    }
    broke.push(first);
  });
  const layers = order.map(({ path, type }) => {
    const [l1, rms, deltaL1, deltaRms] = acc.get(path)!;
    const kind = kinds?.[path];
    return {
      path,
      type,
      ...(kind === undefined ? {} : { kind }),
      l1: l1!,
      rms: rms!,
      deltaL1: deltaL1!,
      deltaRms: deltaRms!,
    };
  });
  return {
    widths,
    steps: Array.from({ length: steps + 1 }, (_, i) => i),
    seeds,
    probe,
    layers,
    firstNonFinite: broke,
  };
}
