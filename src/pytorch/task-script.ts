/**
 * The training tasks of src/engine/tasks.ts as Python that draws the same data from PyTorch's
 * stream, for the "Copy as PyTorch" script of a training run. Run after
 * `torch.manual_seed(data_seed)`, each function makes the dataset the engine makes from a torch
 * stream with that seed:
 * - spirals: one scalar `normal_` draw in float64 per point (PyTorch's cached Box–Muller pairs),
 *   the engine's own sine and cosine (a Taylor series in exact double operations, written out so
 *   that Python computes the same doubles), then float32: the same points;
 * - teacher: `xavier_normal_`, the LeCun truncated normal and `torch.randn` for the inputs; the
 *   targets are summed in float64 and rounded once, as the engine does (the order of the sums may
 *   differ, so a target can differ in its last float32 bit).
 *
 * @module
 */
import type { ResolvedTask } from '../engine/tasks';
import { initCall } from './init-call';
import { py } from './python';

/** The engine's `sinCos`, line for line. */
const SIN_COS = [
  'def sin_cos(t):',
  '    # sin t and cos t as Initbook computes them: reduce to [-pi, pi], then a Taylor series',
  '    r = t - TWO_PI * math.floor(t / TWO_PI + 0.5)',
  '    r2 = r * r',
  '    s, c, ts, tc = r, 1.0, r, 1.0',
  '    for k in range(1, 15):',
  '        ts *= -r2 / ((2 * k) * (2 * k + 1))',
  '        tc *= -r2 / ((2 * k - 1) * (2 * k))',
  '        s += ts',
  '        c += tc',
  '    return s, c',
];

function spiralLines(t: Extract<ResolvedTask, { name: 'spirals' }>): string[] {
  return [
    'TWO_PI = 2 * math.pi',
    '',
    ...SIN_COS,
    '',
    `def make_data(classes=${t.classes}, samples=${t.samples}, noise=${py(t.noise)}, turns=${py(t.turns)}):`,
    '    # Two interleaved spiral arms, one class each: radius r = (i + 1/2)/samples and angle',
    '    # 2*pi*k/classes + 2*pi*turns*r + noise*eps, eps one float64 N(0, 1) draw per point.',
    '    points, labels = [], []',
    '    for k in range(classes):',
    '        for i in range(samples):',
    '            r = (i + 0.5) / samples',
    '            eps = torch.randn(1, dtype=torch.float64).item()',
    '            theta = (TWO_PI * k) / classes + TWO_PI * turns * r + noise * eps',
    '            s, c = sin_cos(theta)',
    '            points.append((r * s, r * c))',
    '            labels.append(k)',
    '    return torch.tensor(points, dtype=torch.float32), torch.tensor(labels)',
  ];
}

function teacherLines(t: Extract<ResolvedTask, { name: 'teacher' }>): string[] {
  const { inputs, hidden, outputs, samples } = t;
  return [
    `def make_data(inputs=${inputs}, hidden=${hidden}, outputs=${outputs}, samples=${samples}):`,
    '    # A fixed random teacher y = W2 tanh(W1 x): W1 Xavier normal with tanh gain 5/3, W2 LeCun',
    '    # normal (variance 1/hidden), inputs N(0, I); targets summed in float64, as Initbook does.',
    '    w1 = torch.empty(hidden, inputs)',
    '    nn.init.xavier_normal_(w1, gain=5 / 3)',
    '    w2 = torch.empty(outputs, hidden)',
    ...initCall({ name: 'lecun_normal' }, 'w2', [outputs, hidden]).map((l) => `    ${l}`),
    '    x = torch.randn(samples, inputs)',
    '    targets = torch.tanh(x.double() @ w1.double().T) @ w2.double().T',
    '    return x, targets.float()',
  ];
}

/**
 * Python defining `make_data()`, which returns the task's inputs and its labels (int64,
 * classification) or targets (float32, regression), drawn from the global generator.
 * @throws Error for a task the training figure does not use (delay, next_token)
 */
export function taskLines(t: ResolvedTask): string[] {
  if (t.name === 'spirals') return spiralLines(t);
  if (t.name === 'teacher') return teacherLines(t);
  throw new Error(`No PyTorch replay of the '${t.name}' task`);
}
