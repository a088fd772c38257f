// Expression mode: formula text (`x^2 + 3*x*y + y^2`) -> ddx IR, parsed with mathjs. The free
// variables are the parameters, in order of first appearance. Lines `df_dx = ...` (or
// `df/dx = ...`, `df/dx(x, y) = ...`) and `grad_f = [...]` give a hand-written derivative for the manual engine.

import { parse, type MathNode } from 'mathjs';
import { DdxError, type SourceLocation } from '../errors.ts';
import type { Primitive } from '../ir/primitives.ts';
import type { CompareOp, Expr, Fn, Program } from '../ir/types.ts';
import { chooseMain } from './manual-names.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = MathNode & Record<string, any>;

const FUNCTIONS: Record<string, { prim: Primitive; arity: number }> = {
  sin: { prim: 'sin', arity: 1 }, cos: { prim: 'cos', arity: 1 }, tan: { prim: 'tan', arity: 1 },
  asin: { prim: 'asin', arity: 1 }, acos: { prim: 'acos', arity: 1 }, atan: { prim: 'atan', arity: 1 },
  atan2: { prim: 'atan2', arity: 2 }, sinh: { prim: 'sinh', arity: 1 }, cosh: { prim: 'cosh', arity: 1 },
  tanh: { prim: 'tanh', arity: 1 }, asinh: { prim: 'asinh', arity: 1 }, acosh: { prim: 'acosh', arity: 1 },
  atanh: { prim: 'atanh', arity: 1 }, exp: { prim: 'exp', arity: 1 }, expm1: { prim: 'expm1', arity: 1 },
  ln: { prim: 'log', arity: 1 }, log1p: { prim: 'log1p', arity: 1 }, log2: { prim: 'log2', arity: 1 },
  log10: { prim: 'log10', arity: 1 }, sqrt: { prim: 'sqrt', arity: 1 }, cbrt: { prim: 'cbrt', arity: 1 },
  abs: { prim: 'abs', arity: 1 }, pow: { prim: 'pow', arity: 2 }, max: { prim: 'max', arity: -2 },
  min: { prim: 'min', arity: -2 }, hypot: { prim: 'hypot', arity: -2 }, sign: { prim: 'sign', arity: 1 },
  floor: { prim: 'floor', arity: 1 }, ceil: { prim: 'ceil', arity: 1 }, round: { prim: 'round', arity: 1 },
  fix: { prim: 'trunc', arity: 1 }, trunc: { prim: 'trunc', arity: 1 }, mod: { prim: 'mod', arity: 2 },
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, PI: Math.PI, e: Math.E, E: Math.E };
const OPERATORS: Record<string, Primitive> = { add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', pow: 'pow', mod: 'mod' };
const COMPARE: Record<string, CompareOp> = { smaller: '<', smallerEq: '<=', larger: '>', largerEq: '>=', equal: '===', unequal: '!==' };

export function looksLikeFunctionSource(text: string): boolean {
  return /\bfunction\b|=>|\breturn\b|\bconst\b|\blet\b/.test(text);
}

export function lowerMathExpression(source: string): Program {
  // `**` is JavaScript's power; mathjs writes `^`. Same length, so columns stay right.
  const text = source.replace(/\*\*/g, '^ ').replace(/^(\s*)d(\w+)\/d(\w+)(\s*[=(])/gm, '$1d$2_d$3$4');
  let root: Node;
  try {
    root = parse(text) as Node;
  } catch (err) {
    const e = err as { message?: string; char?: number };
    const index = typeof e.char === 'number' ? Math.max(0, e.char - 1) : 0;
    throw new DdxError('syntax', `syntax error: ${(e.message ?? 'cannot parse').replace(/\s*\(char \d+\)\s*$/, '')}`, locAt(source, index));
  }
  const blocks: Node[] = root.type === 'BlockNode' ? (root.blocks as { node: Node }[]).map((b) => b.node) : [root];

  const defs: { name: string; params: string[] | null; body: Node }[] = [];
  for (const node of blocks) {
    if (node.type === 'FunctionAssignmentNode') defs.push({ name: node.name, params: node.params as string[], body: node.expr });
    else if (node.type === 'AssignmentNode' && node.object.type === 'SymbolNode') defs.push({ name: node.object.name, params: null, body: node.value });
    else if (node.type === 'AssignmentNode') throw new DdxError('unsupported', 'only names can be assigned: f = ..., df_dx = ...', findLoc(source, node.object.toString()));
    else defs.push({ name: defs.some((d) => d.name === 'f') ? `expression_${defs.length + 1}` : 'f', params: null, body: node });
  }
  if (defs.length === 0) throw new DdxError('no-function', 'nothing to differentiate: type a formula such as x^2 + 3*x*y', { line: 1, column: 1 });

  const mainDef = defs.find((d) => d.name === 'f') ?? defs[0];
  const params = mainDef.params ?? freeSymbols(mainDef.body, source);
  const { main, manual } = chooseMain(defs.map((d) => d.name), defs.map(() => params));
  const functions: Record<string, Fn> = {};
  for (const def of defs) {
    const own = def.params ?? params;
    const body = toExpr(def.body, new Set(own), source);
    if (body.k === 'array') {
      if (def.name !== `grad_${main}`) throw new DdxError('type', `${def.name} is a list; only grad_${main} may be a list`, findLoc(source, def.name));
    }
    functions[def.name] = { name: def.name, params: own.map((name) => ({ name, type: 'num' })), returns: body.k === 'array' ? 'arr' : 'num', body: [{ k: 'return', value: body }] };
  }
  return { mode: 'expression', main, functions, source, manual };
}

/** Free variables in order of first appearance in the text. */
function freeSymbols(node: Node, source: string): string[] {
  const names = new Set<string>();
  node.traverse((n: Node, _path: string, parent: Node | null) => {
    if (n.type !== 'SymbolNode') return;
    if (parent && parent.type === 'FunctionNode' && parent.fn === n) return;
    if (!Object.prototype.hasOwnProperty.call(CONSTANTS, n.name)) names.add(n.name);
  });
  const position = (name: string) => {
    const m = new RegExp(`(^|[^\\w])${name}(?![\\w(])`).exec(source);
    return m ? m.index : Infinity;
  };
  return [...names].sort((a, b) => position(a) - position(b));
}

function toExpr(node: Node, params: Set<string>, source: string): Expr {
  const rec = (n: Node) => toExpr(n, params, source);
  switch (node.type) {
    case 'ConstantNode':
      if (typeof node.value !== 'number') throw new DdxError('unsupported', 'only numbers are supported in formulas', findLoc(source, String(node.value)));
      return { k: 'num', value: node.value };
    case 'SymbolNode': {
      const name = node.name as string;
      if (params.has(name)) return { k: 'var', name, loc: findLoc(source, name) };
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return { k: 'num', value: CONSTANTS[name] };
      throw new DdxError('unknown-name', `${name} is not a parameter of f`, findLoc(source, name));
    }
    case 'ParenthesisNode':
      return rec(node.content);
    case 'OperatorNode': {
      const args = (node.args as Node[]).map(rec);
      const fn = node.fn as string;
      const loc = findLoc(source, node.op);
      if (fn === 'unaryMinus') return args[0].k === 'num' ? { k: 'num', value: -args[0].value } : { k: 'prim', op: 'neg', args, loc };
      if (fn === 'unaryPlus') return args[0];
      if (OPERATORS[fn]) return { k: 'prim', op: OPERATORS[fn], args, loc };
      if (COMPARE[fn]) return { k: 'compare', op: COMPARE[fn], a: args[0], b: args[1], loc };
      if (fn === 'and' || fn === 'or') return { k: 'logic', op: fn === 'and' ? '&&' : '||', a: args[0], b: args[1], loc };
      if (fn === 'not') return { k: 'not', a: args[0], loc };
      throw new DdxError('unsupported', `the operator ${node.op} is not supported in formulas`, loc);
    }
    case 'ConditionalNode':
      return { k: 'cond', test: rec(node.condition), then: rec(node.trueExpr), else: rec(node.falseExpr) };
    case 'FunctionNode': {
      const name = node.fn.name as string;
      const loc = findLoc(source, name);
      const args = (node.args as Node[]).map(rec);
      if (name === 'log' && args.length === 2) {
        return { k: 'prim', op: 'div', args: [{ k: 'prim', op: 'log', args: [args[0]], loc }, { k: 'prim', op: 'log', args: [args[1]], loc }], loc };
      }
      const f = name === 'log' ? { prim: 'log' as Primitive, arity: 1 } : FUNCTIONS[name];
      if (name !== 'log' && !Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
        throw new DdxError('unknown-name', `${name} is not a function ddx knows: use ${Object.keys(FUNCTIONS).join(', ')} or log`, loc);
      }
      if (f.arity > 0 && args.length !== f.arity) throw new DdxError('arity', `${name} takes ${f.arity} argument${f.arity === 1 ? '' : 's'}, but is given ${args.length}`, loc);
      if (f.arity < 0) {
        if (args.length === 0) throw new DdxError('arity', `${name} needs at least one argument`, loc);
        if (args.length === 1) return f.prim === 'hypot' ? { k: 'prim', op: 'abs', args, loc } : args[0];
        return args.slice(1).reduce<Expr>((acc, a) => ({ k: 'prim', op: f.prim, args: [acc, a], loc }), args[0]);
      }
      return { k: 'prim', op: f.prim, args, loc };
    }
    case 'ArrayNode':
      return { k: 'array', elements: (node.items as Node[]).map(rec) };
    default:
      throw new DdxError('unsupported', `${String(node.type).replace(/Node$/, '').toLowerCase()} expressions are not supported in formulas`, findLoc(source, node.toString()));
  }
}

function locAt(source: string, index: number): SourceLocation {
  const before = source.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** mathjs nodes carry no positions: point at the first occurrence of the text instead. */
function findLoc(source: string, needle: string): SourceLocation {
  const i = needle ? source.indexOf(needle) : -1;
  return locAt(source, i >= 0 ? i : 0);
}
