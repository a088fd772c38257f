// Printing canonical expressions as a person writes them: sums with subtraction, products with
// their negative powers as a denominator, x^(1/2) as a square root, a leading minus pulled out,
// terms by descending degree. One display tree, three renderers: LaTeX (KaTeX-ready, implicit
// multiplication), mathjs syntax (parsed back by mathjs and by sympy) and JavaScript.

import { applyNotation, formatNumber, formatVar, type Style } from '../ir/format.ts';
import { PREC, RULES } from '../rules/table.ts';
import { isExact, isInteger, isNegative, isOne } from './number.ts';
import { hasNegativeSign, isForeign, type FnOp, type SNode, type Store } from './node.ts';
import type { Raw } from './raw.ts';

/** The display tree: what is printed, in the order it is printed. */
export type D =
  | { t: 'num'; v: number }
  | { t: 'rat'; p: number; q: number }
  | { t: 'sym'; name: string }
  | { t: 'sum'; terms: { minus: boolean; d: D }[] }
  | { t: 'prod'; factors: D[] }
  | { t: 'frac'; num: D; den: D }
  | { t: 'neg'; d: D }
  | { t: 'pow'; base: D; exp: D }
  | { t: 'fn'; op: FnOp | 'sqrt'; args: D[] };

export class Printer {
  private keys = new Map<number, string>();
  private degrees = new Map<number, number>();

  constructor(private S: Store) {}

  latex(n: SNode): string {
    return render(this.display(n), 'latex').text;
  }

  text(n: SNode): string {
    return render(this.display(n), 'mathjs').text;
  }

  js(n: SNode, names?: (name: string) => string): string {
    return render(this.display(n), 'js', names).text;
  }

  /** A raw expression (as the rules built it), printed mechanically: every operation kept. */
  rawLatex(r: Raw): string {
    return render(rawDisplay(r), 'latex').text;
  }

  rawText(r: Raw): string {
    return render(rawDisplay(r), 'mathjs').text;
  }

  display(n: SNode): D {
    const S = this.S;
    switch (n.kind) {
      case 'num': {
        const x = n.num;
        if (isExact(x) && !isInteger(x)) {
          const r: D = { t: 'rat', p: Math.abs(x.p), q: x.q };
          return x.p < 0 ? { t: 'neg', d: r } : r;
        }
        return { t: 'num', v: x.v };
      }
      case 'sym': return { t: 'sym', name: n.name };
      case 'add': {
        const terms = n.args.map((a) => (hasNegativeSign(a) ? { minus: true, node: S.neg(a) } : { minus: false, node: a }));
        terms.sort((a, b) => this.compareTerms(a.node, b.node));
        // Lead with a positive term where there is one: 1 - x rather than -x + 1.
        const first = terms.findIndex((t) => !t.minus);
        if (first > 0) terms.unshift(...terms.splice(first, 1));
        return { t: 'sum', terms: terms.map((t) => ({ minus: t.minus, d: this.display(t.node) })) };
      }
      case 'mul': return this.product(n);
      case 'pow': {
        const [b, e] = n.args;
        if (e.kind === 'num' && isNegative(e.num)) return { t: 'frac', num: { t: 'num', v: 1 }, den: this.display(S.pow(b, S.neg(e))) };
        if (e.kind === 'mul' && hasNegativeSign(e)) return { t: 'frac', num: { t: 'num', v: 1 }, den: this.display(S.pow(b, S.neg(e))) };
        if (e.kind === 'num' && e.num.v === 0.5 && isExact(e.num)) return { t: 'fn', op: 'sqrt', args: [this.display(b)] };
        return { t: 'pow', base: this.display(b), exp: this.display(e) };
      }
      case 'fn': return { t: 'fn', op: n.op, args: n.args.map((a) => this.display(a)) };
    }
  }

  private product(n: SNode): D {
    const S = this.S;
    const numer: SNode[] = [];
    const denom: SNode[] = [];
    let coeff: D | null = null;
    let denCoeff: D | null = null;
    let minus = false;
    for (const f of n.args) {
      if (f.kind === 'num') {
        const x = f.num;
        minus = isNegative(x);
        const ax = Math.abs(x.v);
        if (isExact(x) && !isInteger(x)) {
          if (Math.abs(x.p) !== 1) coeff = { t: 'num', v: Math.abs(x.p) };
          denCoeff = { t: 'num', v: x.q };
        } else if (!(isOne(x) || ax === 1)) coeff = { t: 'num', v: ax };
        continue;
      }
      if (f.kind === 'pow') {
        const e = f.args[1];
        if ((e.kind === 'num' && isNegative(e.num)) || (e.kind === 'mul' && hasNegativeSign(e))) {
          denom.push(S.pow(f.args[0], S.neg(e)));
          continue;
        }
      }
      numer.push(f);
    }
    const order = (xs: SNode[]) => xs.sort((a, b) => this.factorRank(a) - this.factorRank(b) || this.compareKeys(a, b)).map((x) => this.display(x));
    const nd = order(numer);
    const dd = order(denom);
    if (coeff) nd.unshift(coeff);
    if (denCoeff) dd.unshift(denCoeff);
    const join = (ds: D[]): D => (ds.length === 0 ? { t: 'num', v: 1 } : ds.length === 1 ? ds[0] : { t: 'prod', factors: ds });
    const body: D = dd.length ? { t: 'frac', num: join(nd), den: join(dd) } : join(nd);
    return minus ? { t: 'neg', d: body } : body;
  }

