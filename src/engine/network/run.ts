/**
 * The one forward and backward pass of every network: parameters drawn in the description's
 * order, values handed from layer to layer, residual streams added, gradients routed back. Used by
 * {@link propagateNetwork} and `propagate` (with statistics) and by training (with an optimizer).
 *
 * Both passes exist as generators that yield after every leaf (so a worker can slice a long run
 * and stay responsive) and as plain functions that run them to the end.
 *
 * @module
 */
import { initTensor } from '../init';
import type { Kernels } from '../kernels';
import type { Rng } from '../rng';
import { flatNodes, type NetworkPlan } from './build';
import type { BackwardResult, ForwardResult, Leaf, Node, RunContext } from './layer';

/** Every leaf's parameters, by path, in declaration order. */
export type Parameters = ReadonlyMap<string, readonly Float32Array[]>;

/** The nodes of a network (a plan, or nodes built apart). */
export type Nodes = Pick<NetworkPlan, 'nodes'>;

/** The leaves in description order. */
export function leaves(plan: Nodes): Leaf[] {
  return flatNodes(plan.nodes).filter((n): n is Leaf => n.kind === 'leaf');
}

/**
 * Draws every parameter from `rng`. 'module' order (default): leaves in description order (a
 * residual's body in place), each leaf's tensors in its declared (PyTorch creation) order.
 * 'weights-then-biases': every leaf's `weight`, then every leaf's `bias` (the dense stacks' historical
 * order). 'torch': as PyTorch builds the model and then re-initializes it (`model.apply(init)`):
 * first every tensor as its module's constructor draws it (`torchDefault`, else `init`), in module
 * order, then, again in module order, every tensor whose description chose another init. Each
 * tensor's `after` runs once its final value is drawn.
 */
export function drawParameters(
  plan: Nodes,
  rng: Rng,
  order: 'module' | 'weights-then-biases' | 'torch' = 'module',
): Map<string, Float32Array[]> {
  const all = leaves(plan);
  const params = new Map<string, Float32Array[]>(all.map((l) => [l.path, []]));
  const draw = (leaf: Leaf, i: number, init = leaf.params[i]!.init, last = true): void => {
    const p = leaf.params[i]!;
    const data = initTensor(p.shape, init, rng, p.context);
    if (last) p.after?.(data);
    params.get(leaf.path)![i] = data;
  };
  if (order === 'module') {
    for (const leaf of all) leaf.params.forEach((_, i) => draw(leaf, i));
    return params;
  }
  if (order === 'torch') {
    for (const leaf of all) {
      leaf.params.forEach((p, i) =>
        draw(leaf, i, p.torchDefault ?? p.init, p.torchDefault === undefined),
      );
    }
    for (const leaf of all) leaf.params.forEach((p, i) => p.torchDefault && draw(leaf, i));
    return params;
  }
  for (const pass of ['weight', 'bias']) {
    for (const leaf of all) leaf.params.forEach((p, i) => p.name === pass && draw(leaf, i));
  }
  return params;
}

/** What the forward pass kept for the backward pass, by path. */
export interface Tape {
  readonly entries: Map<string, { x: Float32Array; y: Float32Array; cache: unknown }>;
}

/** Called with each node's output (a residual's after its body's). */
export type ForwardObserver = (node: Node, y: Float32Array, result: ForwardResult | null) => void;

/**
 * Called with the gradient reaching each node's output and, for a leaf, its backward result.
 * `scale` ≠ 1 only for a leaf that takes a residual's scale into its own backward pass
 * (`Leaf.takesScale`): its output's gradient is then `scale · gy`.
 */
export type BackwardObserver = (
  node: Node,
  gy: Float32Array,
  result: BackwardResult | null,
  scale: number,
) => void;

/**
 * The forward pass, yielding each leaf after it ran. With `ctx.backward` the tape keeps every
 * input, output and cache; without it nothing is kept beyond what the next layer and open
 * residual streams need.
 */
export function* forwardSteps(
  plan: Nodes,
  params: Parameters,
  x: Float32Array,
  ctx: RunContext,
  observe?: ForwardObserver,
): Generator<Leaf, { readonly y: Float32Array; readonly tape: Tape }, unknown> {
  const tape: Tape = { entries: new Map() };
  const y = yield* forwardList(plan.nodes, params, x, ctx, tape, observe);
  return { y, tape };
}

