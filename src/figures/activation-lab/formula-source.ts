/**
 * Where the activation lab gets its compiled formula. The analysis (parsing, the derivative, its
 * tidying and TeX, the kinks, the finiteness check) is the part whose cost depends on what a reader
 * types, and it cannot be interrupted: in the engine worker it is sent to a formula worker that can
 * be stopped ({@link setFormulaAnalyser}, installed by `engine.worker.ts`), and the run waits for
 * it without blocking the engine worker, so other figures go on. Only then does the engine worker
 * build φ and φ′ itself, a smaller part of the same work. Elsewhere (the static build, tests) the
 * formula is compiled in place.
 *
 * The last formula is kept: moving a slider does not analyse the formula again.
 *
 * @module
 */
import { driverWaits } from '../../worker/split';
import type { MathNode } from 'mathjs';
import type { CompiledFormula, FormulaAnalysis } from '../../formula/activation-formula';

/** Analyses a formula elsewhere; `cancel` stops the analysis (and its worker) if it still runs. */
export type FormulaAnalyser = (
  text: string,
  param: string,
) => { readonly result: Promise<FormulaAnalysis>; readonly cancel: () => void };

let analyser: FormulaAnalyser | null = null;
let compiler: typeof import('../../formula/activation-formula') | undefined;
let last: CompiledFormula | undefined;

/** Installs (or, with null, removes) the analyser the lab waits for. */
export function setFormulaAnalyser(next: FormulaAnalyser | null): void {
  analyser = next;
}

/** Loads the formula compiler (mathjs), once: only the lab pays for it. */
export async function loadFormulaCompiler(): Promise<void> {
  compiler ??= await import('../../formula/activation-formula');
}

/**
 * The compiled formula for `text`: from the analyser when one is installed and the driver waits,
 * else compiled here.
 * @throws FormulaError for a bad formula, or one too complex to analyse in the time limit
 */
export function* labFormula(text: string, param: string): Generator<unknown, CompiledFormula> {
  if (!compiler) throw new Error('activation-lab: call prepare() before compute()');
  if (last?.text === text) return last;
  const remote = analyser;
  let compiled: CompiledFormula;
  if (remote && (yield* driverWaits())) {
    const job = remote(text, param);
    let answered = false;
    try {
      const analysis = (yield { awaiting: job.result }) as FormulaAnalysis;
      answered = true;
      compiled = { ...analysis, ...compiler.formulaFunctions(text, param) };
    } finally {
      // Superseded or cancelled while the analysis runs: stop it.
      if (!answered) job.cancel();
    }
  } else {
    compiled = compiler.compileFormula(text, param);
  }
  last = compiled;
  return compiled;
}

/**
 * The formula compiled here (the last one, when it is the same text), with the trees of φ and φ′:
 * for the lab's "Copy as PyTorch", after `prepare`.
 * @throws FormulaError for a bad formula
 */
export function labFormulaNow(text: string, param: string) {
  if (!compiler) throw new Error('activation-lab: call prepare() before pytorch()');
  const compiled = last?.text === text ? last : compiler.compileFormula(text, param);
  // Kept like `last`: a slider move writes the script again for the same formula.
  if (lastTrees?.text !== text) lastTrees = { text, ...compiler.formulaTrees(text, param) };
  return { compiled, root: lastTrees.root, derivative: lastTrees.derivative };
}

let lastTrees:
  { readonly text: string; readonly root: MathNode; readonly derivative: MathNode } | undefined;
