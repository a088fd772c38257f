// The complex algebra against an outside reference: values of every analytic primitive at complex
// points, and Im f(x + ih)/h (the complex step) against f'(x) across each real domain, near its
// edges too (asin at 0.999999, atanh at -0.999999, log at 1e-200). Both tables come from mpmath
// 1.3.0 at 30-40 digits, written by the Python at the end of this file; then the conventions of
// the non-analytic primitives, and that each primitive with no imaginary part is JavaScript's.

import { describe, expect, it } from 'vitest';
import { COMPLEX_PRIMS, complexAlgebra, type Complex } from '../../src/algebras/complex.ts';
import { PRIMITIVES } from '../../src/ir/primitives.ts';
import { RULES } from '../../src/rules/table.ts';
import { autoStep } from '../../src/engines/numeric/methods.ts';

const POINTS: Record<string, Complex> = { A: { re: 0.7, im: 0.3 }, B: { re: -1.3, im: 2.1 }, C: { re: 2.5, im: -0.4 } };

/** [primitive, argument points, Re, Im] from mpmath (cbrt is the odd extension -cbrt(-z) for Re z < 0). */
const VALUES: [string, string[], number, number][] = [
  ['exp', ['A'], 1.9238114415220284, 0.5951046162765072],
  ['exp', ['B'], -0.13758661409283585, 0.23525199645657194],
  ['exp', ['C'], 11.220819996879685, -4.744086603362293],
  ['expm1', ['A'], 0.9238114415220285, 0.5951046162765072],
  ['expm1', ['B'], -1.137586614092836, 0.23525199645657194],
  ['expm1', ['C'], 10.220819996879685, -4.744086603362293],
  ['log', ['A'], -0.2723635877208361, 0.40489178628508343],
  ['log', ['B'], 0.9041443855896328, 2.125103822996448],
  ['log', ['C'], 0.9289296354662894, -0.1586552621864014],
  ['log1p', ['A'], 0.5459616502586565, 0.1746721990082397],
  ['log1p', ['B'], 0.7520386983881371, 1.7126933813990606],
  ['log1p', ['C'], 1.2592512996082579, -0.11379200714370807],
  ['log2', ['A'], -0.39293759732357636, 0.5841353721701639],
  ['log2', ['B'], 1.304404621337762, 3.0658767468111527],
  ['log2', ['C'], 1.3401621784220081, -0.2288911599672596],
  ['log10', ['A'], -0.11828600321853139, 0.1758422685515625],
  ['log10', ['B'], 0.3926649175053835, 0.9229208637988621],
  ['log10', ['C'], 0.40342901475940873, -0.06890310489246779],
  ['sqrt', ['A'], 0.854861775548068, 0.17546696353785637],
  ['sqrt', ['B'], 0.7647933730903053, 1.3729198459935115],
  ['sqrt', ['C'], 1.5861585324667948, -0.12609080108087298],
  ['cbrt', ['A'], 0.9049068413574396, 0.12287676755498661],
  ['cbrt', ['B'], -1.2748716507900226, 0.44929100911930475],
  ['cbrt', ['C'], 1.3610332354484387, -0.07204554056741176],
  ['sin', ['A'], 0.6734255599525789, 0.23290996731262684],
  ['sin', ['B'], -3.9932868782811384, 1.075841967422986],
  ['sin', ['C'], 0.6469917003057097, 0.3290716033879797],
  ['cos', ['A'], 0.7995189955990348, -0.1961773591614612],
  ['cos', ['B'], 1.1085989185382095, 3.8752929844810247],
  ['cos', ['C'], -0.8660942286425588, 0.24582382511889792],
  ['tan', ['A'], 0.72703718624352, 0.4697051659675581],
  ['tan', ['B'], -0.01586461957323291, 1.0259093684271858],
  ['tan', ['C'], -0.5915279571294257, -0.5478425473611187],
  ['asin', ['A'], 0.7089034409655053, 0.38559098731817487],
  ['asin', ['B'], -0.5196553085262129, 1.6168668341633212],
  ['asin', ['C'], 1.3984363751113238, -1.583064277731504],
  ['acos', ['A'], 0.8618928858293914, -0.38559098731817487],
  ['acos', ['B'], 2.0904516353211093, -1.6168668341633212],
  ['acos', ['C'], 0.1723599516835728, 1.583064277731504],
  ['atan', ['A'], 0.6396697661585148, 0.19988189602962927],
  ['atan', ['B'], -1.335066351764443, 0.3400229971814666],
  ['atan', ['C'], 1.197779675476077, -0.054192317400185486],
  ['sinh', ['A'], 0.7247026904232854, 0.37092780393896435],
  ['sinh', ['B'], 0.8574217575879889, 1.7013116244795015],
  ['sinh', ['C'], 5.572607353227216, -2.3880260037274095],
  ['cosh', ['A'], 1.199108751098743, 0.2241768123375429],
  ['cosh', ['B'], -0.9950083716808248, -1.4660596280229294],
  ['cosh', ['C'], 5.64821264365247, -2.3560605996348833],
  ['tanh', ['A'], 0.63983593026318, 0.18971709151908692],
  ['tanh', ['B'], -1.0662532471222281, -0.1388136919812298],
  ['tanh', ['C'], 0.9906090499682906, -0.009576666968472826],
  ['asinh', ['A'], 0.6703367429877897, 0.2457320061010797],
  ['asinh', ['B'], -1.5807643635001964, 0.977861559814895],
  ['asinh', ['C'], 1.6574026509870519, -0.14769524749264354],
  ['acosh', ['A'], 0.38559098731817487, 0.8618928858293914],
  ['acosh', ['B'], 1.6168668341633212, 2.0904516353211093],
  ['acosh', ['C'], 1.583064277731504, -0.1723599516835728],
  ['atanh', ['A'], 0.7016804321523099, 0.48003518120284394],
  ['atanh', ['B'], -0.19201212218326577, 1.226334132687466],
  ['atanh', ['C'], 0.40971896292848803, -1.4973911344930801],
  ['pow', ['A', 'C'], 0.2586641376941474, 0.5359934545284047],
  ['pow', ['B', 'A'], -0.18605040353282112, 0.9778383488904345],
  ['pow', ['C', 'B'], -0.2307414404920141, 0.3474617748871475],
  ['atan2', ['A', 'C'], 0.2549306649965423, 0.151856442414309],
  ['atan2', ['B', 'A'], -1.5202446409267474, 0.31415413445283946],
  ['atan2', ['C', 'B'], 2.3372548985182995, -0.49363407394429965],
  ['hypot', ['A', 'C'], 2.5660824585966506, -0.30786228141399574],
  ['hypot', ['B', 'A'], 1.2704985405359395, -1.983473352859562],
  ['hypot', ['C', 'B'], 2.403733759752128, -1.5517525536541266],
  ['div', ['A', 'C'], 0.25429017160686423, 0.16068642745709827],
  ['div', ['B', 'A'], -0.4827586206896552, 3.2068965517241383],
  ['div', ['C', 'B'], -0.6704918032786885, -0.7754098360655738],
  ['mul', ['A', 'C'], 1.8699999999999999, 0.47],
  ['mul', ['B', 'A'], -1.54, 1.08],
  ['mul', ['C', 'B'], -2.41, 5.7700000000000005],
];

