/**
 * What a cell sees besides its own code and the cells above it: the engine's public API (the same
 * names as `src/engine/index.ts`). `display`, `plot` and `console` are added by the session.
 *
 * @module
 */
import * as engine from '../engine/index';

export const CELL_BUILTINS: Readonly<Record<string, unknown>> = Object.freeze({ ...engine });
