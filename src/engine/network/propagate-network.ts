/**
 * {@link propagateNetwork}: a seeded random batch through any network described as data, with
 * statistics of every layer's output, parameters and (with `backward`) gradients.
 *
 * Random draw order, from one generator `createRng(seed)`: every parameter in description order
 * (within a layer, PyTorch's creation order), then the inputs (batch × size, row-major), then,
 * with `backward`, the loss's readout, targets or labels. With `stream: 'torch'` the generator is
 * PyTorch's and the parameters are drawn in its order (constructors first, then re-inits).
 *
 * @module
 */
import { createKernels } from '../backend';
import { createRng } from '../rng';
import { summarize, type Summary, type SummaryOptions } from '../stats';
import { buildNetwork, flatNodes, type NetworkPlan } from './build';
import { drawInputValues } from './input';
import { sizeOf, type Leaf, type Node } from './layer';
import { sumSquares, weightRatio } from './norms';
import { drawLossData, lossAndGradient } from './loss';
import { backwardNetwork, drawParameters, forwardNetwork, runContext } from './run';
import type { NetworkConfig, NetworkLayerResult, NetworkResult, ParameterResult } from './types';

/** ‖∂L/∂θ‖_F / ‖θ‖_F (see {@link weightRatio}). */
function normRatio(grad: Float32Array, value: Float32Array): number {
  return weightRatio(Math.sqrt(sumSquares(grad)), sumSquares(value));
}

function summaryOf(
  x: Float32Array,
  rows: number,
  o: SummaryOptions,
  sat?: 'tanh' | 'sigmoid' | 'none',
): Summary {
  return summarize(x, rows, x.length / rows, sat === undefined ? o : { ...o, saturation: sat });
}

/** Summary of a parameter tensor: one row per output unit (shape[0]) when it has two axes or more. */
function paramSummary(x: Float32Array, shape: readonly number[], o: SummaryOptions): Summary {
  const rows = shape.length >= 2 ? shape[0]! : 1;
  return summaryOf(x, rows, o);
}

/**
 * Propagates a seeded batch through the network described by `config` and summarises every
 * layer. Synchronous and pure: the same config gives the same result.
 * @throws EngineInputError naming the layer's path, the field, the value and what is allowed
 */
export function propagateNetwork(config: NetworkConfig): NetworkResult {
  const plan = buildNetwork(config);
  return runPlan(plan);
}

function runPlan(plan: NetworkPlan): NetworkResult {
  const { batch: B, options: o } = plan;
  const torch = plan.stream === 'torch';
  const rng = torch
    ? createRng(plan.seed, { stream: 'torch', normalKernel: plan.normalKernel })
    : createRng(plan.seed);
  const params = drawParameters(plan, rng, torch ? 'torch' : 'module');
  const x = drawInputValues(rng, plan.input, B * sizeOf(plan.input.shape));
  const ctx = runContext(createKernels(), B, plan.backward);
  const byPath = new Map<string, Mutable>();
  let nonFinite = 0;
  const { y, tape } = forwardNetwork(plan, params, x, ctx, (node, out, r) => {
    const output = summaryOf(out, B, o, node.kind === 'leaf' ? node.saturation : undefined);
    nonFinite += output.nonFinite;
    const entry: Mutable = { path: node.path, type: node.type, shape: node.outShape, output };
    if (node.kind === 'leaf') addParams(entry, node, params.get(node.path) ?? [], o);
    if (r?.extras?.steps) entry.steps = { hidden: r.extras.steps.map((s) => summaryOf(s, B, o)) };
    if (r?.extras?.attentionEntropy !== undefined)
      entry.attentionEntropy = r.extras.attentionEntropy;
    byPath.set(node.path, entry);
  });
  const input = summaryOf(x, B, o);
  let loss: number | undefined;
  if (plan.backward) {
    const size = sizeOf(plan.outShape);
    const classes = plan.outShape[plan.outShape.length - 1]!;
    const data = drawLossData(plan.loss, rng, B, size, classes);
    const lg = lossAndGradient(plan.loss, y, data, B, size, classes);
    loss = lg.loss;
    backwardNetwork(plan, params, tape, lg.top, ctx, (node, gy, r) => {
      const entry = byPath.get(node.path)!;
      entry.gradOutput = summaryOf(gy, B, o);
      if (r === null || node.kind !== 'leaf') return;
      const values = params.get(node.path) ?? [];
      if (entry.parameters === undefined) return;
      entry.parameters = entry.parameters.map((p, i) => ({
        ...p,
        grad: paramSummary(r.grads[i]!, p.shape, o),
        ratio: normRatio(r.grads[i]!, values[i]!),
      }));
      const main = node.params.findIndex((p) => p.main === true);
      if (main >= 0) {
        entry.gradWeight = entry.parameters![main]!.grad!;
        entry.gradWeightRatio = entry.parameters![main]!.ratio!;
      }
      if (r.stepGrads && entry.steps) {
        entry.steps = { ...entry.steps, gradHidden: r.stepGrads.map((s) => summaryOf(s, B, o)) };
      }
    });
  }
  const layers = flatNodes(plan.nodes).map((n: Node) => byPath.get(n.path)! as NetworkLayerResult);
  return {
    input,
    inputShape: plan.input.shape,
    layers,
    parameterCount: plan.parameterCount,
    ...(loss === undefined ? {} : { loss }),
    nonFinite,
  };
}

type Mutable = { -readonly [K in keyof NetworkLayerResult]: NetworkLayerResult[K] };

function addParams(
  entry: Mutable,
  node: Leaf,
  values: readonly Float32Array[],
  o: SummaryOptions,
): void {
  if (node.params.length === 0) return;
  const parameters: ParameterResult[] = node.params.map((p, i) => ({
    name: p.name,
    shape: p.shape,
    value: paramSummary(values[i]!, p.shape, o),
  }));
  entry.parameters = parameters;
  const main = node.params.findIndex((p) => p.main === true);
  if (main >= 0) entry.weight = parameters[main]!.value;
}
