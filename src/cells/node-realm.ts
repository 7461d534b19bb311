/**
 * A cell realm in Node: a fresh `vm` context, so cells at build time (and in unit tests) cannot touch
 * the build's own globals, and a synchronous time limit that really interrupts an endless loop.
 *
 * @module
 */
import vm from 'node:vm';
import type { Realm } from './session';

export interface NodeRealm extends Realm {
  /** Time limit of the next evaluations, in milliseconds. */
  timeout: number;
}

export function createNodeRealm(timeout = 10_000): NodeRealm {
  const context = vm.createContext({});
  const global = context as Record<string, unknown>;
  const realm: NodeRealm = {
    global,
    timeout,
    evaluate(program) {
      global['__initbookProgram'] = program;
      try {
        return vm.runInContext('(0, eval)(__initbookProgram)', context, { timeout: realm.timeout });
      } finally {
        delete global['__initbookProgram'];
      }
    },
  };
  return realm;
}
