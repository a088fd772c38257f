// Writes IR expressions as text in three notations (JavaScript, mathjs syntax, LaTeX), taking the
// spelling of each primitive from the rules table and adding only the parentheses needed. Operand
// trees keep their shape exactly, so generated JavaScript computes bit-for-bit what the IR says.

import { PREC, RULES, type Notation } from '../rules/table.ts';
import type { Expr } from './types.ts';

export type Style = 'js' | 'mathjs' | 'latex';

interface Formatted { text: string; prec: number }

export function formatExpr(e: Expr, style: Style): string {
  return fmt(e, style).text;
}

export function formatNumber(value: number, style: Style): Formatted {
  if (Number.isNaN(value)) return { text: style === 'latex' ? '\\mathrm{NaN}' : 'NaN', prec: PREC.atom };
  if (!Number.isFinite(value)) {
    const inf = style === 'latex' ? '\\infty' : 'Infinity';
    return value > 0 ? { text: inf, prec: PREC.atom } : { text: `-${inf}`, prec: PREC.neg };
  }
  if (style === 'latex') {
    if (value === Math.PI) return { text: '\\pi', prec: PREC.atom };
    if (value === Math.E) return { text: 'e', prec: PREC.atom };
  }
  let text = Object.is(value, -0) ? '-0' : String(value);
  if (style === 'latex' && /e/.test(text)) {
    const [mantissa, exponent] = text.split('e');
    text = `${mantissa} \\cdot 10^{${Number(exponent)}}`;
    return { text, prec: value < 0 ? PREC.neg : PREC.mul };
  }
  if (style === 'mathjs' && /e/.test(text)) return { text: `(${text})`, prec: PREC.atom };
  return { text, prec: value < 0 || Object.is(value, -0) ? PREC.neg : PREC.atom };
}

export function formatVar(name: string, style: Style): string {
  if (style !== 'latex') return name;
  // x_2 -> x_{2}; longer names upright so `rate` does not read as r·a·t·e.
  const m = /^([A-Za-z]+)_(\w+)$/.exec(name);
  if (m) return `${m[1].length > 1 ? `\\mathrm{${m[1]}}` : m[1]}_{${m[2]}}`;
  return name.length > 1 ? `\\mathrm{${name.replace(/_/g, '\\_')}}` : name;
}

const wrap = (f: Formatted, min: number, style: Style) =>
  f.prec >= min ? f.text : style === 'latex' ? `\\left(${f.text}\\right)` : `(${f.text})`;

/** Formats an operation given its already-formatted arguments. */
export function applyNotation(n: Notation, args: Formatted[], style: Style): Formatted {
  switch (n.kind) {
    case 'infix': {
      const leftMin = n.rightAssoc ? n.prec + 1 : n.prec;
      const rightMin = n.rightAssoc ? n.prec : n.prec + 1;
      return { text: `${wrap(args[0], leftMin, style)} ${n.op} ${wrap(args[1], rightMin, style)}`, prec: n.prec };
    }
    case 'prefix': {
      // JavaScript refuses `-x ** 2` and reads `--x` as a decrement: wrap anything but an atom.
      const min = style === 'js' ? PREC.atom : n.prec + 1;
      return { text: `${n.op}${wrap(args[0], min, style)}`, prec: n.prec };
    }
    case 'call':
      return { text: `${n.name}(${args.map((a) => a.text).join(', ')})`, prec: PREC.atom };
    case 'template':
      return { text: n.format(args.map((a, i) => wrap(a, n.argPrec[i] ?? 0, style))), prec: n.prec };
  }
}

function fmt(e: Expr, style: Style): Formatted {
  const atom = (text: string): Formatted => ({ text, prec: PREC.atom });
  switch (e.k) {
    case 'num': return formatNumber(e.value, style);
    case 'var': return atom(formatVar(e.name, style));
    case 'prim': return applyNotation(RULES[e.op][style], e.args.map((a) => fmt(a, style)), style);
    case 'compare': {
      const op = style === 'latex' ? { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '===': '=', '!==': '\\ne' }[e.op]
        : style === 'mathjs' ? { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '===': '==', '!==': '!=' }[e.op] : e.op;
      return { text: `${wrap(fmt(e.a, style), PREC.add, style)} ${op} ${wrap(fmt(e.b, style), PREC.add, style)}`, prec: PREC.cond };
    }
    case 'logic': {
      const op = style === 'latex' ? (e.op === '&&' ? '\\land' : '\\lor') : style === 'mathjs' ? (e.op === '&&' ? 'and' : 'or') : e.op;
      return { text: `${wrap(fmt(e.a, style), PREC.atom, style)} ${op} ${wrap(fmt(e.b, style), PREC.atom, style)}`, prec: PREC.cond };
    }
    case 'not': return { text: `${style === 'latex' ? '\\lnot ' : style === 'mathjs' ? 'not ' : '!'}${wrap(fmt(e.a, style), PREC.atom, style)}`, prec: PREC.neg };
    case 'cond': {
      const [t, a, b] = [fmt(e.test, style), fmt(e.then, style), fmt(e.else, style)];
      if (style === 'latex') return atom(`\\begin{cases} ${a.text} & \\text{if } ${t.text} \\\\ ${b.text} & \\text{otherwise} \\end{cases}`);
      return atom(`(${t.text} ? ${a.text} : ${b.text})`);
    }
    case 'call': return atom(`${style === 'latex' ? `\\operatorname{${e.fn.replace(/_/g, '\\_')}}` : e.fn}(${e.args.map((a) => fmt(a, style).text).join(', ')})`);
    case 'index': return atom(style === 'latex' ? `${wrap(fmt(e.array, style), PREC.atom, style)}_{${fmt(e.index, style).text}}` : `${wrap(fmt(e.array, style), PREC.atom, style)}[${fmt(e.index, style).text}]`);
    case 'length': return atom(style === 'latex' ? `\\left|${fmt(e.array, style).text}\\right|` : style === 'mathjs' ? `size(${fmt(e.array, style).text})` : `${wrap(fmt(e.array, style), PREC.atom, style)}.length`);
    case 'array': return atom(style === 'latex' ? `\\left[${e.elements.map((x) => fmt(x, style).text).join(', ')}\\right]` : `[${e.elements.map((x) => fmt(x, style).text).join(', ')}]`);
    case 'fill': return atom(`new Array(${fmt(e.length, style).text}).fill(${fmt(e.value, style).text})`);
  }
}
