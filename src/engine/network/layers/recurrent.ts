/**
 * One layer of nn.RNN (tanh or relu), nn.LSTM or nn.GRU with batch_first=True over a sequence
 * `[steps, features]` → `[steps, hidden]`: h_0 = c_0 = 0, every step's hidden state returned,
 * gradients by backpropagation through time.
 *
 * Parameters, in PyTorch's registration order (which is the order `reset_parameters` draws them:
 * it loops over `self.parameters()`): weight_ih_l0 (G·H, F), weight_hh_l0 (G·H, H), bias_ih_l0 (G·H),
 * bias_hh_l0 (G·H), G = 1, 4, 3 gates; all four default to U(±1/√hidden). `forgetBias` (LSTM)
 * then sets bias_ih's forget slice [H, 2H) to the value and bias_hh's to 0, so the total forget
 * bias is the value (Jozefowicz, Zaremba & Sutskever 2015, "An Empirical Exploration of Recurrent
 * Network Architectures", recommend 1).
 *
 * Dense products through the kernels: the input projections of all steps in one product, the
 * recurrent product once per step (forward and backward), the weight gradients in one product each.
 *
 * @module
 */
import type { InitSpec } from '../../init';
import {
  boolField,
  choiceField,
  expectRank,
  initFields,
  intField,
  layerError,
  numberField,
  type Builder,
  type Leaf,
  type ParamDecl,
} from '../layer';
import { addBias, biasGrad } from './dense-ops';
import { backwardStep, forwardStep, GATES, type CellKind } from './recurrent-cells';

const CELLS: readonly CellKind[] = ['tanh', 'relu', 'lstm', 'gru'];

interface Cache {
  /** Activated gates of every (sample, step), rows b·T + t of width G·H. */
  readonly gates: Float32Array;
  /** LSTM: c_t; GRU: W_hn·h_{t−1} + b_hn; rows b·T + t of width H. */
  readonly aux: Float32Array;
}

/** Rows b·T + t − 1 of y (zeros at t = 0) copied into a batch × H buffer: h_{t−1}. */
function gatherPrev(
  y: Float32Array,
  out: Float32Array,
  B: number,
  T: number,
  H: number,
  t: number,
) {
  if (t === 0) {
    out.fill(0);
    return;
  }
  for (let b = 0; b < B; b++) out.set(y.subarray((b * T + t - 1) * H, (b * T + t) * H), b * H);
}

/**
 * Builds a `{ type: 'recurrent', cell, hidden, weightInit?, recurrentInit?, biasInit?, forgetBias?,
 * bias? }` layer on a `[steps, features]` input (see the module notes for the parameters).
 * @throws EngineInputError naming the layer's path and field (a non-sequence input, an unknown
 *   cell, forgetBias on a cell other than 'lstm' or without biases, a bad initializer)
 */