/** {@link forwardSteps} run to its end. */
export function forwardNetwork(
  plan: Nodes,
  params: Parameters,
  x: Float32Array,
  ctx: RunContext,
  observe?: ForwardObserver,
): { readonly y: Float32Array; readonly tape: Tape } {
  return drain(forwardSteps(plan, params, x, ctx, observe));
}

function* forwardList(
  nodes: readonly Node[],
  params: Parameters,
  x: Float32Array,
  ctx: RunContext,
  tape: Tape,
  observe: ForwardObserver | undefined,
): Generator<Leaf, Float32Array, unknown> {
  let h = x;
  for (const node of nodes) {
    if (node.kind === 'residual') {
      const body = yield* forwardList(node.body, params, h, ctx, tape, observe);
      const out = new Float32Array(h.length);
      const a = node.scale;
      for (let i = 0; i < out.length; i++) out[i] = h[i]! + a * body[i]!;
      observe?.(node, out, null);
      h = out;
      continue;
    }
    const r = node.forward(h, params.get(node.path) ?? [], ctx);
    if (ctx.backward) tape.entries.set(node.path, { x: h, y: r.y, cache: r.cache });
    observe?.(node, r.y, r);
    h = r.y;
    yield node;
  }
  return h;
}

/** Gradients of a backward pass: ∂L/∂θ by leaf path (description order) and ∂L/∂input. */
export interface Gradients {
  readonly grads: Map<string, readonly Float32Array[]>;
  /** ∂L/∂input; null for token ids. */
  readonly gx: Float32Array | null;
}

/** The backward pass from ∂L/∂output, yielding each leaf after it ran. */
export function* backwardSteps(
  plan: Nodes,
  params: Parameters,
  tape: Tape,
  top: Float32Array,
  ctx: RunContext,
  observe?: BackwardObserver,
): Generator<Leaf, Gradients, unknown> {
  const found = new Map<string, readonly Float32Array[]>();
  const gx = yield* backwardList(plan.nodes, params, tape, top, 1, ctx, found, observe);
  const grads = new Map<string, readonly Float32Array[]>();
  for (const leaf of leaves(plan)) {
    const g = found.get(leaf.path);
    if (g !== undefined) grads.set(leaf.path, g);
  }
  return { grads, gx };
}

/** {@link backwardSteps} run to its end. */
export function backwardNetwork(
  plan: Nodes,
  params: Parameters,
  tape: Tape,
  top: Float32Array,
  ctx: RunContext,
  observe?: BackwardObserver,
): Gradients {
  return drain(backwardSteps(plan, params, tape, top, ctx, observe));
}

/** `top` arrives at the list's output scaled by `scale` (a residual body's α). */
function* backwardList(
  nodes: readonly Node[],
  params: Parameters,
  tape: Tape,
  top: Float32Array,
  scale: number,
  ctx: RunContext,
  grads: Map<string, readonly Float32Array[]>,
  observe: BackwardObserver | undefined,
): Generator<Leaf, Float32Array | null, unknown> {
  let g: Float32Array | null = top;
  let s = scale;
  for (let i = nodes.length - 1; i >= 0 && g !== null; i--) {
    const node = nodes[i]!;
    if (s !== 1 && !(node.kind === 'leaf' && node.takesScale === true)) {
      const scaled = new Float32Array(g.length);
      for (let j = 0; j < g.length; j++) scaled[j] = s * g[j]!;
      g = scaled;
      s = 1;
    }
    if (node.kind === 'residual') {
      observe?.(node, g, null, 1);
      const inner = yield* backwardList(
        node.body,
        params,
        tape,
        g,
        node.scale,
        ctx,
        grads,
        observe,
      );
      const sum: Float32Array = new Float32Array(g.length);
      for (let j = 0; j < g.length; j++) sum[j] = g[j]! + (inner === null ? 0 : inner[j]!);
      g = sum;
      continue;
    }
    const t = tape.entries.get(node.path)!;
    const r = node.backward(g, t.x, t.y, t.cache, params.get(node.path) ?? [], ctx, s);
    grads.set(node.path, r.grads);
    observe?.(node, g, r, s);
    s = 1;
    g = r.gx;
    yield node;
  }
  return g;
}

/** Runs a generator to its end. */
function drain<T>(steps: Generator<unknown, T, unknown>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** The context of a run over `batch` samples. */
export function runContext(kernels: Kernels, batch: number, backward: boolean): RunContext {
  return { kernels, batch, backward };
}