/** [primitive, x, f'(x)] from mpmath's closed-form derivatives at 40 digits. */
const DERIVATIVES: [string, number, number][] = [
  ['exp', -30.0, 9.357622968840175e-14],
  ['exp', -1.5, 0.22313016014842982],
  ['exp', 0.3, 1.3498588075760032],
  ['exp', 40.0, 2.3538526683702e+17],
  ['expm1', -1e-10, 0.9999999999],
  ['expm1', 1e-05, 1.00001000005],
  ['expm1', -2.0, 0.1353352832366127],
  ['expm1', 30.0, 10686474581524.463],
  ['log', 1e-200, 1e+200],
  ['log', 0.3, 3.3333333333333335],
  ['log', 1.0000001, 0.9999999000000099],
  ['log', 1e+300, 1e-300],
  ['log1p', -0.999, 999.9999999999991],
  ['log1p', -1e-12, 1.000000000001],
  ['log1p', 0.5, 0.6666666666666666],
  ['log1p', 10000000000.0, 9.999999999e-11],
  ['log2', 0.001, 1442.6950408889634],
  ['log2', 1.0000001, 1.4426948966194737],
  ['log2', 7.0, 0.2060992915555662],
  ['log10', 0.03, 14.476482730108394],
  ['log10', 1.0000001, 0.43429443847380794],
  ['log10', 12345.0, 3.5179787922499134e-05],
  ['sqrt', 1e-200, 5e+99],
  ['sqrt', 0.02, 3.5355339059327378],
  ['sqrt', 2.0, 0.3535533905932738],
  ['sqrt', 1e+300, 5e-151],
  ['cbrt', -8.0, 0.08333333333333333],
  ['cbrt', -1e-05, 718.1448966772946],
  ['cbrt', 0.3, 0.7438143889801884],
  ['cbrt', 1e+200, 1.5471962778709262e-134],
  ['sin', -3.0, -0.9899924966004454],
  ['sin', 0.1, 0.9950041652780258],
  ['sin', 1.5707963267948966, 6.123233995736766e-17],
  ['sin', 1000000.0, 0.9367521275331447],
  ['cos', -3.0, 0.1411200080598672],
  ['cos', 1e-08, -1e-08],
  ['cos', 3.141592653589793, -1.2246467991473532e-16],
  ['cos', 1000000.0, 0.34999350217129294],
  ['tan', -1.2, 7.615963967207052],
  ['tan', 0.1, 1.0100670464224948],
  ['tan', 1.5707963, 1392822678599449.8],
  ['tan', 1000.0, 3.1618531228429116],
  ['asin', -0.999999, 707.1069579531425],
  ['asin', -0.3, 1.0482848367219182],
  ['asin', 0.5, 1.1547005383792515],
  ['asin', 0.95, 3.2025630761017414],
  ['asin', 0.999999, 707.1069579531425],
  ['acos', -0.999999, -707.1069579531425],
  ['acos', -0.3, -1.0482848367219182],
  ['acos', 0.5, -1.1547005383792515],
  ['acos', 0.95, -3.2025630761017414],
  ['acos', 0.999999, -707.1069579531425],
  ['atan', -100000000.0, 9.999999999999999e-17],
  ['atan', -1.0, 0.5],
  ['atan', 0.99999999, 0.5000000050000001],
  ['atan', 1e-09, 1.0],
  ['atan', 1e+150, 1e-300],
  ['sinh', -20.0, 242582597.70489514],
  ['sinh', 1e-09, 1.0],
  ['sinh', 0.7, 1.255169005630943],
  ['sinh', 300.0, 9.712131976206279e+129],
  ['cosh', -20.0, -242582597.70489514],
  ['cosh', 1e-09, 1e-09],
  ['cosh', 0.7, 0.7585837018395335],
  ['cosh', 300.0, 9.712131976206279e+129],
  ['tanh', -19.0, 1.2556531168192118e-16],
  ['tanh', -0.3, 0.9151369618266292],
  ['tanh', 1e-09, 1.0],
  ['tanh', 5.0, 0.0001815832309438067],
  ['asinh', -100000000.0, 1e-08],
  ['asinh', -2.0, 0.4472135954999579],
  ['asinh', 1e-09, 1.0],
  ['asinh', 0.5, 0.8944271909999159],
  ['asinh', 1e+150, 1e-150],
  ['acosh', 1.000001, 707.1066044390042],
  ['acosh', 1.5, 0.8944271909999159],
  ['acosh', 10.0, 0.10050378152592121],
  ['acosh', 1e+150, 1e-150],
  ['atanh', -0.999999, 500000.24998574716],
  ['atanh', -0.6, 1.5625],
  ['atanh', 1e-09, 1.0],
  ['atanh', 0.9, 5.263157894736843],
  ['atanh', 0.999999, 500000.24998574716],
];

