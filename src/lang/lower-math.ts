// Expression mode: formula text (`x^2 + 3*x*y + y^2`) -> ddx IR, parsed with mathjs. The free
// variables are the parameters, in order of first appearance. Lines `df_dx = ...` (or
// `df/dx = ...`, `df/dx(x, y) = ...`, `f'(x) = ...`) and `grad_f = [...]` give a hand-written
// derivative for the manual engine.

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
  // `**` is JavaScript's power; mathjs writes `^`. `df/dx =` and a teacher's `f'(x) =` are
  // written `df_dx =`. Each rewrite keeps the length, so columns stay right.
  const text = source
    .replace(/\*\*/g, '^ ')
    .replace(/^(\s*)d(\w+)\/d(\w+)(\s*[=(])/gm, '$1d$2_d$3$4')
    .replace(/^(\s*)([A-Za-z_]\w*)'\(([A-Za-z_]\w*)\)(\s*=)/gm, '$1d$2_d$3$4');
  let root: Node;
  try {
    root = parse(text) as Node;
  } catch (err) {
    const e = err as { message?: string; char?: number };
    const index = typeof e.char === 'number' ? Math.max(0, e.char - 1) : 0;
    throw new DdxError('syntax', `syntax error: ${(e.message ?? 'cannot parse').replace(/\s*\(char \d+\)\s*$/, '')}`, locAt(source, index));
  }
  const blocks: Node[] = root.type === 'BlockNode' ? (root.blocks as { node: Node }[]).map((b) => b.node) : [root];

  const defs: { name: string; params: string[] | null; body: Node; hasHead: boolean }[] = [];
  for (const node of blocks) {
    if (node.type === 'FunctionAssignmentNode') defs.push({ name: node.name, params: node.params as string[], body: node.expr, hasHead: true });
    else if (node.type === 'AssignmentNode' && node.object.type === 'SymbolNode') defs.push({ name: node.object.name, params: null, body: node.value, hasHead: true });
    else if (node.type === 'AssignmentNode') throw new DdxError('unsupported', 'only names can be assigned: f = ..., df_dx = ...', findLoc(source, node.object.toString()));
    else defs.push({ name: defs.some((d) => d.name === 'f') ? `expression_${defs.length + 1}` : 'f', params: null, body: node, hasHead: false });
  }
  if (defs.length === 0) throw new DdxError('no-function', 'nothing to differentiate: type a formula such as x^2 + 3*x*y', { line: 1, column: 1 });

  const mainDef = defs.find((d) => d.name === 'f') ?? defs[0];
  const params = mainDef.params ?? freeSymbols(mainDef.body, source);
  const { main, manual } = chooseMain(defs.map((d) => d.name), defs.map(() => params));
  const functions: Record<string, Fn> = {};
  const lowerer = new MathLowerer(text, source);
  for (const def of defs) {
    const own = def.params ?? params;
    if (def.hasHead) lowerer.skipHead(def.name);
    const body = lowerer.lower(def.body, new Set(own));
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
    const m = wordPattern(name).exec(source);
    return m ? m.index : Infinity;
  };
  return [...names].sort((a, b) => position(a) - position(b));
}

/**
 * mathjs nodes carry no positions. The lowerer walks the tree in source order with a cursor over
 * the text, finding each token from where the previous one ended, so every node gets the span it
 * really has (the tape highlights it; errors point at it).
 */
class MathLowerer {
  private pos = 0;

  constructor(private text: string, private source: string) {}

  /** Finds `token` at or after the cursor and moves past it; returns its [start, end). */
  consume(token: string | RegExp): [number, number] | null {
    if (typeof token === 'string') {
      const i = this.text.indexOf(token, this.pos);
      if (i < 0) return null;
      this.pos = i + token.length;
      return [i, this.pos];
    }
    const re = new RegExp(token.source, 'g');
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return null;
    this.pos = m.index + m[0].length;
    return [m.index, this.pos];
  }

  /** Moves the cursor past a definition's head (`f(x, y) =`, `df_dx =`). */
  skipHead(name: string): void {
    this.consume(wordPattern(name));
    this.consume('=');
  }

  private span(start: number, end: number): SourceLocation {
    const a = locAt(this.source, start);
    const b = locAt(this.source, end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  private here(): SourceLocation {
    return locAt(this.source, this.pos);
  }

  lower(node: Node, params: Set<string>): Expr {
    const start = this.pos;
    const e = this.node(node, params);
    // A node's span runs from its first token to its last, as in function mode.
    const first = /\S/.exec(this.text.slice(start));
    if (first) e.loc = this.span(start + first.index, this.pos);
    return e;
  }

  private node(node: Node, params: Set<string>): Expr {
    const rec = (n: Node) => this.lower(n, params);
    switch (node.type) {
      case 'ConstantNode': {
        if (typeof node.value !== 'number') throw new DdxError('unsupported', 'only numbers are supported in formulas', this.here());
        this.consume(/(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i);
        return { k: 'num', value: node.value };
      }
      case 'SymbolNode': {
        const name = node.name as string;
        const at = this.consume(wordPattern(name));
        const loc = at ? this.span(at[0], at[1]) : this.here();
        if (params.has(name)) return { k: 'var', name, loc };
        if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return { k: 'num', value: CONSTANTS[name], loc };
        throw new DdxError('unknown-name', `${name} is not a parameter of f`, loc);
      }
      case 'ParenthesisNode': {
        this.consume('(');
        const inner = rec(node.content);
        this.consume(')');
        return inner;
      }
      case 'OperatorNode': {
        const fn = node.fn as string;
        const args = node.args as Node[];
        if (args.length === 1) {
          const at = this.consume(node.op);
          const arg = rec(args[0]);
          const loc = at ? this.span(at[0], at[1]) : this.here();
          if (fn === 'unaryMinus') return arg.k === 'num' ? { k: 'num', value: -arg.value } : { k: 'prim', op: 'neg', args: [arg], loc };
          if (fn === 'unaryPlus') return arg;
          if (fn === 'not') return { k: 'not', a: arg, loc };
          throw new DdxError('unsupported', `the operator ${node.op} is not supported in formulas`, loc);
        }
        const a = rec(args[0]);
        const at = node.implicit ? null : this.consume(node.op);
        const opLoc = at ? this.span(at[0], at[1]) : this.here();
        const b = rec(args[1]);
        if (OPERATORS[fn]) return { k: 'prim', op: OPERATORS[fn], args: [a, b] };
        if (COMPARE[fn]) return { k: 'compare', op: COMPARE[fn], a, b };
        if (fn === 'and' || fn === 'or') return { k: 'logic', op: fn === 'and' ? '&&' : '||', a, b };
        throw new DdxError('unsupported', `the operator ${node.op} is not supported in formulas`, opLoc);
      }
      case 'ConditionalNode': {
        const test = rec(node.condition);
        this.consume('?');
        const then = rec(node.trueExpr);
        this.consume(':');
        return { k: 'cond', test, then, else: rec(node.falseExpr) };
      }
      case 'FunctionNode': {
        const name = node.fn.name as string;
        const at = this.consume(wordPattern(name));
        const loc = at ? this.span(at[0], at[1]) : this.here();
        if (name !== 'log' && !Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
          throw new DdxError('unknown-name', `${name} is not a function ddx knows: use ${Object.keys(FUNCTIONS).join(', ')} or log`, loc);
        }
        this.consume('(');
        const args = (node.args as Node[]).map((n, i) => { if (i > 0) this.consume(','); return rec(n); });
        this.consume(')');
        if (name === 'log' && args.length === 2) {
          return { k: 'prim', op: 'div', args: [{ k: 'prim', op: 'log', args: [args[0]] }, { k: 'prim', op: 'log', args: [args[1]] }] };
        }
        const f = name === 'log' ? { prim: 'log' as Primitive, arity: 1 } : FUNCTIONS[name];
        if (f.arity > 0 && args.length !== f.arity) throw new DdxError('arity', `${name} takes ${f.arity} argument${f.arity === 1 ? '' : 's'}, but is given ${args.length}`, loc);
        if (f.arity < 0) {
          if (args.length === 0) throw new DdxError('arity', `${name} needs at least one argument`, loc);
          if (args.length === 1) return f.prim === 'hypot' ? { k: 'prim', op: 'abs', args } : args[0];
          return args.slice(1).reduce<Expr>((acc, a) => ({ k: 'prim', op: f.prim, args: [acc, a] }), args[0]);
        }
        return { k: 'prim', op: f.prim, args };
      }
      case 'ArrayNode': {
        this.consume('[');
        const elements = (node.items as Node[]).map((n, i) => { if (i > 0) this.consume(','); return rec(n); });
        this.consume(']');
        return { k: 'array', elements };
      }
      default:
        throw new DdxError('unsupported', `${String(node.type).replace(/Node$/, '').toLowerCase()} expressions are not supported in formulas`, this.here());
    }
  }
}

/** A name as a whole word; a digit may touch it on the left (implicit multiplication, `2x`). */
function wordPattern(name: string): RegExp {
  return new RegExp(`(?<![A-Za-z_])${name}(?![A-Za-z_0-9])`);
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
