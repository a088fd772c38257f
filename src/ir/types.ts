// ddx's one IR: a small typed tree with structured control flow. Every engine reads only this.
// Names are unique within a function after lowering (shadowed names are renamed), so no scopes.

import type { SourceLocation } from '../errors.ts';
import type { Primitive } from './primitives.ts';

export type ValueType = 'num' | 'arr';
export type CompareOp = '<' | '<=' | '>' | '>=' | '===' | '!==';

export type Expr =
  | { k: 'num'; value: number; loc?: SourceLocation }
  | { k: 'var'; name: string; loc?: SourceLocation }
  | { k: 'prim'; op: Primitive; args: Expr[]; loc?: SourceLocation }
  | { k: 'compare'; op: CompareOp; a: Expr; b: Expr; loc?: SourceLocation }
  | { k: 'logic'; op: '&&' | '||'; a: Expr; b: Expr; loc?: SourceLocation }
  | { k: 'not'; a: Expr; loc?: SourceLocation }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; loc?: SourceLocation }
  | { k: 'call'; fn: string; args: Expr[]; loc?: SourceLocation }
  | { k: 'index'; array: Expr; index: Expr; loc?: SourceLocation }
  | { k: 'length'; array: Expr; loc?: SourceLocation }
  | { k: 'array'; elements: Expr[]; loc?: SourceLocation }
  | { k: 'fill'; length: Expr; value: Expr; loc?: SourceLocation };

export type Stmt =
  | { k: 'let'; name: string; type: ValueType; init: Expr; loc?: SourceLocation }
  | { k: 'assign'; name: string; value: Expr; loc?: SourceLocation }
  | { k: 'setIndex'; name: string; index: Expr; value: Expr; loc?: SourceLocation }
  | { k: 'if'; test: Expr; then: Stmt[]; else: Stmt[]; loc?: SourceLocation }
  /** Every loop: `while (test) { body; update }`; `continue` jumps to update. */
  | { k: 'loop'; test: Expr; body: Stmt[]; update: Stmt[]; kind: 'for' | 'while' | 'for-of'; loc?: SourceLocation }
  | { k: 'break'; loc?: SourceLocation }
  | { k: 'continue'; loc?: SourceLocation }
  | { k: 'return'; value: Expr; loc?: SourceLocation };

export interface Param {
  name: string;
  type: ValueType;
}

export interface Fn {
  name: string;
  params: Param[];
  returns: ValueType;
  body: Stmt[];
  loc?: SourceLocation;
}

export interface Program {
  mode: 'function' | 'expression';
  /** The function that is differentiated; the others are helpers it may call. */
  main: string;
  functions: Record<string, Fn>;
  /** The source text each line/column refers to. */
  source: string;
  /** For the manual engine: user-written derivative functions (`df_dx`, `grad_f`), when present. */
  manual?: ManualDerivatives;
}

export interface ManualDerivatives {
  /** `df_dx` functions per parameter name. */
  partials: Record<string, string>;
  /** A `grad_f` function returning an array in parameter order. */
  gradient?: string;
}

export function mainFn(program: Program): Fn {
  return program.functions[program.main];
}
