/**
 * The "Copy as PyTorch" script of training runs (src/engine/train/): the same task, the same
 * dense network built with nn.Linear, the same batches and optimizer, trained for the same steps,
 * printing what the training figure shows: the loss and accuracy over each stretch of steps, the
 * gradient norms and update ratios of the first and the output layer, the final loss and the
 * decision grid.
 *
 * On PyTorch's stream the engine's three sub-streams are PyTorch generators whose seeds the
 * script states (`torchForkSeed`), so the data, the initial weights and the batches are the
 * engine's exactly. The loss is taken in float64 from the float32 logits, as the engine takes it;
 * the forward and backward passes run in float32 in both, but in their own order of summation, so
 * the numbers agree to float32 rounding over the first steps and then drift apart slowly as
 * training amplifies the differences.
 *
 * @module
 */
import type { InitSpec } from '../engine/init';
import { torchForkSeed } from '../engine/torch/torch-rng';
import { checkOptimizer } from '../engine/optim';
import { checkTask } from '../engine/tasks';
import type { TrainConfig } from '../engine/train';
import { activationExpr } from './activation';
import { initCall } from './init-call';
import { comment, indent, py, pyString, script } from './python';
import { buildNote } from './stack-script';
import { taskLines } from './task-script';

/** One run: a label and its configuration (runs differ only in their initializers). */
export interface TrainRun {
  readonly label: string;
  readonly config: TrainConfig;
}

export interface TrainScript {
  readonly title: string;
  readonly settings: string;
  readonly runs: readonly TrainRun[];
}

const TWO_32 = 2 ** 32;

/** The three generator seeds of a run on PyTorch's stream: data, weights, shuffles. */
export function forkSeeds(seed: number): [number, number, number] {
  const s = ((seed % TWO_32) + TWO_32) % TWO_32;
  return [torchForkSeed(s, 0, 1), torchForkSeed(s, 0, 2), torchForkSeed(s, 0, 3)];
}

/** What the numbers are, given the stream the figure drew from. */
function streamLines(c: TrainConfig): string[] {
  if (c.stream !== 'torch') {
    return [
      "The figure drew from Initbook's own generator: PyTorch draws other data, weights and",
      "batches here, so expect curves of the same kind, not the same numbers. Choose PyTorch's",
      "stream in the figure's 'Random stream' setting for the same runs.",
    ];
  }
  return [
    ...buildNote(c.normalKernel),
    "It makes the figure's data, initial weights and batches exactly (CPU, float32). The losses",
    'agree to float32 rounding over the first steps, then drift slowly apart: PyTorch and',
    'Initbook sum in their own orders, and training amplifies the differences.',
  ];
}

/** The body of an initializer for the given weight shapes: one call, or one per shape. */
function shapedInit(spec: InitSpec, shapes: readonly (readonly number[])[]): string[] {
  const keys = [...new Set(shapes.map((s) => s.join(',')))];
  const calls = keys.map((k) => initCall(spec, 'w', k.split(',').map(Number)));
  if (calls.every((c) => c.join() === calls[0]!.join())) return calls[0]!;
  return keys.flatMap((k, i) => [
    `${i === 0 ? 'if' : 'elif'} tuple(w.shape) == (${k}):`,
    ...indent(calls[i]!),
  ]);
}

function optimizerLine(c: TrainConfig): string {
  const o = checkOptimizer(c.optimizer);
  if (o.name === 'sgd') {
    return `torch.optim.SGD(params, lr=${py(o.lr)}, momentum=${py(o.momentum)})`;
  }
  return `torch.optim.Adam(params, lr=${py(o.lr)}, betas=(${py(o.beta1)}, ${py(o.beta2)}), eps=${py(o.eps)})`;
}

/** Checks that the runs share everything but their initializers. */
function shared(runs: readonly TrainRun[]): TrainConfig {
  const first = runs[0]!.config;
  for (const { config } of runs) {
    if (config.layers !== undefined) throw new Error('trainScript: dense stacks only');
    for (const k of Object.keys({ ...first, ...config }) as (keyof TrainConfig)[]) {
      if (k === 'weightInit' || k === 'outputInit') continue;
      if (JSON.stringify(config[k]) !== JSON.stringify(first[k])) {
        throw new Error(`trainScript: every run must have the same ${k}`);
      }
    }
  }
  return first;
}