const call = (op: string, ...args: Complex[]) => (COMPLEX_PRIMS as Record<string, (...a: Complex[]) => Complex>)[op](...args);

describe('complex primitives', () => {
  it('match mpmath at complex points (principal branches) to a few ulps', () => {
    const bad: string[] = [];
    for (const [op, names, re, im] of VALUES) {
      const v = call(op, ...names.map((n) => POINTS[n]));
      const err = Math.hypot(v.re - re, v.im - im) / Math.hypot(re, im);
      if (!(err <= 1e-15)) bad.push(`${op}(${names.join(', ')}) = ${v.re} + ${v.im}i, mpmath ${re} + ${im}i (error ${err})`);
    }
    expect(bad).toEqual([]);
    expect(VALUES.length).toBe(75);
  });

  it('give Im f(x + ih)/h = f\'(x) to full precision with the engine\'s step, edges of the domains included', () => {
    const bad: string[] = [];
    for (const [op, x, d] of DERIVATIVES) {
      const h = autoStep('complex-step', x);
      const v = call(op, { re: x, im: h });
      const err = Math.abs(v.im / h - d) / Math.abs(d);
      // The real part stays JavaScript's value to an ulp, so branches follow f's real path.
      const f = (Math as unknown as Record<string, (x: number) => number>)[op](x);
      const reErr = Math.abs(v.re - f) / Math.abs(f);
      if (!(err <= 4.5e-16) || !(reErr <= 2.3e-16)) bad.push(`${op} at ${x}: derivative ${v.im / h} against ${d} (${err}), Re ${v.re} against ${f}`);
    }
    expect(bad).toEqual([]);
  });

  it('with no imaginary part, every primitive is JavaScript\'s own', () => {
    const samples: Record<number, number[][]> = { 1: [[0.3], [-0.7], [2.5], [0], [-4]], 2: [[0.3, 1.7], [-2, 3], [5.5, -2], [2.5, 0.5], [-3, 2]] };
    for (const op of PRIMITIVES) {
      expect(typeof COMPLEX_PRIMS[op], op).toBe('function');
      for (const xs of samples[RULES[op].arity]) {
        const v = COMPLEX_PRIMS[op](...xs.map((re) => ({ re, im: 0 })));
        const f = RULES[op].float(...xs);
        if (Number.isNaN(f)) continue; // outside the real domain the complex value is the principal one
        expect(v.re === f || Math.abs(v.re - f) <= 4.5e-16 * Math.abs(f), `${op}(${xs.join(', ')}) = ${v.re}, JavaScript ${f}`).toBe(true);
        expect(v.im === 0, `${op}(${xs.join(', ')}): imaginary part ${v.im}`).toBe(true);
      }
    }
  });
});

