/**
 * An engine initializer as the `torch.nn.init` call that draws the same float32 values from
 * PyTorch's stream: the named function where PyTorch has one (kaiming_normal_, xavier_uniform_, …),
 * else the uniform_, normal_ or trunc_normal_ call with the engine's own bound or standard
 * deviation written out (JAX's and Keras' variance-scaling rules, which PyTorch does not name).
 *
 * @module
 */
import type { InitSpec } from '../engine/init';
import { initLaw } from '../engine/init-recipes';
import { py, pyString } from './python';

/** Keyword arguments, leaving out those at PyTorch's defaults. */
function kwargs(pairs: readonly (readonly [string, string | undefined, string?])[]): string {
  return pairs
    .filter(([, v, dflt]) => v !== undefined && v !== dflt)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

const call = (fn: string, target: string, args: string): string =>
  `nn.init.${fn}(${target}${args ? `, ${args}` : ''})`;

const num = (x: number | undefined): string | undefined => (x === undefined ? undefined : py(x));

/**
 * The statement(s) that initialize the tensor named `target` (already of `shape`) as `spec` does.
 * @param fanIn - the fan_in of a bias's layer, for `torch_default`: a number or a Python expression
 * @returns one or two lines of Python
 */
export function initCall(
  spec: InitSpec,
  target: string,
  shape: readonly number[],
  fanIn?: number | string,
): string[] {
  switch (spec.name) {
    case 'uniform':
      return [
        call(
          'uniform_',
          target,
          kwargs([
            ['a', num(spec.a), '0'],
            ['b', num(spec.b), '1'],
          ]),
        ),
      ];
    case 'normal':
      return [
        call(
          'normal_',
          target,
          kwargs([
            ['mean', num(spec.mean), '0'],
            ['std', num(spec.std), '1'],
          ]),
        ),
      ];
    case 'trunc_normal':
      return [
        call(
          'trunc_normal_',
          target,
          kwargs([
            ['mean', num(spec.mean), '0'],
            ['std', num(spec.std), '1'],
            ['a', num(spec.a), '-2'],
            ['b', num(spec.b), '2'],
          ]),
        ),
      ];
    case 'constant':
      return [call('constant_', target, py(spec.value))];
    case 'zeros':
    case 'ones':
    case 'eye':
      return [call(`${spec.name}_`, target, '')];
    case 'dirac':
      return [call('dirac_', target, kwargs([['groups', num(spec.groups), '1']]))];
    case 'xavier_uniform':
    case 'xavier_normal':
    case 'orthogonal':
      return [call(`${spec.name}_`, target, kwargs([['gain', num(spec.gain), '1']]))];
    case 'kaiming_uniform':
    case 'kaiming_normal':
      return [
        call(
          `${spec.name}_`,
          target,
          kwargs([
            ['a', num(spec.a), '0'],
            ['mode', spec.mode && pyString(spec.mode), '"fan_in"'],
            ['nonlinearity', spec.nonlinearity && pyString(spec.nonlinearity), '"leaky_relu"'],
          ]),
        ),
      ];
    case 'sparse':
      return [
        call(
          'sparse_',
          target,
          kwargs([
            ['sparsity', py(spec.sparsity)],
            ['std', num(spec.std), '0.01'],
          ]),
        ),
      ];
    case 'torch_default':
      if (shape.length >= 2) return [call('kaiming_uniform_', target, 'a=math.sqrt(5)')];
      return [
        `bound = 1 / math.sqrt(${typeof fanIn === 'number' ? py(fanIn) : (fanIn ?? 'fan_in')})  # 1/√fan_in of the layer`,
        call('uniform_', target, '-bound, bound'),
      ];
    case 'variance_scaling':
    case 'lecun_normal':
      return lawCall(spec, target, shape);
  }
}

/** A rule PyTorch does not name, as the draw it makes, with the engine's numbers. */
function lawCall(
  spec: Extract<InitSpec, { name: 'variance_scaling' | 'lecun_normal' }>,
  target: string,
  shape: readonly number[],
): string[] {
  const law = initLaw(shape, spec);
  const rule =
    spec.name === 'lecun_normal'
      ? '# LeCun normal (JAX/Flax): truncated normal, variance 1/fan_in after the cut'
      : `# variance scaling (JAX/Keras): scale ${py(spec.scale ?? 1)}, ${spec.mode ?? 'fan_in'}, ${spec.distribution ?? 'truncated_normal'}`;
  return [rule, ...lawDraw(law, target)];
}

function lawDraw(law: ReturnType<typeof initLaw>, target: string): string[] {
  if (law.kind === 'uniform') return [call('uniform_', target, `${py(law.low)}, ${py(law.high)}`)];
  if (law.kind === 'normal') return [call('normal_', target, `0.0, ${py(law.std)}`)];
  if (law.kind === 'truncated') {
    return [
      call(
        'trunc_normal_',
        target,
        `mean=${py(law.mean)}, std=${py(law.std)}, a=${py(law.low)}, b=${py(law.high)}`,
      ),
    ];
  }
  throw new Error(`No PyTorch call for a ${law.kind} law`);
}
