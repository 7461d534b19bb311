// WAT text of the activation kernels: φ(x) and φ′(x) of every built-in activation (and eˣ) over
// float32 arrays, four lanes per step, in plain simd128 (no relaxed instructions, so every engine
// gives the same bits). Spliced into the kernels module next to the matrix product; uses memory 0
// and imports nothing.
//
// Every export has the same signature:
//   (func (export "act_<name>") (param $x i32) (param $y i32) (param $d i32) (param $n i32)
//       (param $alpha f32))
// - x, y, d are byte addresses of float32 arrays (16-byte aligned for speed); for i < n,
//   y[i] = φ(x[i]) and, when d ≠ 0, d[i] = φ′(x[i]). y may be x: each vector is loaded once and
//   both results are computed before either is stored. alpha is leaky_relu's negative slope and
//   elu's α; the others ignore it.
// - The last n mod 4 elements are loaded and stored one lane at a time (unused lanes hold zeros),
//   so nothing past element n is read or written, and they run through the very same vector code
//   as the main loop: an element's result does not depend on its position.
//
// The maths follows src/engine/activations.ts case by case (kinks, NaN and ±∞ included); the
// transcendental parts are built on one vector eˣ (Cody–Waite reduction, Cephes polynomial, 2ᵏ
// through the exponent bits). Against the engine's float64 functions rounded to float32 the error
// is at most max(1e-6, 2 ulp of the value) for φ and φ′, and 2e-7 relative for eˣ
// (tests/unit/wasm-activations.test.ts).

/** ln 2 in two parts: LN2_HI has 9 significant bits, so k·LN2_HI is exact for |k| ≤ 2¹⁵. */
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
/** Cephes expf: eʳ ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2; coefficients of P from r⁰ up. */
const EXP_P = [
  5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3, 1.3981999507e-3,
  1.98756915e-4,
];
/** Cephes tanhf: tanh x ≈ x + x³·P(x²) for |x| < 0.625; coefficients of P from z⁰ up. */
const TANH_SMALL = 0.625;
const TANH_P = [
  -3.33332819422e-1, 1.33314422036e-1, -5.37397155531e-2, 2.06390887954e-2, -5.70498872745e-3,
];
/** log1p(e) = 2·atanh(u), u = e/(2 + e) ≤ 1/3: 2u + u³·P(u²), the series cut where it is < 1e-8. */
const LOG1P_P = [2 / 3, 2 / 5, 2 / 7, 2 / 9, 2 / 11, 2 / 13];
/**
 * erfc z ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0, relative error < 1.2e-7 (Numerical Recipes'
 * erfcc, a Chebyshev fit); coefficients of P from t⁰ up.
 */
const ERFC_P = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];
/** SELU constants as in activations.ts (PyTorch); λ·α is formed in float64, then rounded once. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT1_2PI = 0.3989422804014327; // 1/√(2π)
/** The largest float32: pmin(x, MAX)·c is x·c except that ∞·0 gives 0, not NaN. */
const MAX = 3.4028234663852886e38;

// Expression builders: each returns the folded WAT of one v128 value.

/**
 * A v128 with `c` in all four float32 lanes.
 * @param {number} c
 */
const f4 = (c) => `(v128.const f32x4 ${c} ${c} ${c} ${c})`;
/**
 * A lane-wise binary instruction.
 * @param {string} op
 * @returns {(a: string, b: string) => string}
 */
const op2 = (op) => (a, b) => `(${op} ${a} ${b})`;
const add = op2('f32x4.add');
const sub = op2('f32x4.sub');
const mul = op2('f32x4.mul');
const div = op2('f32x4.div');
const gt = op2('f32x4.gt');
const lt = op2('f32x4.lt');
const ge = op2('f32x4.ge');
const and = op2('v128.and');
const or = op2('v128.or');
/** pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a: a NaN in `a` passes through. */
const pmin = op2('f32x4.pmin');
const pmax = op2('f32x4.pmax');
/** @param {string} a */
const abs = (a) => `(f32x4.abs ${a})`;
/**
 * Lanes of `a` where `mask` is set, of `b` elsewhere.
 * @param {string} a
 * @param {string} b
 * @param {string} mask
 */
