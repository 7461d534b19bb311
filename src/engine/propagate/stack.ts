/**
 * The dense stack of a `propagate` run as nodes of the network core: a fused dense layer per layer
 * and a residual node per block, with the run's draws in their historical order.
 *
 * Random draw order, from one generator `createRng(seed)`: W_1 … W_depth (each by `weightInit`,
 * row-major), then b_1 … b_depth (`biasInit`, with context fanIn = n_{l−1}), then the inputs
 * (batch × n₀, row-major), then, for the 'mse' loss, the targets (batch × n_depth, N(0, 1)), or for
 * the 'readout' loss the readout vector v (n_depth, N(0, 1)). A zero-initialized branch end is
 * drawn and then zeroed, so the random stream, and every other layer, is unchanged.
 *
 * On PyTorch's stream (`stream: 'torch'`) the order is PyTorch's for this script, with the same
 * float32 values (initializer names as in `torch.nn.init`):
 *
 * ```python
 * torch.manual_seed(seed)
 * layers = [nn.Linear(n[l - 1], n[l]) for l in range(1, depth + 1)]  # each draws its default W, b
 * for layer in layers:                                                # then the run's initializers
 *     weight_init_(layer.weight); bias_init_(layer.bias)              # bias context: fan_in = n[l-1]
 * x = torch.randn(batch, n[0])         # or .uniform_(lo, hi); Rademacher: float64 rand < 0.5
 * t = torch.randn(batch, n[depth])     # 'mse' targets; 'readout': v = torch.randn(n[depth])
 * ```
 *
 * @module
 */
import { createRng } from '../rng';
import { drawInputValues } from '../network/input';
import type { Leaf, Node } from '../network/layer';
import { denseLeaf } from '../network/layers/dense';
import { drawLossData } from '../network/loss';
import { drawParameters, type Parameters } from '../network/run';
import type { Plan, PropagateProgress } from './config';

/** The stack's nodes and, by layer number, its dense leaves. */
export interface Stack {
  readonly nodes: readonly Node[];
  /** dense[l] is layer l's leaf (index 0 unused). */
  readonly dense: readonly Leaf[];
  /** blockOf[l]: the residual node that layer l ends, or null. */
  readonly blockOf: readonly (Node | null)[];
  /** The layer number l of every dense leaf and of every block (the layer that ends it), by path. */
  readonly layerOf: ReadonlyMap<string, number>;
}

/**
 * Builds the nodes. Layer l ends a block when `skipFrom[l]` is set: its block's body is layers
 * skipFrom[l] + 1 … l (one or two), and the block adds α·body to h^{skipFrom[l]}.
 * @param fusedBackward - run the fused backward kernels (summaries of one whole batch)
 */
export function buildStack(p: Plan, fusedBackward: boolean): Stack {
  const { depth, widths: n } = p;
  // Index 0 (the inputs) has no layer.
  const dense: Leaf[] = new Array<Leaf>(depth + 1);
  for (let l = 1; l <= depth; l++) {
    const blockEnd = p.skipFrom[l] !== null;
    dense[l] = denseLeaf({
      path: String(l),
      fanIn: n[l - 1]!,
      width: n[l]!,
      act: p.act,
      weightInit: p.weightInit,
      biasInit: p.biasInit,
      biasContext: { fanIn: n[l - 1]! },
      blockEnd,
      moments: p.options.detail === 'moments',
      fusedBackward: fusedBackward && p.options.detail === 'moments',
      first: l === 1,
      zero: blockEnd && p.zeroInitLast,
    });
  }
  const nodes: Node[] = [];
  const blockOf: (Node | null)[] = new Array<Node | null>(depth + 1).fill(null);
  for (let l = 1; l <= depth; l++) {
    const s = p.skipFrom[l];
    if (s === null || s === undefined) {
      if (!(l < depth && p.skipFrom[l + 1] === l - 1)) nodes.push(dense[l]!);
      continue;
    }
    const body = dense.slice(s + 1, l + 1);
    const block: Node = {
      kind: 'residual',
      path: `block ${s}→${l}`,
      type: 'residual',
      inShape: [n[s]!],
      outShape: [n[l]!],
      scale: p.alpha,
      body,
    };
    blockOf[l] = block;
    nodes.push(block);
  }
  const layerOf = new Map<string, number>();
  dense.forEach((d, l) => layerOf.set(d.path, l));
  blockOf.forEach((b, l) => b !== null && layerOf.set(b.path, l));
  return { nodes, dense, blockOf, layerOf };
}

/**
 * Runs a pass of the core (`forwardSteps`/`backwardSteps`), yielding `propagate`'s progress after
 * each layer, and returns the pass's result.
 */
export function* withProgress<T>(
  phase: PropagateProgress['phase'],
  pass: Generator<unknown, T, unknown>,
  of: number,
): Generator<PropagateProgress, T, unknown> {
  let done = 0;
  for (let r = pass.next(); ; r = pass.next()) {
    if (r.done === true) return r.value;
    yield { phase, layer: ++done, of };
  }
}

/** The seeded draws of a run, in the documented order; every part of a split batch makes the same. */
export interface Draws {
  readonly params: Parameters;
  /** All inputs h⁰ (batch × n₀). */
  readonly input: Float32Array;
  /** 'mse' targets (batch × n_depth), the 'readout' vector (n_depth), or empty. */
  readonly lossData: Float32Array;
}

/** Draws the stack's parameters, inputs and loss data in the documented order. */
export function drawStack(p: Plan, stack: Stack): Draws {
  const torch = p.stream === 'torch';
  const rng = createRng(p.seed, torch ? { stream: 'torch', normalKernel: p.normalKernel } : {});
  const params = drawParameters(stack, rng, torch ? 'torch' : 'weights-then-biases');
  const { widths: n, batch: B, depth } = p;
  const input = drawInputValues(rng, { kind: 'real', shape: [n[0]!], ...p.input }, B * n[0]!);
  const lossData =
    p.backward && p.loss !== 'sum'
      ? drawLossData(p.loss, rng, B, n[depth]!, n[depth]!)
      : new Float32Array(0);
  return { params, input, lossData };
}