  /** Numbers, then symbols, powers of symbols, functions, sums: 2 x^2 y sin(x) (x + 1). */
  private factorRank(n: SNode): number {
    const base = n.kind === 'pow' ? n.args[0] : n;
    // A power with a symbolic exponent reads best after the plain factors: y x^(y - 1).
    if (n.kind === 'pow' && n.args[1].kind !== 'num') return 2;
    return base.kind === 'num' ? 0 : base.kind === 'sym' ? 1 : base.kind === 'fn' ? 3 : base.kind === 'add' ? 5 : 4;
  }

  /** Total polynomial degree, for ordering the terms of a sum (3x^2 - 4x + 5). */
  degree(n: SNode): number {
    const hit = this.degrees.get(n.id);
    if (hit !== undefined) return hit;
    let d = 0;
    switch (n.kind) {
      case 'sym': d = 1; break;
      case 'mul': for (const a of n.args) d += this.degree(a); break;
      case 'add': for (const a of n.args) d = Math.max(d, this.degree(a)); break;
      case 'pow': d = n.args[1].kind === 'num' ? this.degree(n.args[0]) * n.args[1].num.v : this.degree(n.args[0]); break;
      case 'fn': d = 0.5; break;
    }
    this.degrees.set(n.id, d);
    return d;
  }

  /** A short structural key, for a stable order that does not depend on creation order. */
  key(n: SNode): string {
    const hit = this.keys.get(n.id);
    if (hit !== undefined) return hit;
    let k: string;
    switch (n.kind) {
      case 'num': k = `0${String(n.num.v).padStart(12, ' ')}`; break;
      case 'sym': k = `1${n.name}`; break;
      case 'pow': k = `${this.key(n.args[0])}^${this.key(n.args[1])}`; break;
      case 'fn': k = `3${n.op}(${n.args.map((a) => this.key(a)).join(',')})`; break;
      // The coefficient last, so that 3x sorts beside x, before 2y.
      case 'mul': k = `2${n.args.filter((a) => a.kind !== 'num').map((a) => this.key(a)).join('*')}#${n.args[0].kind === 'num' ? n.args[0].num.v : 1}`; break;
      case 'add': k = `4${n.args.map((a) => this.key(a)).join('+')}`; break;
    }
    if (k.length > 48) k = k.slice(0, 48);
    this.keys.set(n.id, k);
    return k;
  }

  /** The order terms of a sum are printed in: by descending degree, then by a structural key. */
  compareTerms(a: SNode, b: SNode): number {
    return this.degree(b) - this.degree(a) || this.compareKeys(a, b);
  }

  private compareKeys(a: SNode, b: SNode): number {
    const ka = this.key(a), kb = this.key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
  }
}

/** The display tree of a raw expression: one display node per primitive, nothing rearranged. */
export function rawDisplay(r: Raw): D {
  switch (r.k) {
    case 'num': return r.value < 0 || Object.is(r.value, -0) ? { t: 'neg', d: { t: 'num', v: -r.value } } : { t: 'num', v: r.value };
    case 'var': return { t: 'sym', name: r.name };
    case 'prim': {
      const a = r.args.map(rawDisplay);
      switch (r.op) {
        case 'add': return { t: 'sum', terms: [{ minus: false, d: a[0] }, { minus: false, d: a[1] }] };
        case 'sub': return { t: 'sum', terms: [{ minus: false, d: a[0] }, { minus: true, d: a[1] }] };
        case 'mul': return { t: 'prod', factors: a };
        case 'div': return { t: 'frac', num: a[0], den: a[1] };
        case 'neg': return { t: 'neg', d: a[0] };
        case 'pow': return { t: 'pow', base: a[0], exp: a[1] };
        default: return { t: 'fn', op: r.op, args: a };
      }
    }
  }
}

interface Out { text: string; prec: number }

const atom = (text: string): Out => ({ text, prec: PREC.atom });

function wrap(o: Out, min: number, style: Style): string {
  if (o.prec >= min) return o.text;
  return style === 'latex' ? `\\left(${o.text}\\right)` : `(${o.text})`;
}