const select = (a, b, mask) => `(v128.bitselect ${a} ${b} ${mask})`;
/**
 * 2ᵏ from integer lanes k ∈ [−126, 127], by writing the biased exponent.
 * @param {string} k
 */
const pow2 = (k) =>
  `(i32x4.shl (i32x4.add ${k} (v128.const i32x4 127 127 127 127)) (i32.const 23))`;
const ONE = f4(1);
const ZERO = f4(0);
const SIGN = '(v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)';
/** The splatted `$alpha` parameter. */
const ALPHA = '(local.get $a)';

/** Straight-line vector code: a list of `local.set`s and comments, and the v128 locals it uses. */
class Block {
  constructor() {
    /** @type {Set<string>} */
    this.locals = new Set();
    /** @type {string[]} */
    this.lines = [];
  }

  /**
   * Emits `$name = expr`.
   * @param {string} name
   * @param {string} expr
   * @returns {string} the expression that reads the local
   */
  set(name, expr) {
    this.locals.add(name);
    this.lines.push(`(local.set $${name} ${expr})`);
    return `(local.get $${name})`;
  }

  /** @param {string} text */
  note(text) {
    this.lines.push(`;; ${text}`);
  }

  /**
   * Emits a polynomial in `x` by Horner's rule, one step per line.
   * @param {string} name - the accumulator local
   * @param {string} x
   * @param {readonly number[]} coefs - from x⁰ up
   */
  horner(name, x, coefs) {
    let acc = this.set(name, f4(/** @type {number} */ (coefs.at(-1))));
    for (let i = coefs.length - 2; i >= 0; i--) {
      acc = this.set(name, add(mul(acc, x), f4(/** @type {number} */ (coefs[i]))));
    }
    return acc;
  }
}

/**
 * eˣ: clamp to [−104, 89] (NaN passes), x = k·ln2 + r, eʳ = 1 + q with q = r + r²·P(r), then
 * ×2ᵏ as 2^(k − h)·2^h with h = k >> 1, both normal for k ∈ [−150, 128]: an overflowing (+∞) or
 * subnormal result is rounded once, in the last product, and x ≤ −104 gives 0.
 * @param {Block} b
 * @param {string} x
 * @param {string} p - prefix of the locals
 * @returns {{ e: string, q: string, s1: string, s2: string }} eˣ, eʳ − 1 and the two scales
 */
function exp(b, x, p) {
  b.note(`${p} = exp(x): k = round(x*log2(e)), r = x - k*ln2 in two steps (|r| <= ln2/2)`);
  const xc = b.set(`${p}_x`, pmax(pmin(x, f4(89)), f4(-104)));
  const k = b.set(`${p}_k`, `(f32x4.nearest ${mul(xc, f4(Math.LOG2E))})`);
  const r0 = b.set(`${p}_r`, sub(xc, mul(k, f4(LN2_HI))));
  const r = b.set(`${p}_r`, sub(r0, mul(k, f4(LN2_LO))));
  b.note('q = e^r - 1 = r + r^2*P(r)');
  const poly = b.horner(`${p}_q`, r, EXP_P);
  const q = b.set(`${p}_q`, add(mul(mul(r, r), poly), r));
  b.note('2^k as two normal factors (NaN: k = 0)');
  const ki = b.set(`${p}_i`, `(i32x4.trunc_sat_f32x4_s ${k})`);
  const h = b.set(`${p}_h`, `(i32x4.shr_s ${ki} (i32.const 1))`);
  const s1 = b.set(`${p}_s1`, pow2(`(i32x4.sub ${ki} ${h})`));
  const s2 = b.set(`${p}_s2`, pow2(h));
  const e = b.set(p, mul(mul(add(ONE, q), s1), s2));
  return { e, q, s1, s2 };
}

/**
 * σ(x) with no cancellation: e = e^(−|x|), σ(|x|) = 1/(1 + e), σ(−|x|) = e·σ(|x|).
 * @param {Block} b
 * @param {string} x
 * @returns {{ e: string, s: string, c: string, pos: string, sd: string }} e, σ(x), 1 − σ(x), the
 *   mask x ≥ 0 and σ(|x|)·σ(−|x|) = σ′(x)
 */
