// Small read-only walks over IR expressions and statements, shared by the manual engine's files.

import type { Expr, Stmt } from '../../ir/types.ts';

export function children(e: Expr): Expr[] {
  switch (e.k) {
    case 'num': case 'var': return [];
    case 'prim': return e.args;
    case 'compare': case 'logic': return [e.a, e.b];
    case 'not': return [e.a];
    case 'cond': return [e.test, e.then, e.else];
    case 'call': return e.args;
    case 'index': return [e.array, e.index];
    case 'length': return [e.array];
    case 'array': return e.elements;
    case 'fill': return [e.length, e.value];
  }
}

export function forEachVar(e: Expr, visit: (name: string) => void): void {
  if (e.k === 'var') visit(e.name);
  for (const c of children(e)) forEachVar(c, visit);
}

/** Every expression in a statement list, statements in nested blocks included. */
export function forEachExpr(list: Stmt[], visit: (e: Expr) => void): void {
  for (const s of list) {
    switch (s.k) {
      case 'let': visit(s.init); break;
      case 'assign': visit(s.value); break;
      case 'setIndex': visit({ k: 'var', name: s.name }); visit(s.index); visit(s.value); break;
      case 'if': visit(s.test); forEachExpr(s.then, visit); forEachExpr(s.else, visit); break;
      case 'loop': visit(s.test); forEachExpr(s.body, visit); forEachExpr(s.update, visit); break;
      case 'return': visit(s.value); break;
      default: break;
    }
  }
}

export function usesName(body: Stmt[], name: string): boolean {
  let found = false;
  forEachExpr(body, (e) => forEachVar(e, (n) => { if (n === name) found = true; }));
  return found;
}