/** Renders a display tree. `names` maps symbol names for JavaScript (x_0 -> x[0], say). */
export function render(d: D, style: Style, names?: (name: string) => string): Out {
  const r = (x: D) => render(x, style, names);
  switch (d.t) {
    case 'num': return formatNumber(d.v, style);
    case 'rat':
      return style === 'latex' ? atom(`\\frac{${d.p}}{${d.q}}`) : { text: `${d.p} / ${d.q}`, prec: PREC.mul };
    case 'sym': return atom(names ? names(d.name) : formatVar(d.name, style));
    case 'sum': {
      let text = '';
      d.terms.forEach((t, i) => {
        const o = r(t.d);
        if (i === 0) text = t.minus ? negate(t.d, style, names).text : o.text;
        else text += `${t.minus ? ' - ' : ' + '}${wrap(o, PREC.mul, style)}`;
      });
      return { text, prec: PREC.add };
    }
    case 'prod': {
      if (style === 'latex') {
        let text = '';
        d.factors.forEach((f, i) => {
          const o = r(f);
          const piece = wrap(o, PREC.mul, style);
          // Implicit multiplication, except before a number (2 \cdot 3, x \cdot 2).
          if (i === 0) text = piece;
          else text += /^[\d.]/.test(piece) || (/^-/.test(piece)) ? ` \\cdot ${piece}` : ` ${piece}`;
        });
        return { text, prec: PREC.mul };
      }
      const mul = style === 'js' ? ' * ' : ' * ';
      return { text: d.factors.map((f, i) => wrap(r(f), i === 0 ? PREC.mul : PREC.neg, style)).join(mul), prec: PREC.mul };
    }
    case 'frac': {
      if (style === 'latex') return atom(`\\frac{${r(d.num).text}}{${r(d.den).text}}`);
      return { text: `${wrap(r(d.num), PREC.mul, style)} / ${wrap(r(d.den), PREC.neg, style)}`, prec: PREC.mul };
    }
    case 'neg': return negate(d.d, style, names);
    case 'pow': {
      const base = r(d.base);
      const exp = r(d.exp);
      if (style === 'latex') {
        const b = wrap(base, PREC.atom, style);
        // x^{2}, but {x_{0}}^{2} and {\sin\left(x\right)}^{2}: braces only where a base is compound.
        return { text: `${/^[A-Za-z0-9]$/.test(b) ? b : `{${b}}`}^{${exp.text}}`, prec: PREC.pow };
      }
      const op = style === 'js' ? '**' : '^';
      return { text: `${wrap(base, PREC.atom, style)} ${op} ${wrap(exp, PREC.pow, style)}`, prec: PREC.pow };
    }
    case 'fn': {
      const args = d.args.map(r);
      if (d.op === 'mod' && style === 'mathjs') {
        // mathjs's % is the floored modulo; JavaScript's truncates: spell the truncated one out.
        const [a, b] = args.map((x) => wrap(x, PREC.neg, style));
        return { text: `(${a} - ${b} * fix(${a} / ${b}))`, prec: PREC.atom };
      }
      if (isForeign(d.op)) {
        const name = style === 'latex' ? `\\operatorname{${d.op}}` : d.op;
        return atom(`${name}${style === 'latex' ? '\\left(' : '('}${args.map((a) => a.text).join(', ')}${style === 'latex' ? '\\right)' : ')'}`);
      }
      if (style === 'latex' && (d.op === 'max' || d.op === 'min')) {
        // The rules table's LaTeX for max/min shows one argument only; ddx's are binary.
        return atom(`\\${d.op}\\left(${args.map((a) => a.text).join(', ')}\\right)`);
      }
      return applyNotation(RULES[d.op][style], args, style);
    }
  }
}

/** -d: the minus goes on the first factor of a product or the numerator of a fraction. */
function negate(d: D, style: Style, names?: (name: string) => string): Out {
  const r = (x: D) => render(x, style, names);
  const minOperand = style === 'js' ? PREC.atom : PREC.neg + 1;
  if (style === 'latex') return { text: `-${wrap(r(d), d.t === 'prod' || d.t === 'frac' ? PREC.mul : PREC.pow, style)}`, prec: PREC.neg };
  if (d.t === 'num' || d.t === 'rat') return { text: `-${wrap(r(d), PREC.mul, style)}`, prec: PREC.neg };
  if (d.t === 'prod') {
    const [first, ...rest] = d.factors;
    const head = first.t === 'num' ? `-${r(first).text}` : `-${wrap(r(first), minOperand, style)}`;
    return { text: [head, ...rest.map((f) => wrap(r(f), PREC.neg, style))].join(' * '), prec: PREC.mul };
  }
  if (d.t === 'frac') {
    const num = d.num.t === 'prod' || d.num.t === 'num' || d.num.t === 'sym' || d.num.t === 'fn' || d.num.t === 'pow' ? negate(d.num, style, names) : { text: `-${wrap(r(d.num), minOperand, style)}`, prec: PREC.neg };
    return { text: `${wrap(num, PREC.mul, style)} / ${wrap(r(d.den), PREC.neg, style)}`, prec: PREC.mul };
  }
  return { text: `-${wrap(r(d), minOperand, style)}`, prec: PREC.neg };
}
