/**
 * What the formula worker does: analyse one activation formula per request (parsing, derivative,
 * TeX, kinks), with a formula's problems returned as values, so their column survives the trip.
 *
 * @module
 */
import { analyseFormula, FormulaError } from '../formula/activation-formula.ts';
import type { FormulaReply, FormulaWorkerApi } from './formula-analyser.ts';

export const formulaWorkerApi: FormulaWorkerApi = {
  analyse(text: string, param: string): FormulaReply {
    try {
      return { ok: true, analysis: analyseFormula(text, param) };
    } catch (error) {
      if (error instanceof FormulaError) {
        return { ok: false, message: error.message, column: error.column };
      }
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  },
};
