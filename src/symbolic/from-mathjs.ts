// Reads a mathjs expression tree into canonical nodes, the way sympy's sympify reads the same text
// (operation by operation, as parsed), so that the size of what another system printed (mathjs's
// derivative(), say) is measured by the same count_ops rule as ddx's own results.

import type { MathNode } from 'mathjs';
import { isForeign, type FnOp, type SNode, type Store } from './node.ts';
import { rational } from './number.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = MathNode & Record<string, any>;

const NAMES: Record<string, FnOp | 'sqrt'> = {
  sin: 'sin', cos: 'cos', tan: 'tan', asin: 'asin', acos: 'acos', atan: 'atan', atan2: 'atan2',
  sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', asinh: 'asinh', acosh: 'acosh', atanh: 'atanh',
  exp: 'exp', expm1: 'expm1', log: 'log', log1p: 'log1p', log2: 'log2', log10: 'log10',
  sqrt: 'sqrt', cbrt: 'cbrt', abs: 'abs', sign: 'sign', floor: 'floor', ceil: 'ceil', round: 'round', fix: 'trunc',
  max: 'max', min: 'min', hypot: 'hypot',
};

export function fromMathjs(S: Store, node: MathNode): SNode {
  const n = node as Node;
  const rec = (x: MathNode) => fromMathjs(S, x);
  switch (n.type) {
    case 'ConstantNode': return S.num(Number(n.value));
    case 'SymbolNode':
      if (n.name === 'pi') return S.num(Math.PI);
      if (n.name === 'e') return S.num(Math.E);
      return S.sym(n.name);
    case 'ParenthesisNode': return rec(n.content);
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map(rec);
      switch (n.fn) {
        case 'unaryMinus': return S.neg(args[0]);
        case 'unaryPlus': return args[0];
        case 'add': return args.reduce((a, b) => S.add(a, b));
        case 'subtract': return S.sub(args[0], args[1]);
        case 'multiply': return args.reduce((a, b) => S.mul(a, b));
        case 'divide': {
          // An integer over an integer is an exact fraction, as sympy reads 1/3.
          const [a, b] = args;
          if (a.kind === 'num' && b.kind === 'num' && a.num.q === 1 && b.num.q === 1 && b.num.p !== 0) return S.numOf(rational(a.num.p, b.num.p));
          return S.div(a, b);
        }
        case 'pow': return S.pow(args[0], args[1]);
      }
      throw new Error(`mathjs operator ${n.fn} has no symbolic reading`);
    }
    case 'FunctionNode': {
      const name = n.fn.name as string;
      const args = (n.args as MathNode[]).map(rec);
      if (isForeign(name)) return S.fn(name, args);
      const op = NAMES[name];
      if (!op) throw new Error(`mathjs function ${name} has no symbolic reading`);
      if (op === 'sqrt') return S.sqrt(args[0]);
      if (name === 'log' && args.length === 2) return S.div(S.fn('log', [args[0]]), S.fn('log', [args[1]]));
      return S.fn(op, args);
    }
  }
  throw new Error(`mathjs ${n.type} has no symbolic reading`);
}
