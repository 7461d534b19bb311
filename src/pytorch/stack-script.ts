/**
 * The "Copy as PyTorch" script of a `propagate` run: the same dense stack built with nn.Linear
 * under `torch.manual_seed(seed)`, initialized, fed and differentiated in the order the engine's
 * torch stream draws (src/engine/propagate/stack.ts), then the statistics a figure shows, layer by
 * layer. Run with PyTorch on a CPU it draws the figure's weights exactly; its statistics agree
 * with the figure's to float32 rounding (PyTorch sums in float32, the engine in float64).
 *
 * @module
 */
import type { InitSpec } from '../engine/init';
import { validate, type PropagateConfig } from '../engine/propagate/config';
import { activationExpr } from './activation';
import { initCall } from './init-call';
import { comment, indent, py, pyList, pyString, script } from './python';

/** One run of the figure: a label and its configuration (all runs share the stack's shape). */
export interface StackRun {
  readonly label: string;
  readonly config: PropagateConfig;
}

/** A per-layer statistic of one of the layer's tensors. */
export interface StackStat {
  readonly label: string;
  readonly of: 'pre' | 'post' | 'gradPre' | 'gradPost';
  /** 'std' is the population standard deviation, √variance. */
  /** 'unitSpread' is the mean over samples of the variance across the layer's units. */
  readonly stat:
    | 'meanSquare'
    | 'mean'
    | 'variance'
    | 'std'
    | 'unitSpread'
    | 'fractionZero'
    | 'fractionSaturated';
}

export interface StackScript {
  /** The figure's title and its settings in words, for the script's opening comment. */
  readonly title: string;
  readonly settings: string;
  readonly runs: readonly StackRun[];
  readonly stats: readonly StackStat[];
  /** Layers to print (default all). */
  readonly layers?: readonly number[];
  /**
   * The activation as a Python expression in the tensor `z`, for an activation PyTorch has no
   * single function for (a reader's formula); default the built-in's (`activationExpr`).
   */
  readonly phi?: string;
  /** Lines after the imports (e.g. the definition the `phi` expression calls). */
  readonly prelude?: readonly string[];
}

const TENSOR = { pre: 'z', post: 'h', gradPre: 'z.grad', gradPost: 'h.grad' } as const;

function statExpr(s: StackStat, saturation: string): string {
  const t = TENSOR[s.of];
  switch (s.stat) {
    case 'meanSquare':
      return `${t}.pow(2).mean()`;
    case 'mean':
      return `${t}.mean()`;
    case 'variance':
      return `${t}.var(unbiased=False)`;
    case 'std':
      return `${t}.std(unbiased=False)`;
    case 'unitSpread':
      return `${t}.var(dim=1, unbiased=False).mean()`;
    case 'fractionZero':
      return `(${t} == 0).float().mean()`;
    case 'fractionSaturated':
      return saturation === 'sigmoid'
        ? `((${t} < 0.03) | (${t} > 0.97)).float().mean()`
        : `(${t}.abs() > 0.97).float().mean()`;
  }
}

/** A Python identifier for a run's initializer function. */
const fnName = (i: number): string => `weight_init_${i + 1}`;

function biasLines(spec: InitSpec): string[] {
  return ['def bias_init(b, fan_in):', ...indent(initCall(spec, 'b', [1], 'fan_in'))];
}

function lossLines(loss: string): string[] {
  if (loss === 'readout')
    return ['loss = (h @ v).mean()  # a random readout v, averaged over the batch'];
  if (loss === 'mse') return ['loss = (0.5 * (h - t).pow(2).sum(1)).mean()'];
  return ['loss = h.sum(1).mean()'];
}

/**
 * The weight initializer's body: one call, or one per weight shape when the call's numbers depend
 * on the shape (a rule PyTorch does not name, on layers of different shapes).
 */
function weightLines(spec: InitSpec, widths: readonly number[]): string[] {
  const shapes = [...new Set(widths.slice(1).map((n, l) => `${n},${widths[l]}`))].map((k) =>
    k.split(',').map(Number),
  );
  const calls = shapes.map((shape) => initCall(spec, 'w', shape));
  if (calls.every((c) => c.join() === calls[0]!.join())) return calls[0]!;
  return shapes.flatMap((shape, i) => [
    `${i === 0 ? 'if' : 'elif'} tuple(w.shape) == (${shape[0]}, ${shape[1]}):`,
    ...indent(calls[i]!),
  ]);
}

