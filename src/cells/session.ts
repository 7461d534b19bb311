/**
 * A page's cells, run one at a time against one global scope, like a notebook: each cell is
 * evaluated as a script (indirect eval, strict mode), so its last expression's value comes back as the
 * script's completion value; its top-level bindings are then captured, and every later cell sees the
 * bindings of the cells above it (a later cell that declares the same name shadows it). The same code
 * runs in the cell worker and, at build time, in a Node `vm` context.
 *
 * What a cell's timers and promises print or throw after its run is kept with the cell (src/cells/runs.ts)
 * and handed over by {@link Session.takeLate}; outputs are capped (src/cells/output.ts).
 *
 * @module
 */
import { compileCell, type CompiledCell, type SourcePosition } from './compile';
import { getExercise, type CheckResult } from './exercises/index';
import type { Elided, LogLevel, OutputItem } from './output';
import { checkPlotSpec, PLOT_BRAND } from './plot';
import {
  fileOf,
  Runs,
  type EscapedError,
  type LateSource,
  type RunState,
  type TimerFunctions,
} from './runs';

export type { LogLevel, OutputItem } from './output';

/** Where cells run: a global object and a way to evaluate a script against it. */
export interface Realm {
  readonly global: Record<string, unknown>;
  /** Evaluates a script in the realm's global scope and returns its completion value. */
  evaluate(program: string): unknown;
}

export interface CellError {
  /** A syntax error, an error of the run, or one thrown later by code the run left behind. */
  readonly kind: 'syntax' | 'runtime' | LateSource;
  readonly name: string;
  readonly message: string;
  /** The place in the reader's code, when known. */
  readonly at: SourcePosition | null;
}

/** What a run shows, and what it left out (see src/cells/output.ts). */
export interface RunOutput {
  readonly outputs: readonly OutputItem[];
  /** Plain text for the download, once something is left out (else empty): see OutputBatch. */
  readonly text: Uint8Array<ArrayBuffer>;
  readonly elided: Elided | null;
}

export interface RunResult extends RunOutput {
  /** This run, among the page's runs: late output names it. */
  readonly run: number;
  readonly ok: boolean;
  readonly error: CellError | null;
  /** The exercise's checks, when the cell carries one and ran without error. */
  readonly checks: readonly CheckResult[] | null;
  readonly ms: number;
}

/** Output and errors that a run's timers and promises produced after it returned. */
export interface LateOutput extends RunOutput {
  readonly index: number;
  readonly run: number;
  readonly errors: readonly CellError[];
}

/** What the worker gives a session so that late output reaches the page. */
export interface LateOptions {
  /** The realm's own timers: cells get wrapped ones that remember their run. */
  readonly timers: TimerFunctions;
  /** Called when late output is waiting: call {@link Session.takeLate} soon. */
  readonly onLate: () => void;
}

const CAPTURE = '__initbookCapture';

/** Wraps compiled code so the completion value survives and the top-level bindings are captured. */
export function programFor(compiled: CompiledCell, index: number): string {
  // Line 1 is the directive, so the reader's line n is line n + 1 of the program. A `var` statement
  // has no completion value: the script still evaluates to the cell's last expression.
  return `"use strict";\n${compiled.js}\n;var __initbookDone = ${CAPTURE}({${compiled.names.join(', ')}});\n//# sourceURL=${fileOf(index)}`;
}

