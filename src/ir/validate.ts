// The IR validator: checks the invariants every engine relies on, so that a bug in lowering is
// caught at its source rather than as a wrong derivative. Names are declared before use, each
// primitive has its arity, calls match their callee, break/continue sit inside loops, and every
// value is used as the type it has.

import { DdxError } from '../errors.ts';
import { RULES } from '../rules/table.ts';
import type { Expr, Fn, Program, Stmt, ValueType } from './types.ts';

export function validateProgram(program: Program): void {
  if (!program.functions[program.main]) throw internal(`main function ${program.main} is missing`);
  for (const fn of Object.values(program.functions)) validateFn(fn, program);
}

function internal(message: string): DdxError {
  return new DdxError('engine', `internal IR error: ${message}`);
}

function validateFn(fn: Fn, program: Program): void {
  const types = new Map<string, ValueType>();
  for (const p of fn.params) {
    if (types.has(p.name)) throw internal(`parameter ${p.name} repeated in ${fn.name}`);
    types.set(p.name, p.type);
  }
  const expr = (e: Expr): ValueType | 'bool' => {
    switch (e.k) {
      case 'num': return 'num';
      case 'var': {
        const t = types.get(e.name);
        if (!t) throw internal(`${e.name} used before it is declared in ${fn.name}`);
        return t;
      }
      case 'prim':
        if (e.args.length !== RULES[e.op].arity) throw internal(`${e.op} takes ${RULES[e.op].arity} arguments, got ${e.args.length}`);
        for (const a of e.args) if (expr(a) !== 'num') throw internal(`${e.op} applied to a non-number`);
        return 'num';
      case 'compare':
        if (expr(e.a) !== 'num' || expr(e.b) !== 'num') throw internal('comparison of non-numbers');
        return 'bool';
      case 'logic': expr(e.a); expr(e.b); return 'bool';
      case 'not': expr(e.a); return 'bool';
      case 'cond': {
        expr(e.test);
        const a = expr(e.then);
        if (a !== expr(e.else)) throw internal('branches of ?: differ in type');
        return a;
      }
      case 'call': {
        const callee = program.functions[e.fn];
        if (!callee) throw internal(`call to unknown function ${e.fn}`);
        if (callee.params.length !== e.args.length) throw internal(`call to ${e.fn} with ${e.args.length} arguments`);
        e.args.forEach((a, i) => { if (expr(a) !== callee.params[i].type) throw internal(`argument ${i + 1} of ${e.fn} has the wrong type`); });
        return callee.returns;
      }
      case 'index':
        if (expr(e.array) !== 'arr' || expr(e.index) !== 'num') throw internal('bad index expression');
        return 'num';
      case 'length':
        if (expr(e.array) !== 'arr') throw internal('.length of a non-array');
        return 'num';
      case 'array':
        for (const a of e.elements) if (expr(a) !== 'num') throw internal('array element is not a number');
        return 'arr';
      case 'fill':
        if (expr(e.length) !== 'num' || expr(e.value) !== 'num') throw internal('bad fill');
        return 'arr';
    }
  };
  const stmts = (list: Stmt[], inLoop: boolean): void => {
    for (const s of list) {
      switch (s.k) {
        case 'let': {
          const t = expr(s.init);
          if (t !== s.type) throw internal(`let ${s.name} declared ${s.type} but initialised with ${t}`);
          const prior = types.get(s.name);
          if (prior && prior !== s.type) throw internal(`${s.name} redeclared with another type`);
          types.set(s.name, s.type);
          break;
        }
        case 'assign': {
          const t = types.get(s.name);
          if (!t) throw internal(`assignment to undeclared ${s.name}`);
          if (expr(s.value) !== t) throw internal(`assignment to ${s.name} changes its type`);
          break;
        }
        case 'setIndex':
          if (types.get(s.name) !== 'arr') throw internal(`element write to non-array ${s.name}`);
          if (expr(s.index) !== 'num' || expr(s.value) !== 'num') throw internal('bad element write');
          break;
        case 'if': expr(s.test); stmts(s.then, inLoop); stmts(s.else, inLoop); break;
        case 'loop': expr(s.test); stmts(s.body, true); stmts(s.update, true); break;
        case 'break':
        case 'continue':
          if (!inLoop) throw internal(`${s.k} outside a loop`);
          break;
        case 'return':
          if (expr(s.value) !== fn.returns) throw internal(`${fn.name} returns the wrong type`);
          break;
      }
    }
  };
  stmts(fn.body, false);
}