/** Which PyTorch CPU build a script on PyTorch's stream is for (the two round normal_ differently). */
export function buildNote(normalKernel: string | undefined): string[] {
  return normalKernel === 'default'
    ? [
        'Run it with PyTorch on a CPU build without AVX2 (ARM, Apple silicon), or on x86 with the',
        'environment variable ATEN_CPU_CAPABILITY=default (AVX2 builds round normal_ differently).',
      ]
    : [
        'Run it with PyTorch on an x86 CPU with AVX2 (most PCs and servers); ARM and Apple builds',
        "round normal_ differently (the figure's 'Random stream' setting has their numbers).",
      ];
}

/** What the script's numbers are, given the stream the figure drew from. */
export function streamNote(p: { stream: string; normalKernel: string }): string[] {
  if (p.stream !== 'torch') {
    return [
      "The figure drew from Initbook's own generator: PyTorch draws other weights, so expect the",
      "same statistics only up to sampling noise. Choose PyTorch's stream in the figure for exact weights.",
    ];
  }
  return [
    ...buildNote(p.normalKernel),
    "It draws the figure's weights exactly (torch.manual_seed, CPU, float32) and prints the",
    "figure's numbers to float32 rounding (PyTorch sums in float32, Initbook in float64).",
  ];
}

/** The inputs' draw, as the body of `draw_inputs(batch, n0)`. */
function inputExpr(input: { distribution: string; mean: number; std: number }): string {
  const { distribution, mean, std } = input;
  if (distribution === 'normal') {
    return mean === 0 && std === 1
      ? 'torch.randn(batch, n0)'
      : `torch.empty(batch, n0).normal_(${py(mean)}, ${py(std)})`;
  }
  if (distribution === 'uniform') {
    return `torch.empty(batch, n0).uniform_(${py(mean - Math.sqrt(3) * std)}, ${py(mean + Math.sqrt(3) * std)})`;
  }
  // Rademacher: one float64 uniform per entry, as the engine's rng.uniform() draws it.
  return `torch.where(torch.rand(batch, n0, dtype=torch.float64) < 0.5, ${py(mean - std)}, ${py(mean + std)}).float()`;
}

/** What every run must share (the script has one forward pass), by name, for the error message. */
function shared(plans: readonly ReturnType<typeof validate>[]): void {
  const key = (q: ReturnType<typeof validate>): Record<string, unknown> => ({
    depth: q.depth,
    activation: [q.act.name, q.act.param],
    backward: q.backward,
    loss: q.loss,
    biasInit: q.biasInit,
    residual: [q.alpha, q.skipFrom, q.zeroInitLast],
    stream: [q.stream, q.normalKernel],
  });
  const first = key(plans[0]!);
  for (const q of plans) {
    for (const [k, v] of Object.entries(key(q))) {
      if (JSON.stringify(v) !== JSON.stringify(first[k])) {
        throw new Error(`stackScript: every run must have the same ${k}`);
      }
    }
  }
}