function logistic(b, x) {
  const { e } = exp(b, `(f32x4.neg ${abs(x)})`, 'e');
  b.note('sigma(x) = 1/(1 + e) for x >= 0, e/(1 + e) otherwise (NaN: the second)');
  const r = b.set('r', div(ONE, add(ONE, e)));
  const er = b.set('er', mul(e, r));
  const pos = b.set('pos', ge(x, ZERO));
  const s = b.set('s', select(r, er, pos));
  return { e, s, c: select(er, r, pos), pos, sd: mul(er, r) };
}

/**
 * elu-shaped functions: φ = x·scale for x > 0, else (scale·α)(eˣ − 1); φ′ = scale, or (scale·α)eˣ.
 * eˣ − 1 = (2ᵏ − 1) + 2ᵏ·q: for k = 0 that is q itself, accurate for tiny x, and 2ᵏ − 1 is exact
 * for k ≥ −24 (below, the sum is −1 to float32 precision). A scale other than 1 is applied in two
 * float32 parts, so x·scale is rounded once rather than carrying scale's own rounding (the small
 * part times pmin(x, MAX), so that ∞ stays ∞).
 * @param {Block} b
 * @param {string} x
 * @param {boolean} wantD
 * @param {number} scale - φ′ for x > 0
 * @param {string} neg - the factor of eˣ − 1 (a vector)
 */
function eluLike(b, x, wantD, scale, neg) {
  const { e, q, s1, s2 } = exp(b, x, 'e');
  const pos = b.set('pos', gt(x, ZERO));
  const p2 = b.set('p2', mul(s1, s2));
  const em1 = b.set('em1', add(sub(p2, ONE), mul(p2, q)));
  const hi = Math.fround(scale);
  const lin = scale === 1 ? x : add(mul(x, f4(hi)), mul(pmin(x, f4(MAX)), f4(scale - hi)));
  return {
    y: select(lin, mul(neg, em1), pos),
    d: wantD ? select(f4(scale), mul(neg, e), pos) : '',
  };
}

/**
 * @typedef {{ y: string, d: string }} Outputs - expressions of φ and φ′ ('' when φ′ is not wanted)
 * @typedef {(b: Block, x: string, wantD: boolean) => Outputs} Body
 */

