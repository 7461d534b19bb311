/**
 * The one forward and backward pass of every network: parameters drawn in the description's
 * order, values handed from layer to layer, residual streams added, gradients routed back. Used by
 * {@link propagateNetwork} (with statistics) and by training (with an optimizer).
 *
 * @module
 */
import { initTensor } from '../init';
import type { Kernels } from '../kernels';
import type { Rng } from '../rng';
import { flatNodes, type NetworkPlan } from './build';
import type { BackwardResult, ForwardResult, Leaf, Node, RunContext } from './layer';
import { sizeOf } from './layer';

/** Every leaf's parameters, by path, in declaration order. */
export type Parameters = ReadonlyMap<string, readonly Float32Array[]>;

/**
 * Draws every parameter from `rng`: layers in description order (a residual's body in place),
 * each layer's tensors in its declared (PyTorch creation) order.
 */
export function drawParameters(
  plan: Pick<NetworkPlan, 'nodes'>,
  rng: Rng,
): Map<string, Float32Array[]> {
  const params = new Map<string, Float32Array[]>();
  for (const n of flatNodes(plan.nodes)) {
    if (n.kind !== 'leaf') continue;
    params.set(
      n.path,
      n.params.map((p) => {
        const data = initTensor(p.shape, p.init, rng, p.context);
        p.after?.(data);
        return data;
      }),
    );
  }
  return params;
}

/** What the forward pass kept for the backward pass, by path. */
export interface Tape {
  readonly entries: Map<string, { x: Float32Array; y: Float32Array; cache: unknown }>;
}

/** Called with each node's output (a residual's after its body's). */
export type ForwardObserver = (node: Node, y: Float32Array, result: ForwardResult | null) => void;

/** Called with the gradient reaching each node's output and, for a leaf, its backward result. */
export type BackwardObserver = (
  node: Node,
  gy: Float32Array,
  result: BackwardResult | null,
) => void;

/**
 * Runs the forward pass. With `ctx.backward` the tape keeps every input, output and cache; without
 * it nothing is kept beyond what the next layer and open residual streams need.
 */
export function forwardNetwork(
  plan: Pick<NetworkPlan, 'nodes'>,
  params: Parameters,
  x: Float32Array,
  ctx: RunContext,
  observe?: ForwardObserver,
): { readonly y: Float32Array; readonly tape: Tape } {
  const tape: Tape = { entries: new Map() };
  const y = forwardList(plan.nodes, params, x, ctx, tape, observe);
  return { y, tape };
}

function forwardList(
  nodes: readonly Node[],
  params: Parameters,
  x: Float32Array,
  ctx: RunContext,
  tape: Tape,
  observe: ForwardObserver | undefined,
): Float32Array {
  let h = x;
  for (const node of nodes) {
    if (node.kind === 'residual') {
      const body = forwardList(node.body, params, h, ctx, tape, observe);
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
  }
  return h;
}

/**
 * Runs the backward pass from ∂L/∂output and returns ∂L/∂θ for every leaf (by path, in
 * declaration order) and ∂L/∂input (null for token ids).
 */
export function backwardNetwork(
  plan: Pick<NetworkPlan, 'nodes'>,
  params: Parameters,
  tape: Tape,
  top: Float32Array,
  ctx: RunContext,
  observe?: BackwardObserver,
): { readonly grads: Map<string, readonly Float32Array[]>; readonly gx: Float32Array | null } {
  const found = new Map<string, readonly Float32Array[]>();
  const gx = backwardList(plan.nodes, params, tape, top, ctx, found, observe);
  // In description order, like the parameters.
  const grads = new Map<string, readonly Float32Array[]>();
  for (const leaf of leaves(plan)) {
    const g = found.get(leaf.path);
    if (g !== undefined) grads.set(leaf.path, g);
  }
  return { grads, gx };
}

function backwardList(
  nodes: readonly Node[],
  params: Parameters,
  tape: Tape,
  top: Float32Array,
  ctx: RunContext,
  grads: Map<string, readonly Float32Array[]>,
  observe: BackwardObserver | undefined,
): Float32Array | null {
  let g: Float32Array | null = top;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (g === null) break;
    if (node.kind === 'residual') {
      observe?.(node, g, null);
      const a = node.scale;
      const scaled = new Float32Array(g.length);
      for (let j = 0; j < g.length; j++) scaled[j] = a * g[j]!;
      const inner = backwardList(node.body, params, tape, scaled, ctx, grads, observe);
      const sum: Float32Array = new Float32Array(g.length);
      for (let j = 0; j < g.length; j++) sum[j] = g[j]! + (inner === null ? 0 : inner[j]!);
      g = sum;
      continue;
    }
    const t = tape.entries.get(node.path)!;
    const r = node.backward(g, t.x, t.y, t.cache, params.get(node.path) ?? [], ctx);
    grads.set(node.path, r.grads);
    observe?.(node, g, r);
    g = r.gx;
  }
  return g;
}

/** The context of a run over `batch` samples. */
export function runContext(kernels: Kernels, batch: number, backward: boolean): RunContext {
  return { kernels, batch, backward };
}

/** The leaves in description order. */
export function leaves(plan: Pick<NetworkPlan, 'nodes'>): Leaf[] {
  return flatNodes(plan.nodes).filter((n): n is Leaf => n.kind === 'leaf');
}

/** Entries per sample of a node's output. */
export const outputSize = (node: Node): number => sizeOf(node.outShape);