describe('non-analytic primitives follow ddx\'s conventions, deciding by the real part', () => {
  const h = 1e-20;
  const z = (re: number, im = h) => ({ re, im });
  it('abs is z·sign(Re z), 0 at 0', () => {
    expect(COMPLEX_PRIMS.abs(z(-2))).toEqual({ re: 2, im: -h });
    expect(COMPLEX_PRIMS.abs(z(3))).toEqual({ re: 3, im: h });
    expect(COMPLEX_PRIMS.abs(z(0))).toEqual({ re: 0, im: 0 });
  });
  it('max and min pick by the real part, a tie takes the first argument', () => {
    expect(COMPLEX_PRIMS.max(z(1, 1), z(2, 5))).toEqual({ re: 2, im: 5 });
    expect(COMPLEX_PRIMS.max(z(2, 1), z(2, 5))).toEqual({ re: 2, im: 1 });
    expect(COMPLEX_PRIMS.min(z(2, 1), z(2, 5))).toEqual({ re: 2, im: 1 });
    expect(COMPLEX_PRIMS.min(z(1, 1), z(2, 5))).toEqual({ re: 1, im: 1 });
  });
  it('floor, ceil, round, trunc and sign are constants', () => {
    for (const op of ['floor', 'ceil', 'round', 'trunc', 'sign'] as const) expect(COMPLEX_PRIMS[op](z(-2.5)).im, op).toBe(0);
    expect(COMPLEX_PRIMS.round(z(-2.5)).re).toBe(-2); // Math.round rounds halves up
  });
  it('a % b = a - trunc(Re a / Re b)·b, with JavaScript\'s truncated remainder as the real part', () => {
    // d(a % b)/da = 1 and d(a % b)/db = -trunc(a / b): at -5.5 % 2, trunc(-2.75) = -2.
    expect(COMPLEX_PRIMS.mod(z(-5.5, 1), z(2, 0))).toEqual({ re: -1.5, im: 1 });
    expect(COMPLEX_PRIMS.mod(z(-5.5, 0), z(2, 1))).toEqual({ re: -1.5, im: 2 });
  });
  it('comparisons, branches and ge read the real part', () => {
    expect(complexAlgebra.value(z(3, 7))).toBe(3);
    expect(complexAlgebra.ge(z(2, -1), z(2, 1))).toEqual({ re: 1, im: 0 });
  });
  it('integer powers of a negative base are exact, as JavaScript computes (-3) ** 2', () => {
    const v = COMPLEX_PRIMS.pow(z(-3), { re: 2, im: 0 });
    expect(v.re).toBe(9);
    expect(v.im / h).toBe(-6);
    const w = COMPLEX_PRIMS.pow(z(-2), { re: -3, im: 0 });
    expect(w.re).toBe(-0.125);
    expect(w.im / h).toBeCloseTo(-3 / 16, 15);
  });
});