/** The reader's line of the innermost stack frame in the cell (frames in the engine are skipped). */
export function errorPosition(error: unknown, index: number): SourcePosition | null {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return null;
  const file = fileOf(index).replace(/[.]/g, '\\.');
  const match = new RegExp(`${file}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return null;
  return { line: Number(match[1]) - 1, column: Number(match[2]) };
}

function describeError(error: unknown): { name: string; message: string } {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const e = error as { name?: unknown; message?: unknown };
    return { name: String(e.name ?? 'Error'), message: String(e.message) };
  }
  return { name: 'Thrown value', message: String(error) };
}

function lateError({ error, source }: EscapedError, index: number): CellError {
  return { kind: source, ...describeError(error), at: errorPosition(error, index) };
}

export class Session {
  readonly #realm: Realm;
  readonly #builtins: Readonly<Record<string, unknown>>;
  readonly #bindings = new Map<number, Record<string, unknown>>();
  readonly #runs: Runs;
  /** The globals every run gets (console, display, plot, timers): they write to the current run. */
  readonly #runGlobals: Record<string, unknown>;
  #injected = new Map<string, unknown>();

  constructor(
    realm: Realm,
    builtins: Readonly<Record<string, unknown>>,
    late: LateOptions | null = null,
  ) {
    this.#realm = realm;
    this.#builtins = builtins;
    this.#runs = new Runs(late?.timers ?? null, late?.onLate ?? (() => undefined));
    const log =
      (level: LogLevel) =>
      (...args: unknown[]) =>
        this.#write((output) => output.log(level, args));
    const display = (value: unknown) => this.#write((output) => output.show('display', value));
    this.#runGlobals = {
      console: {
        log: log('log'),
        info: log('info'),
        debug: log('log'),
        warn: log('warn'),
        error: log('error'),
        table: display,
      },
      display,
      plot: (spec: unknown) => ({ [PLOT_BRAND]: checkPlotSpec(spec) }),
      ...this.#runs.timerGlobals(),
    };
  }

  /** Drops a cell's bindings (its code changed and has not run again). */
  forget(index: number): void {
    this.#bindings.delete(index);
  }

  /** Names a cell at `index` can see: the engine API, then earlier cells' bindings in page order. */
  scopeFor(index: number): Map<string, unknown> {
    const scope = new Map(Object.entries(this.#builtins));
    for (const i of [...this.#bindings.keys()].sort((a, b) => a - b)) {
      if (i >= index) break;
      for (const [name, value] of Object.entries(this.#bindings.get(i) ?? {}))
        scope.set(name, value);
    }
    return scope;
  }

  #install(scope: Map<string, unknown>): void {
    const global = this.#realm.global;
    for (const name of this.#injected.keys()) if (!scope.has(name)) delete global[name];
    for (const [name, value] of scope) global[name] = value;
    this.#injected = scope;
  }

  #write(add: (output: RunState['output']) => void): void {
    const state = this.#runs.current();
    if (!state) return;
    add(state.output);
    this.#runs.added(state);
  }

  /** An error that escaped the cells' late code: the worker's error and unhandledrejection events. */
  escaped(error: unknown, source: 'promise' | 'callback'): void {
    this.#runs.escaped(error, source);
  }

  /** Late output and errors gathered since the last call, one entry per run. */
  takeLate(): LateOutput[] {
    return this.#runs.takeLate().map(({ state, batch, errors }) => ({
      index: state.index,
      run: state.id,
      ...batch,
      errors: errors.map((e) => lateError(e, state.index)),
    }));
  }

  /** Runs one cell. Throws only when the realm itself fails (a build-time time-out, say). */
  run(index: number, source: string, exerciseId: string | null = null): RunResult {
    const state = this.#runs.start(index);
    try {
      return this.#run(state, source, exerciseId);
    } finally {
      this.#runs.end(state);
    }
  }

  #run(state: RunState, source: string, exerciseId: string | null): RunResult {
    const { index } = state;
    const started = performance.now();
    const done = (error: CellError | null, checks: readonly CheckResult[] | null = null) => ({
      run: state.id,
      ok: error === null,
      ...state.output.take(),
      error,
      checks,
      ms: Math.round(performance.now() - started),
    });
    const compiled = compileCell(source);
    if (!compiled.ok) {
      return done({
        kind: 'syntax',
        name: 'SyntaxError',
        message: compiled.message,
        at: compiled.at,
      });
    }
    const scope = this.scopeFor(index);
    this.#install(scope);
    const global = this.#realm.global;
    Object.assign(global, this.#runGlobals);
    let captured: Record<string, unknown> | null = null;
    global[CAPTURE] = (bindings: Record<string, unknown>) => {
      captured = bindings;
    };
    let value: unknown;
    try {
      value = this.#realm.evaluate(programFor(compiled, index));
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
        throw error;
      const { name, message } = describeError(error);
      let at = errorPosition(error, index);
      const redeclared = /^Identifier '(.+)' has already been declared/.exec(message);
      if (!at && redeclared) {
        at = compiled.declarations.filter((d) => d.name === redeclared[1])[1]?.at ?? null;
      }
      return done({ kind: name === 'SyntaxError' ? 'syntax' : 'runtime', name, message, at });
    }
    const bindings: Record<string, unknown> = { ...(captured ?? {}) };
    // An earlier cell's binding reassigned here (`total += 1`) is carried forward from this cell.
    for (const [name, before] of scope) {
      if (!(name in bindings) && global[name] !== before) bindings[name] = global[name];
    }
    this.#bindings.set(index, bindings);
    if (value !== undefined) state.output.show('value', value);
    if (!exerciseId) return done(null);
    const exercise = getExercise(exerciseId);
    const fn = bindings[exercise.entry];
    const checks = exercise.check(fn, (error) => {
      const { message } = describeError(error);
      const at = errorPosition(error, index);
      return at ? `${message} (line ${at.line} of your code)` : message;
    });
    return done(null, checks);
  }
}
