/** One statistical or structural check of a reader's answer. */
export interface CheckResult {
  readonly name: string;
  readonly pass: boolean;
  /** What was measured, and on failure a hint aimed at the likely mistake. */
  readonly message: string;
}

/** Turns an error thrown by the reader's function into a message with the line in their code. */
export type DescribeError = (error: unknown) => string;

/** An exercise: the function a cell must define, and the checks its answer must pass. */
export interface Exercise {
  readonly id: string;
  /** The name the cell must bind at its top level. */
  readonly entry: string;
  readonly title: string;
  check(fn: unknown, describeError: DescribeError): CheckResult[];
}