export const buildRecurrent: Builder = (spec, inShape, path) => {
  expectRank(path, 'recurrent', inShape, [2], 'a sequence of shape [steps, features]');
  const [T, F] = inShape as [number, number];
  const cell = choiceField(spec, path, 'cell', CELLS);
  const H = intField(spec, path, 'hidden');
  const hasBias = boolField(spec, path, 'bias', true);
  const G = GATES[cell] * H;
  let forget: number | null = null;
  if (spec['forgetBias'] !== undefined) {
    if (cell !== 'lstm') {
      throw layerError(path, 'forgetBias', spec['forgetBias'], "absent unless cell is 'lstm'");
    }
    if (!hasBias) {
      throw layerError(path, 'forgetBias', spec['forgetBias'], 'absent when bias is false');
    }
    forget = numberField(spec, path, 'forgetBias', 0);
  }
  const k = 1 / Math.sqrt(H);
  const fallback: InitSpec = { name: 'uniform', a: -k, b: k };
  const ctx = { fanIn: H };
  const params: ParamDecl[] = [
    {
      name: 'weight_ih_l0',
      shape: [G, F],
      ...initFields(spec, path, 'weightInit', fallback, [G, F]),
    },
    {
      name: 'weight_hh_l0',
      shape: [G, H],
      ...initFields(spec, path, 'recurrentInit', fallback, [G, H]),
      main: true,
    },
  ];
  if (hasBias) {
    const init = initFields(spec, path, 'biasInit', fallback, [G], ctx);
    const slice = (v: number) => (d: Float32Array) => d.fill(v, H, 2 * H);
    params.push(
      {
        name: 'bias_ih_l0',
        shape: [G],
        ...init,
        context: ctx,
        ...(forget === null ? {} : { after: slice(forget) }),
      },
      {
        name: 'bias_hh_l0',
        shape: [G],
        ...init,
        context: ctx,
        ...(forget === null ? {} : { after: slice(0) }),
      },
    );
  }
  const shape = { steps: T, hidden: H };
  const auxWidth = cell === 'lstm' || cell === 'gru' ? H : 0;
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'recurrent',
    inShape,
    outShape: [T, H],
    params,
    saturation: cell === 'relu' ? 'none' : 'tanh',
    // Forward: gates, aux, output, per-step copies, two step buffers; backward: dp, dr for all
    // steps, h_{t−1} for all steps, ∂L/∂x, per-step gradients, four step buffers.
    cost: (batch) =>
      batch * T * (G + auxWidth + 2 * H) +
      batch * (G + H) +
      batch * T * (2 * G + 2 * H + F) +
      batch * (G + 4 * H),
    forward(x, [wih, whh, bih, bhh], rc) {
      const B = rc.batch;
      const s = { ...shape, batch: B };
      const gates = new Float32Array(B * T * G);
      rc.kernels.matmul(x, wih!, gates, B * T, G, F);
      if (bih !== undefined) addBias(gates, bih, B * T, G);
      const aux = new Float32Array(B * T * auxWidth);
      const y = new Float32Array(B * T * H);
      const hPrev = new Float32Array(B * H);
      const r = new Float32Array(B * G);
      const steps: Float32Array[] = [];
      for (let t = 0; t < T; t++) {
        gatherPrev(y, hPrev, B, T, H, t);
        rc.kernels.matmul(hPrev, whh!, r, B, G, H);
        if (bhh !== undefined) addBias(r, bhh, B, G);
        forwardStep(cell, s, t, gates, r, hPrev, y, aux);
        const h = new Float32Array(B * H);
        gatherPrev(y, h, B, T, H, t + 1);
        steps.push(h);
      }
      const cache: Cache = { gates, aux };
      return rc.backward ? { y, cache, extras: { steps } } : { y, extras: { steps } };
    },
    backward(gy, x, y, cache, [wih, whh, bih], rc) {
      const B = rc.batch;
      const s = { ...shape, batch: B };
      const { gates, aux } = cache as Cache;
      const dp = new Float32Array(B * T * G);
      const drAll = new Float32Array(B * T * G);
      const prevAll = new Float32Array(B * T * H);
      const dh = new Float32Array(B * H);
      const next = new Float32Array(B * H);
      const dc = new Float32Array(B * H);
      const dr = new Float32Array(B * G);
      const direct = new Float32Array(B * H);
      const stepGrads: Float32Array[] = new Array<Float32Array>(T);
      for (let t = T - 1; t >= 0; t--) {
        for (let b = 0; b < B; b++) {
          const o = (b * T + t) * H;
          for (let j = 0; j < H; j++) dh[b * H + j] = gy[o + j]! + next[b * H + j]!;
        }
        stepGrads[t] = dh.slice();
        backwardStep(cell, s, t, gates, aux, y, dh, dc, dp, dr, direct);
        rc.kernels.matmulGradInput(dr, whh!, next, B, G, H);
        if (cell === 'gru') for (let i = 0; i < next.length; i++) next[i] = next[i]! + direct[i]!;
        for (let b = 0; b < B; b++) drAll.set(dr.subarray(b * G, (b + 1) * G), (b * T + t) * G);
      }
      for (let b = 0; b < B; b++) {
        const o = b * T * H;
        prevAll.set(y.subarray(o, o + (T - 1) * H), o + H);
      }
      const gx = new Float32Array(B * T * F);
      rc.kernels.matmulGradInput(dp, wih!, gx, B * T, G, F);
      const gwih = new Float32Array(G * F);
      rc.kernels.matmulGradWeight(dp, x, gwih, B * T, G, F);
      const gwhh = new Float32Array(G * H);
      rc.kernels.matmulGradWeight(drAll, prevAll, gwhh, B * T, G, H);
      const grads =
        bih === undefined
          ? [gwih, gwhh]
          : [gwih, gwhh, biasGrad(dp, B * T, G), biasGrad(drAll, B * T, G)];
      return { gx, grads, stepGrads };
    },
  };
  return leaf;
};