/** @type {readonly { name: string, doc: string, body: Body }[]} */
const KERNELS = [
  {
    name: 'linear',
    doc: "f = x, f' = 1",
    body: (_b, x) => ({ y: x, d: ONE }),
  },
  {
    name: 'relu',
    doc: "f = x > 0 or x is NaN ? x : 0 (NaN stays NaN), f' = x > 0 ? 1 : 0 (relu'(0) = relu'(NaN) = 0)",
    body: (b, x) => {
      const pos = b.set('pos', gt(x, ZERO));
      return { y: and(x, or(pos, `(f32x4.ne ${x} ${x})`)), d: and(ONE, pos) };
    },
  },
  {
    name: 'leaky_relu',
    doc: "f = x > 0 ? x : alpha*x, f' = x > 0 ? 1 : alpha (NaN -> NaN, alpha)",
    body: (b, x) => {
      const pos = b.set('pos', gt(x, ZERO));
      return { y: select(x, mul(ALPHA, x), pos), d: select(ONE, ALPHA, pos) };
    },
  },
  {
    name: 'tanh',
    doc: "f = tanh x, f' = 1 - tanh^2 x = q(2 - q) with q = 1 - |tanh x|",
    body: (b, x, wantD) => {
      const ax = b.set('ax', abs(x));
      const small = b.set('small', lt(ax, f4(TANH_SMALL)));
      b.note(`|x| < ${TANH_SMALL}: x + x^3*P(x^2)`);
      const z = b.set('z', mul(x, x));
      const poly = b.horner('ts', z, TANH_P);
      const ts = b.set('ts', add(x, mul(x, mul(z, poly))));
      b.note('otherwise: q = 1 - |tanh x| = 2/(e^(2|x|) + 1), sign of x (inf: q = 0)');
      const { e } = exp(b, add(ax, ax), 'e');
      const qb = b.set('qb', div(f4(2), add(e, ONE)));
      const tb = or(sub(ONE, qb), and(x, SIGN));
      const t = select(ts, tb, small);
      if (!wantD) return { y: t, d: '' };
      const q = b.set('q', select(sub(ONE, abs(ts)), qb, small));
      return { y: t, d: mul(q, sub(f4(2), q)) };
    },
  },
  {
    name: 'sigmoid',
    doc: "f = sigma(x), f' = sigma(x)*sigma(-x)",
    body: (b, x) => {
      const { s, sd } = logistic(b, x);
      return { y: s, d: sd };
    },
  },
  {
    name: 'selu',
    doc: `f = s*x for x > 0, s*a*(e^x - 1) otherwise; f' = s or s*a*e^x (s = ${SELU_SCALE}, a = ${SELU_ALPHA})`,
    body: (b, x, wantD) => eluLike(b, x, wantD, SELU_SCALE, f4(SELU_SCALE * SELU_ALPHA)),
  },
  {
    name: 'elu',
    doc: "f = x for x > 0, alpha*(e^x - 1) otherwise; f' = 1 or alpha*e^x (elu'(0) = alpha)",
    body: (b, x, wantD) => eluLike(b, x, wantD, 1, ALPHA),
  },
  {
    name: 'gelu',
    doc: "f = x*Phi(x), f' = Phi(x) + x*phi(x): Phi the normal CDF (exact erf form), phi its density",
    body: (b, x, wantD) => {
      b.note(
        'lo = Phi(-|x|) = erfc(z)/2, z = |x|/sqrt(2): accurate relative to its size in the far tail',
      );
      const z2 = b.set('z2', mul(f4(0.5), mul(x, x)));
      const t = b.set('t', div(ONE, add(ONE, mul(abs(x), f4(0.5 * Math.SQRT1_2)))));
      const poly = b.horner('g', t, ERFC_P);
      const { e: erfcExp } = exp(b, sub(poly, z2), 'q');
      const lo = b.set('lo', mul(mul(f4(0.5), t), erfcExp));
      b.note('Phi(x) = x < 0 ? lo : 1 - lo; f = x*lo or x - x*lo (one rounding near f = x);');
      b.note('as in the engine, -inf*Phi(-inf) = -inf*0 gives NaN, while f(+inf) = +inf');
      const neg = b.set('neg', lt(x, ZERO));
      const y = select(mul(x, lo), sub(x, mul(pmin(x, f4(MAX)), lo)), neg);
      if (!wantD) return { y, d: '' };
      const cdf = b.set('cdf', select(lo, sub(ONE, lo), neg));
      const { e: dens } = exp(b, `(f32x4.neg ${z2})`, 'e');
      return { y, d: add(cdf, mul(mul(x, f4(SQRT1_2PI)), dens)) };
    },
  },
  {
    name: 'silu',
    doc: "f = x*sigma(x), f' = sigma(x)*(1 + x*(1 - sigma(x)))",
    body: (b, x) => {
      const { s, c: oneMinus, pos } = logistic(b, x);
      const c = b.set('c', oneMinus);
      b.note(
        'f = x - x*(1 - sigma(x)) for x >= 0 (one rounding near f = x; +inf -> +inf), x*sigma(x) otherwise',
      );
      const y = select(sub(x, mul(pmin(x, f4(MAX)), c)), mul(x, s), pos);
      return { y, d: mul(s, add(ONE, mul(x, c))) };
    },
  },
  {
    name: 'softplus',
    doc: "f = max(x, 0) + log1p(e^-|x|), f' = sigma(x)",
    body: (b, x) => {
      const { e, s } = logistic(b, x);
      b.note('log1p(e) = 2*atanh(u), u = e/(2 + e) in [0, 1/3]: 2u + u^3*P(u^2)');
      const u = b.set('u', div(e, add(f4(2), e)));
      const u2 = b.set('u2', mul(u, u));
      const poly = b.horner('l', u2, LOG1P_P);
      const l = b.set('l', add(add(u, u), mul(u, mul(u2, poly))));
      return { y: add(pmax(x, ZERO), l), d: s };
    },
  },
  {
    name: 'exp',
    doc: "f = f' = e^x",
    body: (b, x) => {
      const { e } = exp(b, x, 'e');
      return { y: e, d: e };
    },
  },
];

