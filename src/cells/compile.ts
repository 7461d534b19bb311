/**
 * TypeScript cell source → JavaScript the session can evaluate, with sucrase. Sucrase strips types
 * in place and keeps every statement on its line, so a line number in the output is the same line in
 * the reader's code (the tests check this). Types are removed, not checked.
 *
 * @module
 */
import { transform } from 'sucrase/dist/index.js';
import { parse } from 'sucrase/dist/parser/index.js';
import { IdentifierRole } from 'sucrase/dist/parser/tokenizer/index.js';

/** Where something is in the reader's code: 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface CompiledCell {
  readonly ok: true;
  readonly js: string;
  /** Top-level bindings (const, let, var, function, class, destructured names), in order. */
  readonly names: readonly string[];
  /** Every declaration of a name anywhere in the cell, for locating "already declared" errors. */
  readonly declarations: readonly { readonly name: string; readonly at: SourcePosition }[];
}

export interface CompileError {
  readonly ok: false;
  readonly message: string;
  readonly at: SourcePosition | null;
}

/** 1-based line and column of a character offset. */
export function positionOf(source: string, offset: number): SourcePosition {
  const before = source.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

const TOP_LEVEL = new Set<number>([
  IdentifierRole.TopLevelDeclaration,
  IdentifierRole.ObjectShorthandTopLevelDeclaration,
]);
const DECLARATION = new Set<number>([
  ...TOP_LEVEL,
  IdentifierRole.FunctionScopedDeclaration,
  IdentifierRole.BlockScopedDeclaration,
  IdentifierRole.ObjectShorthandFunctionScopedDeclaration,
  IdentifierRole.ObjectShorthandBlockScopedDeclaration,
]);

/** Transpiles a cell; a syntax error comes back with its place, never thrown. */
export function compileCell(source: string): CompiledCell | CompileError {
  try {
    const { tokens } = parse(source, false, true, false);
    const names: string[] = [];
    const declarations: { name: string; at: SourcePosition }[] = [];
    for (const token of tokens) {
      if (token.isType || token.identifierRole === null) continue;
      const name = source.slice(token.start, token.end);
      if (DECLARATION.has(token.identifierRole)) {
        declarations.push({ name, at: positionOf(source, token.start) });
      }
      if (TOP_LEVEL.has(token.identifierRole) && !names.includes(name)) names.push(name);
    }
    const { code } = transform(source, { transforms: ['typescript'], disableESTransforms: true });
    const moduleSyntax = /^[ \t]*(import|export)\b(?![ \t]*\()/m.exec(source);
    if (moduleSyntax) {
      return {
        ok: false,
        message:
          'Cells cannot import or export: the engine API (createRng, initTensor, propagate, …) is already in scope.',
        at: positionOf(source, moduleSyntax.index + moduleSyntax[0].search(/\S/)),
      };
    }
    return { ok: true, js: code, names, declarations };
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    const raw = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: raw.replace(/\s*\(\d+:\d+\)$/, ''),
      at: typeof pos === 'number' ? positionOf(source, pos) : null,
    };
  }
}
