// The fast path: compiles a Program to a JavaScript function over plain numbers. The text comes
// only from ddx's own IR (checked names, operations spelled by the rules table), never from the
// user's source. A counter on loop iterations gives runaway loops the same `budget` error; with a
// budget of null there is no counter, which is f as plain JavaScript (the AD bench's yardstick:
// the counter alone makes a tight loop like Rosenbrock's about 1.7x slower).

import { DdxError } from '../errors.ts';
import { formatExpr } from '../ir/format.ts';
import type { Expr, Fn, Program, Stmt } from '../ir/types.ts';
import type { Value } from './algebra.ts';

export const COMPILED_LOOP_BUDGET = 50_000_000;

export type CompiledFunction = (...args: Value<number>[]) => number;

/** JavaScript text for the whole program; the main function is returned by the generated code. */
export function compileToSource(program: Program, loopBudget: number | null = COMPILED_LOOP_BUDGET): string {
  const lines: string[] = ['"use strict";', 'let $steps = 0;'];
  for (const fn of Object.values(program.functions)) lines.push(compileFn(fn, fn.name === program.main, loopBudget));
  const main = program.functions[program.main];
  const params = main.params.map((p) => p.name).join(', ');
  lines.push(`return function (${params}) { $steps = 0; return ${main.name}(${params}); };`);
  return lines.join('\n');
}

export function compileProgram(program: Program, loopBudget: number | null = COMPILED_LOOP_BUDGET): CompiledFunction {
  const make = new Function('$over', compileToSource(program, loopBudget)) as (over: () => never) => CompiledFunction;
  // No wrapper around the result: f's measured time is f's own. A loop over budget throws a
  // DdxError; anything else JavaScript throws is reported by the caller (run.ts evaluates f on
  // the interpreter first, which locates such errors).
  return make(() => {
    throw new DdxError('budget', `stopped after ${loopBudget?.toLocaleString('en-US')} loop iterations: the function runs too long (a loop that never ends?)`);
  });
}

const plainCache = new WeakMap<Program, CompiledFunction>();

/**
 * f as plain JavaScript (no loop counter), compiled once per program: for timing f where it has
 * already run to its end, which the forward and reverse cards both do.
 */
export function plainFunction(program: Program): CompiledFunction {
  let f = plainCache.get(program);
  if (!f) plainCache.set(program, (f = compileProgram(program, null)));
  return f;
}

function compileFn(fn: Fn, isMain: boolean, loopBudget: number | null): string {
  const locals = new Set<string>();
  collectLocals(fn.body, locals);
  for (const p of fn.params) locals.delete(p.name);
  const out: string[] = [`function ${fn.name}(${fn.params.map((p) => p.name).join(', ')}) {`];
  if (locals.size) out.push(`  let ${[...locals].join(', ')};`);
  // The main function copies an array parameter it may write (directly, or through a helper),
  // so element writes never reach the caller.
  if (isMain) for (const p of fn.params) if (p.type === 'arr' && mayWrite(fn.body, p.name)) out.push(`  ${p.name} = ${p.name}.slice();`);
  emit(fn.body, '  ', out, loopBudget);
  out.push('  return NaN;', '}');
  return out.join('\n');
}

/** Whether `name` may be written: an element write to it, or passed to a helper, or aliased. */
function mayWrite(list: Stmt[], name: string): boolean {
  const escapes = (e: Expr): boolean => {
    switch (e.k) {
      case 'call': return e.args.some((a) => (a.k === 'var' && a.name === name) || escapes(a));
      case 'prim': return e.args.some(escapes);
      case 'compare': case 'logic': return escapes(e.a) || escapes(e.b);
      case 'not': return escapes(e.a);
      case 'cond': return escapes(e.test) || (e.then.k === 'var' && e.then.name === name) || (e.else.k === 'var' && e.else.name === name) || escapes(e.then) || escapes(e.else);
      case 'index': return escapes(e.array) || escapes(e.index);
      case 'length': return false;
      case 'array': return e.elements.some(escapes);
      case 'fill': return escapes(e.length) || escapes(e.value);
      default: return false;
    }
  };
  const aliased = (e: Expr) => (e.k === 'var' && e.name === name) || escapes(e);
  return list.some((s) => {
    switch (s.k) {
      case 'let': return aliased(s.init);
      case 'assign': return aliased(s.value);
      case 'setIndex': return s.name === name || escapes(s.index) || escapes(s.value);
      case 'if': return escapes(s.test) || mayWrite(s.then, name) || mayWrite(s.else, name);
      case 'loop': return escapes(s.test) || mayWrite(s.body, name) || mayWrite(s.update, name);
      case 'return': return escapes(s.value);
      default: return false;
    }
  });
}

function collectLocals(list: Stmt[], into: Set<string>): void {
  for (const s of list) {
    if (s.k === 'let') into.add(s.name);
    else if (s.k === 'if') { collectLocals(s.then, into); collectLocals(s.else, into); }
    else if (s.k === 'loop') { collectLocals(s.body, into); collectLocals(s.update, into); }
  }
}

const js = (e: Expr) => formatExpr(e, 'js');

function emit(list: Stmt[], indent: string, out: string[], loopBudget: number | null): void {
  for (const s of list) {
    switch (s.k) {
      case 'let': out.push(`${indent}${s.name} = ${js(s.init)};`); break;
      case 'assign': out.push(`${indent}${s.name} = ${js(s.value)};`); break;
      case 'setIndex': out.push(`${indent}${s.name}[${js(s.index)}] = ${js(s.value)};`); break;
      case 'if':
        out.push(`${indent}if (${js(s.test)}) {`);
        emit(s.then, indent + '  ', out, loopBudget);
        if (s.else.length) { out.push(`${indent}} else {`); emit(s.else, indent + '  ', out, loopBudget); }
        out.push(`${indent}}`);
        break;
      case 'loop': {
        const update = s.update.map((u) => (u.k === 'assign' ? `${u.name} = ${js(u.value)}` : u.k === 'setIndex' ? `${u.name}[${js(u.index)}] = ${js(u.value)}` : '')).filter(Boolean).join(', ');
        out.push(`${indent}for (; ; ${update}) {`);
        if (loopBudget !== null) out.push(`${indent}  if (++$steps > ${loopBudget}) $over();`);
        out.push(`${indent}  if (!(${js(s.test)})) break;`);
        emit(s.body, indent + '  ', out, loopBudget);
        out.push(`${indent}}`);
        break;
      }
      case 'break': out.push(`${indent}break;`); break;
      case 'continue': out.push(`${indent}continue;`); break;
      case 'return': out.push(`${indent}return ${js(s.value)};`); break;
    }
  }
}
