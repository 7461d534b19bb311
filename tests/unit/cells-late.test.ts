import { describe, expect, it } from 'vitest';
import { createNodeRealm } from '../../src/cells/node-realm';
import { cellOfStack } from '../../src/cells/runs';
import { CELL_BUILTINS } from '../../src/cells/scope';
import { Session } from '../../src/cells/session';

/** Timers that fire only when the test says, in the order they were started. */
function manualTimers() {
  const due = new Map<number, { fn: () => void; repeat: boolean }>();
  let next = 1;
  const start = (repeat: boolean) => (fn: () => void) => {
    due.set(next, { fn, repeat });
    return next++;
  };
  return {
    timers: {
      setTimeout: start(false),
      setInterval: start(true),
      clearTimeout: (id: number) => void due.delete(id),
    },
    /** Fires every timer due now once (an interval stays due). */
    tick() {
      for (const [id, { fn, repeat }] of [...due]) {
        if (!repeat) due.delete(id);
        fn();
      }
    },
    get pending() {
      return due.size;
    },
  };
}

function lateSession() {
  const clock = manualTimers();
  let announced = 0;
  const session = new Session(createNodeRealm(2000), CELL_BUILTINS, {
    timers: clock.timers,
    onLate: () => announced++,
  });
  return { session, clock, announced: () => announced };
}

const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('late output', () => {
  it('keeps what a timer prints and throws with the cell that started it, with the line', () => {
    const { session, clock, announced } = lateSession();
    const first = session.run(
      0,
      "setTimeout(() => {\n  console.log('tick');\n  null.x;\n}, 10);\n'started'",
    );
    expect(first.outputs).toHaveLength(1);
    session.run(1, '2 + 2'); // the cell below ran last: the timer still belongs to cell 1
    expect(session.takeLate()).toEqual([]);
    clock.tick();
    expect(announced()).toBe(1);
    const [late, ...rest] = session.takeLate();
    expect(rest).toEqual([]);
    expect(late).toMatchObject({
      index: 0,
      run: first.run,
      outputs: [{ kind: 'log', parts: [{ text: 'tick' }] }],
      errors: [{ kind: 'timer', name: 'TypeError', at: { line: 3 } }],
      elided: null,
    });
  });

  it('traces a promise callback’s output and an escaped error to their cell by the stack', async () => {
    const { session, announced } = lateSession();
    session.run(
      0,
      "function fail() {\n  return new RangeError('late');\n}\nPromise.resolve().then(() => console.log('settled'));",
    );
    session.run(1, '1');
    await flushMicrotasks();
    // Errors reach the session from the worker's error and unhandledrejection events.
    const fail = session.scopeFor(2).get('fail') as () => Error;
    session.escaped(fail(), 'promise');
    session.escaped('not an error', 'promise');
    expect(announced()).toBe(2);
    const late = session.takeLate();
    expect(late).toMatchObject([
      {
        index: 0,
        outputs: [{ kind: 'log', parts: [{ text: 'settled' }] }],
        errors: [{ kind: 'promise', name: 'RangeError', message: 'late', at: { line: 2 } }],
      },
      // No frame in a cell: the cell that ran last.
      { index: 1, errors: [{ kind: 'promise', name: 'Thrown value', at: null }] },
    ]);
  });

  it('a cell that runs again stops its previous run’s timers and drops their output', () => {
    const { session, clock } = lateSession();
    const first = session.run(0, "setInterval(() => console.log('again'), 100);");
    clock.tick();
    expect(clock.pending).toBe(1);
    const second = session.run(0, "setTimeout(() => console.log('new run'), 5);");
    expect(second.run).toBeGreaterThan(first.run);
    clock.tick();
    expect(clock.pending).toBe(0);
    const late = session.takeLate();
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      run: second.run,
      outputs: [{ kind: 'log', parts: [{ text: 'new run' }] }],
    });
  });

  it('caps late output like the run’s own, continuing from where the run left off', () => {
    const { session, clock } = lateSession();
    const result = session.run(
      0,
      'for (let i = 0; i < 990; i++) console.log(i);\nconst timer = setTimeout(() => { for (let i = 0; i < 20; i++) console.log(i); });',
    );
    expect(result.outputs).toHaveLength(990);
    clock.tick();
    const [late] = session.takeLate();
    expect(late?.outputs).toHaveLength(10);
    expect(late?.elided?.lines).toBe(10);
    // Every line so far, each with its newline.
    expect(new TextDecoder().decode(late?.text).split('\n')).toHaveLength(1011);
  });

  it('finds the outermost cell frame of a stack', () => {
    const stack = [
      'Error: x',
      '    at inner (initbook-cell-1.js:3:9)',
      '    at engine (chunk-abc.js:10:2)',
      '    at outer (initbook-cell-4.js:2:1)',
    ].join('\n');
    expect(cellOfStack(stack)).toBe(3);
    expect(cellOfStack('Error: y\n    at f (chunk.js:1:1)')).toBeNull();
    expect(cellOfStack(undefined)).toBeNull();
  });
});
