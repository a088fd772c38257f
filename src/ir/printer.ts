// The IR printer: a plain, stable text form of a Program, for debugging, snapshots and the UI.
// Primitives print as calls (`mul(3, x)`), so the printed form shows exactly what lowering made.

import type { Expr, Fn, Program, Stmt } from './types.ts';

export function printProgram(program: Program): string {
  const order = [program.main, ...Object.keys(program.functions).filter((n) => n !== program.main)];
  return order.map((n) => printFn(program.functions[n])).join('\n\n');
}

export function printFn(fn: Fn): string {
  const params = fn.params.map((p) => `${p.name}: ${p.type}`).join(', ');
  return `fn ${fn.name}(${params}) -> ${fn.returns} {\n${printStmts(fn.body, '  ')}}`;
}

function printStmts(list: Stmt[], indent: string): string {
  return list.map((s) => printStmt(s, indent)).join('');
}

function printStmt(s: Stmt, indent: string): string {
  const inner = indent + '  ';
  switch (s.k) {
    case 'let': return `${indent}let ${s.name}: ${s.type} = ${printExpr(s.init)}\n`;
    case 'assign': return `${indent}${s.name} = ${printExpr(s.value)}\n`;
    case 'setIndex': return `${indent}${s.name}[${printExpr(s.index)}] = ${printExpr(s.value)}\n`;
    case 'if': {
      const head = `${indent}if ${printExpr(s.test)} {\n${printStmts(s.then, inner)}${indent}}`;
      return s.else.length ? `${head} else {\n${printStmts(s.else, inner)}${indent}}\n` : `${head}\n`;
    }
    case 'loop': {
      const update = s.update.length ? `${indent}} update {\n${printStmts(s.update, inner)}` : '';
      return `${indent}loop(${s.kind}) while ${printExpr(s.test)} {\n${printStmts(s.body, inner)}${update}${indent}}\n`;
    }
    case 'break': return `${indent}break\n`;
    case 'continue': return `${indent}continue\n`;
    case 'return': return `${indent}return ${printExpr(s.value)}\n`;
  }
}

export function printExpr(e: Expr): string {
  switch (e.k) {
    case 'num': return Number.isFinite(e.value) ? String(e.value) : e.value > 0 ? 'Infinity' : e.value < 0 ? '-Infinity' : 'NaN';
    case 'var': return e.name;
    case 'prim': return `${e.op}(${e.args.map(printExpr).join(', ')})`;
    case 'compare': return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case 'logic': return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case 'not': return `!${printExpr(e.a)}`;
    case 'cond': return `(${printExpr(e.test)} ? ${printExpr(e.then)} : ${printExpr(e.else)})`;
    case 'call': return `call ${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'index': return `${printExpr(e.array)}[${printExpr(e.index)}]`;
    case 'length': return `len(${printExpr(e.array)})`;
    case 'array': return `[${e.elements.map(printExpr).join(', ')}]`;
    case 'fill': return `fill(${printExpr(e.length)}, ${printExpr(e.value)})`;
  }
}
