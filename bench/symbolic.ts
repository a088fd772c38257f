// The symbolic benchmark: for each typical expression in bench/symbolic-expressions.json, ddx's
// time and sizes at each stage (raw, simplified, CSE) beside mathjs's derivative() (as it comes,
// and with simplify: false) and sympy's diff + simplify (from bench/sympy-sizes.json, written by
// bench/sympy-sizes.py). Every size is an operation count by sympy's count_ops rule.
// Run alone with `npx tsx bench/symbolic.ts`, or with the rest through `npm run bench`.

import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { derivative } from 'mathjs';
import { parseProgram } from '../src/lang/parse.ts';
import { OpCounter } from '../src/symbolic/count.ts';
import { fromMathjs } from '../src/symbolic/from-mathjs.ts';
import { Store } from '../src/symbolic/node.ts';
import { cseSize, differentiate } from '../src/symbolic/pipeline.ts';
import { medianMicros } from '../src/timing.ts';

interface Spec { name: string; expr: string; wrt: string; mathjs?: boolean }
interface SympyRow { name: string; diff_size: number; simplified_size: number; simplify_ms: number; diff_ms: number }

const read = (file: string) => JSON.parse(readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8'));

export interface SymbolicBenchRow {
  name: string;
  ddxMicros: number;
  raw: number;
  simplified: number;
  cse: number;
  text: string;
  mathjsMicros: number | null;
  mathjsRaw: number | null;
  mathjs: number | null;
  sympy: number | null;
  sympyMillis: number | null;
}

/** ddx end to end on one expression: parse, trace, differentiate, simplify, CSE, print. */
function ddx(spec: Spec) {
  const program = parseProgram(spec.expr);
  const params = program.functions[program.main].params.map((p) => p.name);
  const at = Object.fromEntries(params.map((p, i) => [p, 0.3 + 0.1 * i]));
  const sym = differentiate(program, at, [spec.wrt]);
  const part = sym.partials[0];
  return { sym, part, text: sym.printer.text(part.simplified), latex: sym.printer.latex(part.simplified) };
}

function mathjsSize(spec: Spec, simplify: boolean): number {
  const S = new Store();
  return new OpCounter(S).count(fromMathjs(S, derivative(spec.expr, spec.wrt, { simplify })));
}

export function measure(): SymbolicBenchRow[] {
  const specs: Spec[] = read('./symbolic-expressions.json').expressions;
  const sympy: SympyRow[] = read('./sympy-sizes.json').rows;
  return specs.map((spec) => {
    const { sym, part, text } = ddx(spec);
    const K = sym.counter;
    const sy = sympy.find((r) => r.name === spec.name) ?? null;
    const supported = spec.mathjs !== false;
    return {
      name: spec.name,
      ddxMicros: medianMicros(() => ddx(spec), 40),
      raw: K.count(part.rawCanonical),
      simplified: K.count(part.simplified),
      cse: cseSize(sym),
      text,
      mathjsMicros: supported ? medianMicros(() => derivative(spec.expr, spec.wrt).toString(), 40) : null,
      mathjsRaw: supported ? mathjsSize(spec, false) : null,
      mathjs: supported ? mathjsSize(spec, true) : null,
      sympy: sy ? sy.simplified_size : null,
      sympyMillis: sy ? sy.diff_ms + sy.simplify_ms : null,
    };
  });
}

const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ratio = (a: number, b: number) => Math.max(a, 1) / Math.max(b, 1);

export function report(rows: SymbolicBenchRow[]): string {
  const out: string[] = [];
  const ms = (us: number | null) => (us === null ? '—' : (us / 1000).toFixed(us < 1000 ? 3 : 2));
  const n = (x: number | null) => (x === null ? '—' : String(x));
  const header = ['expression', 'ddx ms', 'raw', 'simpl', 'cse', 'mathjs ms', 'mj raw', 'mathjs', 'sympy', 'sympy ms'];
  const widths = [32, 8, 5, 6, 5, 9, 6, 6, 6, 9];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.slice(0, widths[0]).padEnd(widths[0]) : c.padStart(widths[i]))).join(' ');
  out.push('Symbolic derivatives: sizes are operation counts by sympy\'s count_ops rule; times are medians per expression.');
  out.push('ddx: parse + trace + differentiate + simplify + CSE (time); raw / simpl / cse sizes.');
  out.push('mathjs 15.2 derivative(): "mathjs" as it comes (it simplifies), "mj raw" with simplify: false.');
  out.push('sympy 1.14: diff then simplify, from bench/sympy-sizes.json (python3 bench/sympy-sizes.py).');
  out.push('');
  out.push(line(header));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) {
    out.push(line([r.name, ms(r.ddxMicros), n(r.raw), n(r.simplified), n(r.cse), ms(r.mathjsMicros), n(r.mathjsRaw), n(r.mathjs), n(r.sympy), r.sympyMillis === null ? '—' : r.sympyMillis.toFixed(1)]));
  }
  const withMathjs = rows.filter((r) => r.mathjs !== null);
  const withSympy = rows.filter((r) => r.sympy !== null);
  const both = withMathjs.filter((r) => r.sympy !== null);
  const better = (xs: SymbolicBenchRow[], other: (r: SymbolicBenchRow) => number) => {
    const smaller = xs.filter((r) => r.simplified < other(r)).length;
    const larger = xs.filter((r) => r.simplified > other(r)).length;
    return `${smaller} smaller, ${xs.length - smaller - larger} equal, ${larger} larger`;
  };
  out.push('');
  out.push(`${rows.length} expressions (${withMathjs.length} that mathjs's derivative() supports).`);
  out.push(`size, geometric mean of ratios: ddx simplified / mathjs derivative() = ${geomean(withMathjs.map((r) => ratio(r.simplified, r.mathjs!))).toFixed(3)} (${better(withMathjs, (r) => r.mathjs!)})`);
  out.push(`size, geometric mean of ratios: ddx simplified / sympy simplify    = ${geomean(withSympy.map((r) => ratio(r.simplified, r.sympy!))).toFixed(3)} (${better(withSympy, (r) => r.sympy!)})`);
  out.push(`size, geometric mean of ratios: mathjs derivative() / sympy simplify = ${geomean(both.map((r) => ratio(r.mathjs!, r.sympy!))).toFixed(3)}`);
  out.push(`size, geometric mean of ratios: ddx raw / ddx simplified = ${geomean(rows.map((r) => ratio(r.raw, r.simplified))).toFixed(3)}; ddx CSE / ddx simplified = ${geomean(rows.map((r) => ratio(r.cse, r.simplified))).toFixed(3)}`);
  out.push(`time, median per expression: ddx ${ms(median(rows.map((r) => r.ddxMicros)))} ms, mathjs ${ms(median(withMathjs.map((r) => r.mathjsMicros!)))} ms, sympy ${median(withSympy.map((r) => r.sympyMillis!)).toFixed(1)} ms`);
  out.push(`time, geometric mean of ratios: ddx / mathjs = ${geomean(withMathjs.map((r) => r.ddxMicros / r.mathjsMicros!)).toFixed(3)}, ddx / sympy = ${geomean(withSympy.map((r) => r.ddxMicros / 1000 / r.sympyMillis!)).toFixed(4)}`);
  return out.join('\n');
}

export default function run(): void {
  console.log(report(measure()));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) run();
