/**
 * A page's cells, run one at a time against one global scope, like a notebook: each cell is
 * evaluated as a script (indirect eval, strict mode), so its last expression's value comes back as the
 * script's completion value; its top-level bindings are then captured, and every later cell sees the
 * bindings of the cells above it (a later cell that declares the same name shadows it). The same code
 * runs in the cell worker and, at build time, in a Node `vm` context.
 *
 * @module
 */
import { compileCell, type CompiledCell, type SourcePosition } from './compile';
import { getExercise, type CheckResult } from './exercises/index';
import { formatValue, type OutputNode } from './format';
import { checkPlotSpec, PLOT_BRAND } from './plot';

/** Where cells run: a global object and a way to evaluate a script against it. */
export interface Realm {
  readonly global: Record<string, unknown>;
  /** Evaluates a script in the realm's global scope and returns its completion value. */
  evaluate(program: string): unknown;
}

export type LogLevel = 'log' | 'info' | 'warn' | 'error';

export type OutputItem =
  | { readonly kind: 'log'; readonly level: LogLevel; readonly parts: readonly OutputNode[] }
  | { readonly kind: 'display'; readonly node: OutputNode }
  | { readonly kind: 'value'; readonly node: OutputNode };

export interface CellError {
  readonly kind: 'syntax' | 'runtime';
  readonly name: string;
  readonly message: string;
  /** The place in the reader's code, when known. */
  readonly at: SourcePosition | null;
}

export interface RunResult {
  readonly ok: boolean;
  readonly outputs: readonly OutputItem[];
  readonly error: CellError | null;
  /** The exercise's checks, when the cell carries one and ran without error. */
  readonly checks: readonly CheckResult[] | null;
  readonly ms: number;
}

const CAPTURE = '__initbookCapture';
const fileOf = (index: number) => `initbook-cell-${index + 1}.js`;

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

export class Session {
  readonly #realm: Realm;
  readonly #builtins: Readonly<Record<string, unknown>>;
  readonly #bindings = new Map<number, Record<string, unknown>>();
  #injected = new Map<string, unknown>();

  constructor(realm: Realm, builtins: Readonly<Record<string, unknown>>) {
    this.#realm = realm;
    this.#builtins = builtins;
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

  /** Runs one cell. Throws only when the realm itself fails (a build-time time-out, say). */
  run(index: number, source: string, exerciseId: string | null = null): RunResult {
    const started = performance.now();
    const outputs: OutputItem[] = [];
    const done = (error: CellError | null, checks: readonly CheckResult[] | null = null) => ({
      ok: error === null,
      outputs,
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
    const log =
      (level: LogLevel) =>
      (...args: unknown[]) => {
        outputs.push({ kind: 'log', level, parts: args.map((a) => formatValue(a)) });
      };
    global['console'] = {
      log: log('log'),
      info: log('info'),
      debug: log('log'),
      warn: log('warn'),
      error: log('error'),
      table: (value: unknown) => outputs.push({ kind: 'display', node: formatValue(value) }),
    };
    global['display'] = (value: unknown) => {
      outputs.push({ kind: 'display', node: formatValue(value) });
    };
    global['plot'] = (spec: unknown) => ({ [PLOT_BRAND]: checkPlotSpec(spec) });
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
    if (value !== undefined) outputs.push({ kind: 'value', node: formatValue(value) });
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