/**
 * Indents lines of WAT.
 * @param {readonly string[]} lines
 * @param {number} depth - spaces
 */
const indent = (lines, depth) => lines.map((l) => ' '.repeat(depth) + l).join('\n');

/**
 * One exported kernel: a loop over whole vectors (one version storing φ′, one not), then the
 * tail of n mod 4 elements through the same code, lane by lane.
 * @param {{ name: string, doc: string, body: Body }} kernel
 */
function kernelFunc({ name, doc, body }) {
  /**
   * The body on `$v` into `$fy` (and `$fd`).
   * @param {boolean} wantD
   */
  const compute = (wantD) => {
    const b = new Block();
    const out = body(b, '(local.get $v)', wantD);
    b.set('fy', out.y);
    if (wantD) b.set('fd', out.d);
    return b;
  };
  const both = compute(true);
  const yOnly = compute(false);
  const locals = [...new Set(['v', 'a', ...both.locals, ...yOnly.locals])];
  /** @param {boolean} wantD */
  const loop = (wantD) => [
    '(block $done (loop $next',
    '  (br_if $done (i32.ge_u (local.get $x) (local.get $end)))',
    '  (local.set $v (v128.load (local.get $x)))',
    ...(wantD ? both : yOnly).lines.map((l) => `  ${l}`),
    '  (v128.store (local.get $y) (local.get $fy))',
    ...(wantD ? ['  (v128.store (local.get $d) (local.get $fd))'] : []),
    '  (local.set $x (i32.add (local.get $x) (i32.const 16)))',
    '  (local.set $y (i32.add (local.get $y) (i32.const 16)))',
    ...(wantD ? ['  (local.set $d (i32.add (local.get $d) (i32.const 16)))'] : []),
    '  (br $next)))',
  ];
  /** @param {string} out */
  const storeLanes = (out) => [
    `(f32.store (local.get $${out}) (f32x4.extract_lane 0 (local.get $f${out})))`,
    `(if (i32.ge_u (local.get $rem) (i32.const 2)) (then (f32.store offset=4 (local.get $${out}) (f32x4.extract_lane 1 (local.get $f${out})))))`,
    `(if (i32.eq (local.get $rem) (i32.const 3)) (then (f32.store offset=8 (local.get $${out}) (f32x4.extract_lane 2 (local.get $f${out})))))`,
  ];
  return `
  ;; ${name}: ${doc}
  (func (export "act_${name}") (param $x i32) (param $y i32) (param $d i32) (param $n i32) (param $alpha f32)
    (local $end i32) (local $rem i32)
    (local ${locals.map((l) => `$${l} v128`).join(') (local ')})
    (local.set $a (f32x4.splat (local.get $alpha)))
    ;; whole vectors: x advances to end = x + 16*floor(n/4)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (if (local.get $d)
      (then
${indent(loop(true), 8)})
      (else
${indent(loop(false), 8)}))
    ;; tail: the last n mod 4 elements, one lane at a time, through the same code
    (local.set $rem (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $rem) (then
      (local.set $v (f32x4.replace_lane 0 (v128.const i32x4 0 0 0 0) (f32.load (local.get $x))))
      (if (i32.ge_u (local.get $rem) (i32.const 2))
        (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $x))))))
      (if (i32.eq (local.get $rem) (i32.const 3))
        (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $x))))))
${indent(both.lines, 6)}
${indent(storeLanes('y'), 6)}
      (if (local.get $d) (then
${indent(storeLanes('d'), 8)}))))
  )`;
}

/**
 * The activation kernels' WAT module fields: one exported `act_<name>` per built-in activation
 * (linear, relu, leaky_relu, tanh, sigmoid, selu, elu, gelu, silu, softplus) and `act_exp`.
 * @returns {string}
 */
export function activationWat() {
  const text = `${KERNELS.map(kernelFunc).join('\n')}\n`;
  // wabt.js copies a string into its heap one byte per UTF-16 unit: keep the text ASCII.
  const bad = /[^\t\n -~]/u.exec(text);
  if (bad) throw new Error(`activationWat: non-ASCII ${JSON.stringify(bad[0])} in the WAT text`);
  return text;
}
