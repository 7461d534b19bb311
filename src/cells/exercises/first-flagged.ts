/**
 * Exercise: write `firstFlagged(layers, input)`, the diagnosis tool's rule (src/diagnose/analyse.ts):
 * the number (from 1) of the first layer that leaves the stable range, or null. A layer leaves it
 * when its E[y²] is more than 10 times, or less than a tenth of, the input's E[x²], or when more than
 * half of its units are saturated, or more than half dead.
 *
 * The reference is the tool's own `diagnose` on the same statistics; the cases are built so each
 * typical mistake (a 0-based index, the ratio to the layer below instead of the input, forgetting
 * the saturated or the dead units) gives a different answer and so can be named.
 *
 * @module
 */
import { diagnose } from '../../diagnose/analyse';
import type { LayerStats, ModelStats } from '../../diagnose/format';
import { firstFailure } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

/** What the reader's function receives per layer. */
export interface LayerReading {
  readonly secondMoment: number;
  readonly saturated: number | null;
  readonly dead: number | null;
}

type Case = { readonly name: string; readonly input: number; readonly layers: LayerReading[] };

const layer = (secondMoment: number, saturated: number | null = 0, dead: number | null = 0) => ({
  secondMoment,
  saturated,
  dead,
});

/** Each case separates the right rule from one mistake. */
export const CASES: readonly Case[] = [
  {
    name: 'a healthy network',
    input: 1,
    layers: [layer(1), layer(0.8), layer(1.3), layer(0.9)],
  },
  {
    name: 'a signal that shrinks by 3 per layer',
    input: 1,
    layers: [layer(0.33), layer(0.11), layer(0.037), layer(0.012)],
  },
  {
    name: 'a signal that grows from a large input',
    input: 4,
    layers: [layer(9), layer(20), layer(45), layer(100)],
  },
  {
    name: 'dead ReLU units',
    input: 1,
    layers: [layer(0.9, null, 0.1), layer(0.7, null, 0.6), layer(0.5, null, 0.7)],
  },
  {
    name: 'saturated tanh units',
    input: 1,
    layers: [layer(2, 0.2), layer(3, 0.55), layer(3.5, 0.6)],
  },
];

function asStats(c: Case): ModelStats {
  const layers: LayerStats[] = c.layers.map((l, i) => ({
    name: `fc${i + 1}`,
    kind: 'Linear',
    fanIn: 256,
    fanOut: 256,
    weightVar: 2 / 256,
    biasVar: 0,
    activation: 'relu',
    inputSecondMoment: i === 0 ? c.input : c.layers[i - 1]!.secondMoment,
    forwardSecondMoment: l.secondMoment,
    gradSecondMoment: null,
    saturatedFraction: l.saturated,
    deadFraction: l.dead,
  }));
  return { model: c.name, batchSize: 64, loss: null, classes: null, layers };
}

/** The tool's answer for a case. */
export const referenceFlagged = (c: Case): number | null => diagnose(asStats(c)).firstFlagged;

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    runs: 'Returns a layer number or null for every case',
    value: 'Flags the same layer as the diagnosis tool',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(
      names.runs,
      'Define a function named firstFlagged(layers, input) at the top level.',
    );
  }
  const answers: (number | null)[] = [];
  for (const c of CASES) {
    let got: unknown;
    try {
      got = (fn as (l: LayerReading[], i: number) => unknown)(
        c.layers.map((l) => ({ ...l })),
        c.input,
      );
    } catch (error) {
      return fail(names.runs, `For ${c.name}, firstFlagged threw: ${describe(error)}`);
    }
    if (got !== null && !(typeof got === 'number' && Number.isInteger(got))) {
      return fail(
        names.runs,
        `For ${c.name}, firstFlagged returned ${String(got)}; expected a layer number (1 for the first) or null.`,
      );
    }
    answers.push(got);
  }
  results.push({ name: names.runs, pass: true, message: `${CASES.length} cases answered.` });
  for (const [i, c] of CASES.entries()) {
    const want = referenceFlagged(c);
    const got = answers[i]!;
    if (got === want) continue;
    const moments = c.layers.map((l) => String(l.secondMoment)).join(', ');
    const hint =
      want !== null && got === want - 1
        ? 'Off by one: number the layers from 1, as the tool and the chapter do.'
        : c.name.includes('dead')
          ? 'Count the dead units too: more than half of them dead flags the layer.'
          : c.name.includes('saturated')
            ? 'Count the saturated units too: more than half of them saturated flags the layer.'
            : c.name.includes('large input') || c.name.includes('shrinks')
              ? 'Compare each layer with the input’s E[x²], not with the layer below: a steady factor of 3 per layer never looks wrong from one layer to the next.'
              : 'A layer is flagged when E[y²]/E[x²] > 10 or < 0.1, or more than half of its units are saturated or dead.';
    return fail(
      names.value,
      `For ${c.name} (input E[x²] = ${c.input}; layers' E[y²] = ${moments}): you flagged ${got ?? 'none'}, the tool flags ${want ?? 'none'}. ${hint}`,
    );
  }
  results.push({
    name: names.value,
    pass: true,
    message: CASES.map((c, i) => `${c.name}: ${answers[i] ?? 'none'}`).join('; '),
  });
  return results;
}

export const firstFlagged: Exercise = {
  id: 'first-flagged',
  entry: 'firstFlagged',
  title: 'Write firstFlagged(layers, input)',
  check: checkAnswer,
};
