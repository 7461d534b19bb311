/**
 * The error every formula problem throws: kept apart from the parser, so code that only reports
 * formula problems (the formula worker's client) does not load mathjs.
 *
 * @module
 */

/** A problem with the formula, at a 1-based column of the text. */
export class FormulaError extends Error {
  /** The parameter the formula came from (for figures: the schema key). */
  readonly param: string;
  /** 1-based column of the problem in the formula text. */
  readonly column: number;

  constructor(message: string, column: number, param = 'formula') {
    super(message);
    this.name = 'FormulaError';
    this.param = param;
    this.column = column;
  }
}