/*
The tables above were written by these two scripts (python3, mpmath 1.3.0):

from mpmath import mp, mpc, mpf
import mpmath as m
mp.dps = 30
pts = {'A': mpc(0.7, 0.3), 'B': mpc(-1.3, 2.1), 'C': mpc(2.5, -0.4)}
def cbrt(z): return -(-z)**(mpf(1)/3) if z.real < 0 else z**(mpf(1)/3)
def atan2(y, x):
    import math
    if abs(x.real) >= abs(y.real):
        k = round((math.atan2(float(y.real), float(x.real)) - math.atan(float(y.real)/float(x.real)))/math.pi)
        return m.atan(y/x) + k*m.pi
    return m.sign(y.real)*m.pi/2 - m.atan(x/y)
un = {'exp': m.exp, 'expm1': m.expm1, 'log': m.log, 'log1p': m.log1p, 'log2': lambda z: m.log(z)/m.log(2), 'log10': lambda z: m.log(z)/m.log(10),
  'sqrt': m.sqrt, 'cbrt': cbrt, 'sin': m.sin, 'cos': m.cos, 'tan': m.tan, 'asin': m.asin, 'acos': m.acos, 'atan': m.atan,
  'sinh': m.sinh, 'cosh': m.cosh, 'tanh': m.tanh, 'asinh': m.asinh, 'acosh': m.acosh, 'atanh': m.atanh}
bi = {'pow': lambda z, w: m.exp(w*m.log(z)), 'atan2': atan2, 'hypot': lambda z, w: m.sqrt(z*z + w*w), 'div': lambda z, w: z/w, 'mul': lambda z, w: z*w}
out = []
for name, f in un.items():
    for p, z in pts.items():
        v = f(z); out.append(f"  ['{name}', ['{p}'], {float(v.real)!r}, {float(v.imag)!r}],")
for name, f in bi.items():
    for p, q in [('A', 'C'), ('B', 'A'), ('C', 'B')]:
        v = f(pts[p], pts[q]); out.append(f"  ['{name}', ['{p}', '{q}'], {float(v.real)!r}, {float(v.imag)!r}],")
print('\n'.join(out))

from mpmath import mp, mpf
import mpmath as m
mp.dps = 40
def cbrt(x): return -m.cbrt(-x) if x < 0 else m.cbrt(x)
un = {'exp': (m.exp, [-30, -1.5, 0.3, 40]), 'expm1': (m.expm1, [-1e-10, 1e-5, -2, 30]),
  'log': (m.log, [1e-200, 0.3, 1.0000001, 1e300]), 'log1p': (m.log1p, [-0.999, -1e-12, 0.5, 1e10]),
  'log2': (lambda x: m.log(x)/m.log(2), [0.001, 1.0000001, 7]), 'log10': (lambda x: m.log(x)/m.log(10), [0.03, 1.0000001, 12345]),
  'sqrt': (m.sqrt, [1e-200, 0.02, 2, 1e300]), 'cbrt': (cbrt, [-8, -1e-5, 0.3, 1e200]),
  'sin': (m.sin, [-3, 0.1, 1.5707963267948966, 1e6]), 'cos': (m.cos, [-3, 1e-8, 3.141592653589793, 1e6]), 'tan': (m.tan, [-1.2, 0.1, 1.5707963, 1e3]),
  'asin': (m.asin, [-0.999999, -0.3, 0.5, 0.95, 0.999999]), 'acos': (m.acos, [-0.999999, -0.3, 0.5, 0.95, 0.999999]), 'atan': (m.atan, [-1e8, -1, 0.99999999, 1e-9, 1e150]),
  'sinh': (m.sinh, [-20, 1e-9, 0.7, 300]), 'cosh': (m.cosh, [-20, 1e-9, 0.7, 300]), 'tanh': (m.tanh, [-19, -0.3, 1e-9, 5]),
  'asinh': (m.asinh, [-1e8, -2, 1e-9, 0.5, 1e150]), 'acosh': (m.acosh, [1.000001, 1.5, 10, 1e150]), 'atanh': (m.atanh, [-0.999999, -0.6, 1e-9, 0.9, 0.999999])}
D = {'exp': m.exp, 'expm1': m.exp, 'log': lambda x: 1/x, 'log1p': lambda x: 1/(1+x), 'log2': lambda x: 1/(x*m.log(2)), 'log10': lambda x: 1/(x*m.log(10)),
  'sqrt': lambda x: 1/(2*m.sqrt(x)), 'cbrt': lambda x: 1/(3*cbrt(x)**2), 'sin': m.cos, 'cos': lambda x: -m.sin(x), 'tan': lambda x: 1/m.cos(x)**2,
  'asin': lambda x: 1/m.sqrt(1-x*x), 'acos': lambda x: -1/m.sqrt(1-x*x), 'atan': lambda x: 1/(1+x*x), 'sinh': m.cosh, 'cosh': m.sinh, 'tanh': lambda x: 1/m.cosh(x)**2,
  'asinh': lambda x: 1/m.sqrt(x*x+1), 'acosh': lambda x: 1/m.sqrt(x*x-1), 'atanh': lambda x: 1/(1-x*x)}
out = []
for name, (f, xs) in un.items():
    for x in xs:
        d = D[name](mpf(x))
        out.append(f"  ['{name}', {float(x)!r}, {float(d)!r}],")
print('\n'.join(out))

*/
