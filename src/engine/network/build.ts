/**
 * From a network description to a validated plan: every layer built against the shape its input
 * has, errors naming the layer's path, and the memory budget checked before anything is allocated.
 *
 * @module
 */
import { resolveInput, type ResolvedInput } from './input';
import { layerError, sizeOf, type BuildList, type Node, type Shape } from './layer';
import { BUILDERS, LAYER_TYPES } from './registry';
import type { NetworkConfig } from './types';
import { EngineInputError, MAX_ELEMENTS, finiteNumber, oneOf, positiveInt } from '../validate';
import type { SummaryOptions } from '../stats';
import { checkBins, checkLevels } from '../summary-options';

/** A validated network: its nodes, input and run options. */
export interface NetworkPlan {
  readonly nodes: readonly Node[];
  readonly input: ResolvedInput;
  readonly outShape: Shape;
  readonly batch: number;
  readonly seed: number;
  readonly backward: boolean;
  readonly loss: 'readout' | 'sum' | 'mse' | 'cross_entropy';
  readonly options: SummaryOptions;
  /** Parameters in total. */
  readonly parameterCount: number;
  /** The random stream and, for 'torch', the CPU build it reproduces. */
  readonly stream: 'initbook' | 'torch';
  readonly normalKernel: 'avx2' | 'default';
}

const buildList: BuildList = (specs, inShape, path) => {
  const where = path === '' ? 'layers' : `layers.${path}`;
  if (!Array.isArray(specs)) throw new EngineInputError(where, specs, 'an array of layers');
  if (specs.length === 0 && path === '')
    throw new EngineInputError('layers', specs, 'at least one layer');
  const nodes: Node[] = [];
  let shape = inShape;
  specs.forEach((spec: unknown, i) => {
    const at = path === '' ? String(i) : `${path}.${i}`;
    const node = buildNode(spec, shape, at);
    nodes.push(node);
    shape = node.outShape;
  });
  return nodes;
};

function buildNode(spec: unknown, inShape: Shape, path: string): Node {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw layerError(path, null, spec, 'a layer description such as { type: "linear", out: 256 }');
  }
  const s = spec as Record<string, unknown>;
  const type = s['type'];
  if (type === 'residual') {
    const scale = s['scale'] ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale)) {
      throw layerError(path, 'scale', s['scale'], 'a finite number');
    }
    const body = buildList(s['body'], inShape, `${path}.body`);
    const end = body.length === 0 ? inShape : body[body.length - 1]!.outShape;
    if (end.join(',') !== inShape.join(',')) {
      throw layerError(
        path,
        'body',
        `a body ending in shape [${end.join(', ')}]`,
        `a body that gives back its input's shape [${inShape.join(', ')}]`,
      );
    }
    return { kind: 'residual', path, type: 'residual', inShape, outShape: inShape, scale, body };
  }
  const builder = typeof type === 'string' ? BUILDERS[type] : undefined;
  if (builder === undefined) {
    throw layerError(path, 'type', type, `one of ${LAYER_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  return builder(s, inShape, path, buildList);
}

/** Every node in description order (a residual before its body). */
export function flatNodes(nodes: readonly Node[]): Node[] {
  return nodes.flatMap((n) => (n.kind === 'residual' ? [n, ...flatNodes(n.body)] : [n]));
}

/** Float32 entries the plan allocates at most: parameters (twice with gradients), inputs, layers. */
export function planCost(
  plan: Omit<NetworkPlan, 'parameterCount'> & { parameterCount: number },
): number {
  const { batch } = plan;
  let total = plan.parameterCount * (plan.backward ? 2 : 1) + 2 * batch * sizeOf(plan.input.shape);
  for (const n of flatNodes(plan.nodes)) {
    total += n.kind === 'leaf' ? n.cost(batch) : 2 * batch * sizeOf(n.outShape);
  }
  return total;
}

/** A layer that reads token ids (embedding) must be first, after an input of ids below its vocab. */
function checkTokens(nodes: readonly Node[], input: ResolvedInput): void {
  const all = flatNodes(nodes);
  all.forEach((n, i) => {
    if (n.kind !== 'leaf' || n.tokenVocab === undefined) return;
    if (i !== 0) {
      throw layerError(n.path, null, `a ${n.type} after other layers`, `the first layer`);
    }
    if (input.kind !== 'tokens' || input.vocab > n.tokenVocab) {
      throw new EngineInputError(
        'input.init',
        input.kind === 'tokens' ? { tokens: input.vocab } : 'real values',
        `token ids { tokens: n } with n ≤ ${n.tokenVocab} for the ${n.type} at layers.${n.path}`,
      );
    }
  });
  const first = all[0];
  if (input.kind === 'tokens' && !(first?.kind === 'leaf' && first.tokenVocab !== undefined)) {
    throw layerError(
      first?.path ?? '0',
      null,
      `a ${first?.type ?? 'missing'} layer reading token ids`,
      'an embedding, the only layer that reads token ids (input.init = { tokens })',
    );
  }
}

/**
 * Validates a description and builds its plan.
 * @throws EngineInputError naming the layer's path, the field, the value and what is allowed,
 *   or the budget ({@link MAX_ELEMENTS} float32 entries) when the network would not fit
 */
export function buildNetwork(config: NetworkConfig): NetworkPlan {
  if (typeof config !== 'object' || config === null) {
    throw new EngineInputError('config', config, 'a NetworkConfig object');
  }
  const batchValue = config.batch ?? config.input?.batch;
  const batch = positiveInt(
    config.batch === undefined ? 'input.batch' : 'batch',
    batchValue,
    1 << 20,
  );
  const input = resolveInput(config.input);
  const nodes = buildList(config.layers, input.shape, '');
  checkTokens(nodes, input);
  const outShape = nodes[nodes.length - 1]!.outShape;
  const loss = oneOf('loss', config.loss ?? 'readout', ['readout', 'sum', 'mse', 'cross_entropy']);
  const backward = config.backward ?? false;
  if (typeof backward !== 'boolean') throw new EngineInputError('backward', backward, 'a boolean');
  let parameterCount = 0;
  for (const n of flatNodes(nodes)) {
    if (n.kind === 'leaf') for (const p of n.params) parameterCount += sizeOf(p.shape);
  }
  const plan = {
    nodes,
    input,
    outShape,
    batch,
    seed: finiteNumber('seed', config.seed),
    backward,
    loss,
    parameterCount,
    stream: oneOf('stream', config.stream ?? 'initbook', ['initbook', 'torch']),
    normalKernel: oneOf('normalKernel', config.normalKernel ?? 'avx2', ['avx2', 'default']),
    options: {
      ...(config.quantiles === undefined ? {} : { quantiles: checkLevels(config.quantiles) }),
      ...(config.histogramBins === undefined ? {} : { bins: checkBins(config.histogramBins) }),
      detail: oneOf('summaries', config.summaries ?? 'full', ['full', 'moments']),
    },
  };
  const cost = planCost(plan);
  if (cost > MAX_ELEMENTS) {
    throw new EngineInputError(
      'layers',
      `a network needing ${cost.toLocaleString('en-US')} float32 entries`,
      `at most ${MAX_ELEMENTS.toLocaleString('en-US')} entries (512 MiB): fewer layers, a smaller width or batch`,
    );
  }
  if (loss === 'cross_entropy' && outShape[outShape.length - 1]! < 2) {
    throw new EngineInputError(
      'loss',
      loss,
      'a loss other than cross_entropy for an output with one class',
    );
  }
  return plan;
}