/** The script, ready to paste into a notebook or a file. */
export function trainScript(s: TrainScript): string {
  const c = shared(s.runs);
  const task = checkTask(c.task);
  const classification = task.name === 'spirals';
  const inputs = task.name === 'spirals' ? 2 : task.name === 'teacher' ? task.inputs : 0;
  const outputs =
    task.name === 'spirals' ? task.classes : task.name === 'teacher' ? task.outputs : 0;
  const depth = c.depth!;
  const width = c.width!;
  const phi = activationExpr(c.activation!, 'layer(h)', c.activationParam);
  if (phi === undefined) throw new Error(`No PyTorch expression for activation ${c.activation}`);
  const steps = c.steps;
  const every = c.every ?? Math.ceil(steps / 100);
  const snapshots = c.snapshots ?? [];
  const [dataSeed, weightSeed, shuffleSeed] = forkSeeds(c.seed);
  const hidden = [[width, inputs], ...(depth > 1 ? [[width, width]] : [])];
  const out = [[outputs, width]];
  const bodies = s.runs.map((r) => ({
    hidden: shapedInit(r.config.weightInit!, hidden),
    output: shapedInit(r.config.outputInit ?? r.config.weightInit!, out),
  }));
  const bias = initCall(c.biasInit ?? { name: 'zeros' }, 'b', [1], 'fan_in');
  const lossExpr = classification
    ? 'F.cross_entropy(z.double(), yb)  # mean over the batch, in float64 like Initbook'
    : '0.5 * (z.double() - yb.double()).pow(2).sum(1).mean()  # ½‖z − t‖², mean over the batch';
  const grid = c.grid ?? 24;
  const extent = c.gridExtent ?? 1.25;
  return script([
    ...comment(`Initbook: ${s.title}, in PyTorch.`, `Settings: ${s.settings}.`, ...streamLines(c)),
    'import math',
    '',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    ...comment(
      `Initbook forks three generators from the seed ${c.seed}: PyTorch has no fork, so here are their`,
      'seeds (torchForkSeed in Initbook: src/engine/torch/torch-rng.ts): data, weights, shuffles.',
    ),
    `DATA_SEED, WEIGHT_SEED, SHUFFLE_SEED = ${dataSeed}, ${weightSeed}, ${shuffleSeed}`,
    `DEPTH, WIDTH = ${depth}, ${width}  # hidden layers of ${c.activation}, then a linear output layer`,
    `BATCH, STEPS, EVERY = ${c.batch}, ${steps}, ${every}  # print step 1, every EVERY steps and the last`,
    `SNAPSHOTS = [${snapshots.join(', ')}]  # steps after which to print the decision grid`,
    `GRID, GRID_EXTENT = ${grid}, ${py(extent)}`,
    '',
    ...taskLines(task),
    '',
    'torch.manual_seed(DATA_SEED)',
    'x, y = make_data()',
    'N = x.shape[0]',
    '',
    ...s.runs.flatMap((r, i) => [
      `def weight_init_${i + 1}(w):  # ${r.label}: hidden layers`,
      ...indent(bodies[i]!.hidden),
      '',
      `def output_init_${i + 1}(w):  # ${r.label}: output layer`,
      ...indent(bodies[i]!.output),
      '',
    ]),
    'def bias_init(b, fan_in):',
    ...indent(bias),
    '',
    'def network(weight_init, output_init):',
    ...indent([
      ...comment(
        'Every nn.Linear draws its default weight and bias when it is built; then the',
        "figure's initializers redraw them, layer by layer.",
      ),
      'torch.manual_seed(WEIGHT_SEED)',
      `widths = [${inputs}] + [WIDTH] * DEPTH + [${outputs}]`,
      'layers = [nn.Linear(widths[l], widths[l + 1]) for l in range(len(widths) - 1)]',
      'with torch.no_grad():',
      ...indent([
        'for l, layer in enumerate(layers):',
        ...indent([
          '(output_init if l == DEPTH else weight_init)(layer.weight)',
          'bias_init(layer.bias, layer.in_features)',
        ]),
      ]),
      'return layers',
    ]),
    '',
    'def forward(layers, h):',
    ...indent(['for layer in layers[:-1]:', ...indent([`h = ${phi}`]), 'return layers[-1](h)']),
    '',
    'def loss_of(z, yb):',
    ...indent([`return ${lossExpr}`]),
    '',
    'def batches(g):',
    ...indent([
      '# Each epoch a fresh torch.randperm, cut into consecutive slices (a batch may span epochs).',
      'order, at = [], 0',
      'while True:',
      ...indent([
        'idx = []',
        'while len(idx) < BATCH:',
        ...indent([
          'if at == len(order):',
          ...indent(['order, at = torch.randperm(N, generator=g).tolist(), 0']),
          'idx.append(order[at])',
          'at += 1',
        ]),
        'yield torch.tensor(idx)',
      ]),
    ]),
    '',
    'def norm(t):',
    ...indent(['return t.double().norm().item()  # in float64, like Initbook']),
    '',
    'def ratio(after, before):',
    ...indent([
      '# ‖ΔW‖/‖W‖ of one step (∞ when W was 0 and moved)',
      'step, size = norm(after.detach() - before), norm(before)',
      'return step / size if size > 0 else (math.inf if step > 0 else 0.0)',
    ]),
    '',
    'def decision_grid(layers, step):',
    ...indent([
      'coords = [-GRID_EXTENT + (2 * GRID_EXTENT * i) / (GRID - 1) for i in range(GRID)]',
      'pts = torch.tensor([(coords[i], coords[j]) for j in range(GRID) for i in range(GRID)])',
      'with torch.no_grad():',
      ...indent(['p1 = torch.softmax(forward(layers, pts).double(), 1)[:, 1].view(GRID, GRID)']),
      'print(f"  P(class 1) on the grid after step {step} (rows: y from {-GRID_EXTENT} up):")',
      'for row in p1.tolist():',
      ...indent(['print("   ", " ".join(f"{p:.3f}" for p in row))']),
    ]),
    '',
    'def run(label, weight_init, output_init):',
    ...indent([
      'layers = network(weight_init, output_init)',
      'params = [p for layer in layers for p in (layer.weight, layer.bias)]',
      `opt = ${optimizerLine(c)}`,
      'g = torch.Generator().manual_seed(SHUFFLE_SEED)',
      'print(label)',
      'print("  first weights of layer 1:", layers[0].weight.flatten()[:4].tolist())',
      'print("  first weights of the output layer:", layers[-1].weight.flatten()[:4].tolist())',
      'print("  sum of all initial weights:", repr(sum(l.weight.double().sum().item() for l in layers)))',
      ...(snapshots.includes(0) && classification
        ? ['if 0 in SNAPSHOTS:', '    decision_grid(layers, 0)']
        : []),
      'print("  step  |  loss  |  accuracy  |  grad norm: layer 1, output  |  update ratio: layer 1, output")',
      'window = [0.0, 0, 0]  # loss sum, correct predictions, steps since the last print',
      'next_batch = batches(g)',
      'for t in range(1, STEPS + 1):',
      ...indent([
        'idx = next(next_batch)',
        'z = forward(layers, x[idx])',
        'loss = loss_of(z, y[idx])',
        'opt.zero_grad()',
        'loss.backward()',
        'grads = [norm(layers[0].weight.grad), norm(layers[-1].weight.grad)]',
        'broken = not math.isfinite(loss.item()) or not all(bool(p.grad.isfinite().all()) for p in params)',
        'window[0] += loss.item()',
        ...(classification ? ['window[1] += int((z.argmax(1) == y[idx]).sum())'] : []),
        'window[2] += 1',
        'ratios = [float("nan"), float("nan")]',
        'if not broken:',
        ...indent([
          'before = [layers[0].weight.detach().clone(), layers[-1].weight.detach().clone()]',
          'opt.step()',
          'after = [layers[0].weight, layers[-1].weight]',
          'ratios = [ratio(a, b) for a, b in zip(after, before)]',
        ]),
        'if broken or t == 1 or t % EVERY == 0 or t == STEPS:',
        ...indent([
          classification
            ? 'acc = f"{window[1] / (window[2] * BATCH):.7g}"'
            : 'acc = "-"  # regression',
          'print(f"  {t:4d}  {window[0] / window[2]:.9g}  {acc}  {grads[0]:.7g} {grads[1]:.7g}  {ratios[0]:.7g} {ratios[1]:.7g}")',
          'window = [0.0, 0, 0]',
        ]),
        'if broken:',
        ...indent([
          'print(f"  the loss or a gradient became non-finite at step {t}: training stopped")',
          'break',
        ]),
        ...(classification ? ['if t in SNAPSHOTS:', '    decision_grid(layers, t)'] : []),
      ]),
      'with torch.no_grad():',
      ...indent([
        'z = forward(layers, x)',
        classification
          ? 'print(f"  final, whole dataset: loss {loss_of(z, y).item():.9g}, accuracy {(z.argmax(1) == y).double().mean().item():.7g}")'
          : 'print(f"  final, whole dataset: loss {loss_of(z, y).item():.9g}")',
      ]),
    ]),
    '',
    ...s.runs.map(
      (r, i) => `run(${pyString(r.label)}, weight_init_${i + 1}, output_init_${i + 1})`,
    ),
  ]);
}