/** The script, ready to paste into a notebook or a file. */
export function stackScript(s: StackScript): string {
  const plans = s.runs.map((r) => validate(r.config));
  shared(plans);
  const plan = plans[0]!;
  const act = plan.act;
  const phi = s.phi ?? activationExpr(act.name, 'z', act.param);
  if (phi === undefined) throw new Error(`No PyTorch expression for activation ${act.name}`);
  const { backward, loss, alpha, zeroInitLast } = plan;
  const skips = plan.skipFrom.flatMap((from, l) => (from === null ? [] : [[l, from] as const]));
  const saturation = act.saturation;
  // Settings that differ between runs are arguments of run(); the others are constants.
  const widthsOf = (q: (typeof plans)[number]): string =>
    q.widths.every((n) => n === q.widths[0])
      ? `[${q.widths[0]}] * ${q.widths.length}`
      : pyList(q.widths);
  const inputs = [...new Set(plans.map((q) => inputExpr(q.input)))];
  const same = {
    widths: new Set(plans.map(widthsOf)).size === 1,
    seed: new Set(plans.map((q) => q.seed)).size === 1,
    batch: new Set(plans.map((q) => q.batch)).size === 1,
  };
  const argsOf = (q: (typeof plans)[number]): string =>
    [
      `widths=${same.widths ? 'WIDTHS' : widthsOf(q)}`,
      `batch=${same.batch ? 'BATCH' : q.batch}`,
      `seed=${same.seed ? 'SEED' : q.seed}`,
      ...(inputs.length > 1
        ? [`draw_inputs=inputs_${inputs.indexOf(inputExpr(q.input)) + 1}`]
        : []),
    ].join(', ');
  // One initializer function per distinct body (many draws of one rule share one).
  const bodies = s.runs.map((run, i) => weightLines(run.config.weightInit, plans[i]!.widths));
  const inits = [...new Map(bodies.map((b) => [b.join('\n'), b])).values()];
  const initOf = bodies.map((b) => inits.findIndex((x) => x.join('\n') === b.join('\n')));
  const depth = plan.depth;
  const layers = s.layers ?? Array.from({ length: depth }, (_, i) => i + 1);
  const [lossName, lossDraw] =
    backward && loss === 'readout'
      ? ['v', 'v = torch.randn(widths[-1])  # the random readout']
      : backward && loss === 'mse'
        ? ['t', 't = torch.randn(batch, widths[-1])  # the targets']
        : ['', ''];
  const returned = lossName ? `layers, x, ${lossName}` : 'layers, x';
  const header = s.stats.map((st) => st.label).join('  |  ');
  return script([
    ...comment(
      `Initbook: ${s.title}, in PyTorch.`,
      `Settings: ${s.settings}.`,
      ...streamNote(plan),
    ),
    'import math',
    '',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    ...(s.prelude ?? []),
    '',
    ...(same.widths ? [`WIDTHS = ${widthsOf(plan)}  # n_0 (the inputs), n_1, …, n_${depth}`] : []),
    ...(same.batch ? [`BATCH = ${plan.batch}`] : []),
    ...(same.seed ? [`SEED = ${plan.seed}`] : []),
    ...(skips.length > 0
      ? [
          `ALPHA = ${py(alpha)}  # the branch scale: h = h_skip + ALPHA * phi(z)`,
          `SKIP_FROM = {${skips.map(([l, f]) => `${l}: ${f}`).join(', ')}}  # block end: the layer it adds back (0 = inputs)`,
        ]
      : []),
    '',
    ...inits.flatMap((body, k) => [
      `def ${fnName(k)}(w):  # ${s.runs
        .filter((_, i) => initOf[i] === k)
        .map((r) => r.label)
        .slice(0, 3)
        .join('; ')}${initOf.filter((x) => x === k).length > 3 ? '; …' : ''}`,
      ...indent(body),
      '',
    ]),
    ...biasLines(plan.biasInit),
    '',
    ...inputs.flatMap((expr, i) => [
      `def ${inputs.length > 1 ? `inputs_${i + 1}` : 'draw_inputs'}(batch, n0):`,
      ...indent([`return ${expr}`]),
      '',
    ]),
    `def network(weight_init, widths, batch, seed${inputs.length > 1 ? ', draw_inputs' : ''}):`,
    ...indent([
      ...comment(
        "The draw order is the figure's: every nn.Linear draws its default weight and bias",
        "when it is built, then the figure's initializers redraw them, then the inputs.",
      ),
      'torch.manual_seed(seed)',
      'layers = [nn.Linear(widths[l - 1], widths[l]) for l in range(1, len(widths))]',
      'with torch.no_grad():',
      ...indent([
        'for l, layer in enumerate(layers, 1):',
        ...indent([
          'weight_init(layer.weight)',
          'bias_init(layer.bias, layer.in_features)',
          ...(zeroInitLast && skips.length > 0
            ? [
                'if l in SKIP_FROM:  # zero-init the last layer of each branch',
                ...indent(['layer.weight.zero_()', 'layer.bias.zero_()']),
              ]
            : []),
        ]),
      ]),
      'x = draw_inputs(batch, widths[0])',
      ...(lossDraw ? [lossDraw] : []),
      `return ${returned}`,
    ]),
    '',
    'def run(label, weight_init, **settings):',
    ...indent([
      `${returned} = network(weight_init, **settings)`,
      'outputs = [x]',
      'rows = []',
      ...(backward ? [] : ['torch.set_grad_enabled(False)']),
      'for l, layer in enumerate(layers, 1):',
      ...indent([
        'z = layer(outputs[-1])',
        skips.length > 0
          ? `h = outputs[SKIP_FROM[l]] + ALPHA * ${phi} if l in SKIP_FROM else ${phi}`
          : `h = ${phi}`,
        ...(backward ? ['z.retain_grad()', 'h.retain_grad()'] : []),
        'outputs.append(h)',
        'rows.append((l, z, h))',
      ]),
      ...(backward ? ['h = outputs[-1]', ...lossLines(loss), 'loss.backward()'] : []),
      'print(label)',
      `print("  first weights of layer 1:", layers[0].weight.flatten()[:4].tolist())`,
      `print("  layer  |  ${header}")`,
      'for l, z, h in rows:',
      ...indent([
        `if l in ${pyList(layers)}:`,
        ...indent([
          `stats = [${s.stats.map((st) => `${statExpr(st, saturation)}.item()`).join(', ')}]`,
          'print(f"  {l:5d}  " + "  ".join(f"{v:.7g}" for v in stats))',
        ]),
      ]),
      ...(backward ? [] : ['torch.set_grad_enabled(True)']),
    ]),
    '',
    ...s.runs.map(
      (run, i) => `run(${pyString(run.label)}, ${fnName(initOf[i]!)}, ${argsOf(plans[i]!)})`,
    ),
  ]);
}
