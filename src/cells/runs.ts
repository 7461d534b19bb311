/**
 * Runs of cells and what they leave behind. A cell's code can still run after its run returned: a
 * timer fires, a promise settles. Whatever it prints or throws then belongs to the cell whose code it
 * is, so it is kept with that cell's latest run and handed over later ({@link Runs.takeLate}).
 *
 * Who owns late work: a timer started through the realm's `setTimeout`/`setInterval` belongs to the
 * run that started it (they are wrapped here); anything else (a promise callback, an error event) is
 * traced through its stack to the outermost frame in a cell's script (`initbook-cell-N.js`), and
 * failing that, to the cell that ran last. A cell that runs again stops the timers of its previous
 * run, and what they would still print is dropped.
 *
 * @module
 */
import { CappedOutput, type OutputBatch } from './output';

/** The key of the worker's messages that carry late output to the page. */
export const LATE_MESSAGE = 'initbookLateOutput';

/** The realm's own timer functions, which the wrapped ones call. */
export interface TimerFunctions {
  setTimeout(handler: () => void, ms?: number): number;
  setInterval(handler: () => void, ms?: number): number;
  clearTimeout(id: number): void;
}

export interface RunState {
  readonly index: number;
  /** Tells runs apart across the page (1, 2, …). */
  readonly id: number;
  readonly output: CappedOutput;
  readonly timers: Set<number>;
  /** False while the run's own code executes; after that, output is late. */
  ended: boolean;
  /** Late errors not handed over yet. */
  errors: EscapedError[];
}

/** Where a late error came from: a timer's callback, a rejected promise nobody handled, elsewhere. */
export type LateSource = 'timer' | 'promise' | 'callback';

export interface EscapedError {
  readonly error: unknown;
  readonly source: LateSource;
}

/** Late output of one run, with the errors its late code threw (not yet described). */
export interface LateWork {
  readonly state: RunState;
  readonly batch: OutputBatch;
  readonly errors: readonly EscapedError[];
}

/** The script name of cell `index`, which its stack frames carry (see programFor). */
export const fileOf = (index: number) => `initbook-cell-${index + 1}.js`;
const CELL_FRAME = /initbook-cell-(\d+)\.js:\d+:\d+/g;

/** The index of the outermost cell frame in a stack, if any. */
export function cellOfStack(stack: unknown): number | null {
  if (typeof stack !== 'string') return null;
  const frames = [...stack.matchAll(CELL_FRAME)];
  const last = frames.at(-1);
  return last ? Number(last[1]) - 1 : null;
}

export class Runs {
  readonly #latest = new Map<number, RunState>();
  readonly #pending = new Set<RunState>();
  readonly #onLate: () => void;
  readonly #timers: TimerFunctions | null;
  #active: RunState | null = null;
  #last: RunState | null = null;
  #nextId = 1;

  constructor(timers: TimerFunctions | null, onLate: () => void) {
    this.#timers = timers;
    this.#onLate = onLate;
  }

  /** Starts a run of cell `index`, ending what its previous run left going. */
  start(index: number): RunState {
    const previous = this.#latest.get(index);
    if (previous) {
      for (const id of previous.timers) this.#timers?.clearTimeout(id);
      this.#pending.delete(previous);
    }
    const state: RunState = {
      index,
      id: this.#nextId++,
      output: new CappedOutput(),
      timers: new Set(),
      ended: false,
      errors: [],
    };
    this.#latest.set(index, state);
    this.#active = state;
    this.#last = state;
    return state;
  }

  /** The run's own code is done: what it prints from now on is late. */
  end(state: RunState): void {
    state.ended = true;
    if (this.#active === state) this.#active = null;
  }

  /** The run the code executing now belongs to. */
  current(): RunState | null {
    // Capturing a stack costs a little, so only late code without a known owner pays it.
    return this.#active ?? this.#ofStack(new Error().stack);
  }

  /** Call after adding output to `state`: late output is announced. */
  added(state: RunState): void {
    if (state.ended) this.#announce(state);
  }

  /** An error that escaped late code (a timer's callback, an error event, an unhandled rejection). */
  escaped(error: unknown, source: LateSource, owner: RunState | null = null): void {
    const state = owner ?? this.#ofStack((error as { stack?: unknown } | null)?.stack);
    if (!state) return;
    state.errors.push({ error, source });
    this.#announce(state);
  }

  /** Late output and errors gathered since the last call, one entry per run. */
  takeLate(): LateWork[] {
    const work = [...this.#pending].map((state) => {
      const errors = state.errors;
      state.errors = [];
      return { state, batch: state.output.take(), errors };
    });
    this.#pending.clear();
    return work;
  }

  /** `setTimeout` and `setInterval` for the realm: their callbacks run as their run's code. */
  timerGlobals(): Record<string, unknown> {
    const timers = this.#timers;
    if (!timers) return {};
    const wrap =
      (repeat: boolean) =>
      (handler: unknown, ms?: number, ...args: unknown[]): number => {
        const owner = this.current();
        if (typeof handler !== 'function' || !owner) {
          // A string handler is evaluated by the realm; it has no cell to answer to.
          return (repeat ? timers.setInterval : timers.setTimeout)(handler as () => void, ms);
        }
        const call = () => {
          if (!repeat) owner.timers.delete(id);
          this.#within(owner, () => (handler as (...a: unknown[]) => unknown)(...args));
        };
        const id = repeat ? timers.setInterval(call, ms) : timers.setTimeout(call, ms);
        owner.timers.add(id);
        return id;
      };
    return { setTimeout: wrap(false), setInterval: wrap(true) };
  }

  #within(owner: RunState, fn: () => void): void {
    if (this.#latest.get(owner.index) !== owner) return; // the cell ran again since
    const outer = this.#active;
    this.#active = owner;
    try {
      fn();
    } catch (error) {
      this.escaped(error, 'timer', owner);
    } finally {
      this.#active = outer;
    }
  }

  #ofStack(stack: unknown): RunState | null {
    const index = cellOfStack(stack);
    return (index === null ? null : this.#latest.get(index)) ?? this.#last;
  }

  #announce(state: RunState): void {
    if (this.#latest.get(state.index) !== state || this.#pending.has(state)) return;
    this.#pending.add(state);
    this.#onLate();
  }
}
