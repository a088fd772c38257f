// Derivation steps, as an online calculator's "show steps": the derivative of f worked top down,
// one line per rule applied (sum, constant multiple, product, quotient, power, exponential,
// chain, and each function's own rule taken from the rules table), each line KaTeX-ready.
// Only for expressions of moderate size: past the limit the list is cut and says so.

import { RULES } from '../rules/table.ts';
import { formatVar } from '../ir/format.ts';
import { canonicalField } from './canon.ts';
import { isNegative } from './number.ts';
import type { SNode, Store } from './node.ts';
import type { Printer } from './print.ts';

export interface DerivationStep {
  /** The rule applied: "sum rule", "product rule", "chain rule (sin)", ... */
  rule: string;
  /** One line: d/dx[part] = what the rule makes of it, with d/dx[...] left on the parts still to do. */
  latex: string;
}

export interface Derivation {
  steps: DerivationStep[];
  /** More steps than the limit: the list stops there. */
  truncated: boolean;
}

const ORDINAL_FUNCTIONS: Record<string, string> = { exp: 'exponential function', log: 'natural logarithm', sqrt: 'square root' };

export function derivationSteps(S: Store, P: Printer, f: SNode, wrt: string, options: { partial?: boolean; limit?: number; value?: (n: SNode) => number } = {}): Derivation {
  const limit = options.limit ?? 40;
  const field = canonicalField(S, options.value ?? (() => NaN));
  const x = formatVar(wrt, 'latex');
  const D = (u: SNode) => (options.partial ? `\\frac{\\partial}{\\partial ${x}}\\left[${P.latex(u)}\\right]` : `\\frac{d}{d${x}}\\left[${P.latex(u)}\\right]`);
  const depends = new Map<number, boolean>();
  const dep = (n: SNode): boolean => {
    const hit = depends.get(n.id);
    if (hit !== undefined) return hit;
    const d = n.kind === 'sym' ? n.name === wrt : n.args.some(dep);
    depends.set(n.id, d);
    return d;
  };
  const steps: DerivationStep[] = [];
  let truncated = false;
  const seen = new Set<number>();
  const queue: SNode[] = [f];

  const line = (u: SNode, rule: string, rhs: string, parts: SNode[]) => {
    if (steps.length >= limit) { truncated = true; return; }
    steps.push({ rule, latex: `${D(u)} = ${rhs}` });
    for (const p of parts) if (dep(p) && p.kind !== 'sym' && !seen.has(p.id)) { seen.add(p.id); queue.push(p); }
  };
  const times = (a: string, b: string) => (a === '1' ? b : b === '1' ? a : `${a} \\cdot ${b}`);
  const paren = (u: SNode) => (u.kind === 'add' ? `\\left(${P.latex(u)}\\right)` : P.latex(u));
  /** d/dx[u], or 1 when u is x itself (no step needed). */
  const d = (u: SNode) => (u.kind === 'sym' && u.name === wrt ? '1' : D(u));

  while (queue.length && !truncated) {
    const n = queue.shift()!;
    switch (n.kind) {
      case 'add': {
        const sign = (t: SNode) => (t.kind === 'mul' && t.args[0].kind === 'num' && isNegative(t.args[0].num) ? S.neg(t) : t);
        const terms = n.args.filter(dep).sort((a, b) => P.compareTerms(sign(a), sign(b)));
        const rhs = terms.map((t, i) => {
          const neg = t.kind === 'mul' && t.args[0].kind === 'num' && isNegative(t.args[0].num);
          const body = d(neg ? S.neg(t) : t);
          return i === 0 ? `${neg ? '-' : ''}${body}` : ` ${neg ? '-' : '+'} ${body}`;
        }).join('');
        const negatives = terms.some((t) => t.kind === 'mul' && t.args[0].kind === 'num' && isNegative(t.args[0].num));
        line(n, negatives ? 'sum and difference rule' : 'sum rule', rhs, terms.map((t) => (t.kind === 'mul' && t.args[0].kind === 'num' && isNegative(t.args[0].num) ? S.neg(t) : t)));
        break;
      }
      case 'mul': {
        const constant = n.args.filter((a) => !dep(a));
        const varying = n.args.filter(dep);
        if (constant.length) {
          const c = S.mul(...constant);
          const u = S.mul(...varying);
          line(n, 'constant multiple rule', times(paren(c), d(u)), [u]);
          break;
        }
        const denominators = varying.filter((a) => a.kind === 'pow' && a.args[1].kind === 'num' && isNegative(a.args[1].num));
        if (denominators.length && denominators.length < varying.length) {
          const num = S.mul(...varying.filter((a) => !denominators.includes(a)));
          const den = S.mul(...denominators.map((a) => S.pow(a.args[0], S.neg(a.args[1]))));
          line(n, 'quotient rule', `\\frac{${times(d(num), paren(den))} - ${times(paren(num), d(den))}}{${den.kind === 'pow' || den.kind === 'mul' ? `\\left(${P.latex(den)}\\right)` : `{${paren(den)}}`}^{2}}`, [num, den]);
          break;
        }
        const rhs = varying.map((_, i) => varying.map((b, j) => (i === j ? d(b) : paren(b))).reduce(times)).join(' + ');
        line(n, 'product rule', rhs, varying);
        break;
      }
      case 'pow': {
        const [u, e] = n.args;
        if (!dep(e)) {
          const partial = S.mul(e, S.pow(u, S.sub(e, S.one)));
          line(n, u.kind === 'sym' ? 'power rule' : 'power rule and chain rule', times(P.latex(partial), d(u)), [u]);
        } else if (!dep(u)) {
          line(n, 'exponential rule', times(P.latex(S.mul(n, S.fn('log', [u]))), d(e)), [e]);
        } else {
          line(n, 'general power rule (u^v = e^{v ln u})', `${paren(n)} \\left(${times(d(e), `\\ln\\left(${P.latex(u)}\\right)`)} + \\frac{${times(paren(e), d(u))}}{${P.latex(u)}}\\right)`, [e, u]);
        }
        break;
      }
      case 'fn': {
        if (n.op === 'sec' || n.op === 'csc' || n.op === 'cot' || n.op === 'sech' || n.op === 'csch' || n.op === 'coth') break;
        const rule = RULES[n.op];
        const partials = rule.partials(field, n.args as SNode[], n);
        const active = n.args.map((a, i) => ({ a, p: partials[i] })).filter(({ a }) => dep(a));
        const name = ORDINAL_FUNCTIONS[n.op] ?? n.op;
        const chained = active.some(({ a }) => !(a.kind === 'sym' && a.name === wrt));
        const rhs = active.map(({ a, p }) => times(paren(p), d(a))).join(' + ') || '0';
        line(n, chained ? `chain rule with the ${name} rule` : `${name} rule`, rhs, active.map(({ a }) => a));
        break;
      }
      default:
        break;
    }
  }
  if (queue.length) truncated = true;
  return { steps, truncated };
}
