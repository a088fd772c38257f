// The IR: lowering pinned by printer snapshots, the validator catching malformed IR, the
// interpreter and the compiled fast path agreeing bit for bit, and the operation budget.

import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/lang/parse.ts';
import { printProgram } from '../../src/ir/printer.ts';
import { validateProgram } from '../../src/ir/validate.ts';
import { Interpreter } from '../../src/interp/interpreter.ts';
import { floatAlgebra } from '../../src/interp/algebra.ts';
import { compileProgram, compileToSource } from '../../src/interp/compile.ts';
import { DdxError } from '../../src/errors.ts';
import type { Expr, Program } from '../../src/ir/types.ts';
import { corpus } from './corpus.ts';

describe('lowering, pinned by the printer', () => {
  it('lowers operators, compound assignment and ++ onto primitives', () => {
    const p = parseProgram('function f(x, y) {\n  let z = x ** 2 - y / 3;\n  z += Math.hypot(x, y, 1);\n  for (let i = 0; i < 2; i++) { z *= -x; }\n  return z % 2;\n}');
    expect(printProgram(p)).toMatchInlineSnapshot(`
      "fn f(x: num, y: num) -> num {
        let z: num = sub(pow(x, 2), div(y, 3))
        z = add(z, hypot(hypot(x, y), 1))
        let i: num = 0
        loop(for) while (i < 2) {
          z = mul(z, neg(x))
        } update {
          i = add(i, 1)
        }
        return mod(z, 2)
      }"
    `);
  });

  it('lowers for...of, arrays, helpers and renames shadowed names', () => {
    const p = parseProgram('function sq(t) { return t * t; }\nfunction f(v, x) {\n  const a = new Array(v.length).fill(0);\n  let s = 0;\n  for (const e of v) { const s2 = sq(e); if (s2 > 1) { continue; } s += s2; }\n  { let s = x; a[0] = s; }\n  return s + a[0] + (x > 0 && !(x > 1) ? 1 : 2);\n}');
    expect(printProgram(p)).toMatchInlineSnapshot(`
      "fn f(v: arr, x: num) -> num {
        let a: arr = fill(len(v), 0)
        let s: num = 0
        let e_index: num = 0
        loop(for-of) while (e_index < len(v)) {
          let e: num = v[e_index]
          let s2: num = call sq(e)
          if (s2 > 1) {
            continue
          }
          s = add(s, s2)
        } update {
          e_index = add(e_index, 1)
        }
        let s_2: num = x
        a[0] = s_2
        return add(add(s, a[0]), (((x > 0) && !(x > 1)) ? 1 : 2))
      }

      fn sq(t: num) -> num {
        return mul(t, t)
      }"
    `);
  });

  it('reads expression mode with parameters in order of appearance', () => {
    const p = parseProgram('y * x^2 + 3*x*y + sin(y)^2 + pi');
    expect(printProgram(p)).toMatchInlineSnapshot(`
      "fn f(y: num, x: num) -> num {
        return add(add(add(mul(y, pow(x, 2)), mul(mul(3, x), y)), pow(sin(y), 2)), 3.141592653589793)
      }"
    `);
  });
});

describe('expression-mode source spans', () => {
  it('give every operation the text it came from, implicit multiplication included', () => {
    const source = 'x**2 + 3*x*y + y**2\ndf_dx = 2x + 3y';
    const program = parseProgram(source);
    const text = (e: { loc?: { line: number; column: number; endColumn?: number } }) => source.split('\n')[e.loc!.line - 1].slice(e.loc!.column - 1, e.loc!.endColumn! - 1);
    const f = (program.functions.f.body[0] as { value: Extract<Expr, { k: 'prim' }> }).value;
    expect(text(f)).toBe('x**2 + 3*x*y + y**2');
    const [left, right] = f.args as Extract<Expr, { k: 'prim' }>[];
    expect([text(left), text(left.args[0]), text(left.args[1]), text(right)]).toEqual(['x**2 + 3*x*y', 'x**2', '3*x*y', 'y**2']);
    const d = (program.functions.df_dx.body[0] as { value: Extract<Expr, { k: 'prim' }> }).value;
    expect(d.loc!.line).toBe(2);
    expect((d.args as Extract<Expr, { k: 'prim' }>[]).map(text)).toEqual(['2x', '3y']);
  });
});

describe('the validator', () => {
  const base = () => parseProgram('function f(x) { let y = x * 2; return y; }');
  const broken: [string, (p: Program) => void][] = [
    ['a variable used before it is declared', (p) => { p.functions.f.body.unshift({ k: 'assign', name: 'q', value: { k: 'num', value: 1 } }); }],
    ['a primitive with the wrong arity', (p) => { p.functions.f.body[1] = { k: 'return', value: { k: 'prim', op: 'sin', args: [{ k: 'var', name: 'x' }, { k: 'var', name: 'x' }] } }; }],
    ['break outside a loop', (p) => { p.functions.f.body.unshift({ k: 'break' }); }],
    ['a call to a missing function', (p) => { p.functions.f.body[1] = { k: 'return', value: { k: 'call', fn: 'g', args: [] } }; }],
    ['an array where a number belongs', (p) => { p.functions.f.body[1] = { k: 'return', value: { k: 'array', elements: [] } }; }],
  ];
  it('accepts what lowering produces', () => expect(() => validateProgram(base())).not.toThrow());
  for (const [what, breakIt] of broken) {
    it(`catches ${what}`, () => {
      const p = base();
      breakIt(p);
      expect(() => validateProgram(p)).toThrow(/internal IR error/);
    });
  }
});

describe('the compiled fast path agrees with the interpreter', () => {
  it('bit for bit on every corpus point', () => {
    let compared = 0;
    for (const entry of corpus) {
      const program = parseProgram(entry.source);
      const compiled = compileProgram(program);
      for (const point of entry.points) {
        const args = program.functions[program.main].params.map((p) => point.at[p.name]);
        const interpreted = new Interpreter(program, floatAlgebra).run(args);
        expect(Object.is(compiled(...args), interpreted), `${entry.name} ${JSON.stringify(point.at)}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('does not let element writes reach the caller', () => {
    const program = parseProgram('function f(v) { v[0] = 100; return v[0]; }');
    const input = [1, 2];
    expect(compileProgram(program)(input)).toBe(100);
    expect(new Interpreter(program, floatAlgebra).run([input])).toBe(100);
    expect(input).toEqual([1, 2]);
  });
});

describe('the operation budget', () => {
  const runaway = 'function f(x) {\n  while (true) { x = x + 1; }\n  return x;\n}';
  it('stops while (true) in the interpreter with a located budget error, quickly', () => {
    const program = parseProgram(runaway);
    const t0 = Date.now();
    let caught: unknown;
    try { new Interpreter(program, floatAlgebra).run([1]); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(DdxError);
    expect((caught as DdxError).kind).toBe('budget');
    expect((caught as DdxError).line).toBe(2);
    // Not a timing assertion on speed, only a guard against a hang: the suite would otherwise stall.
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
  it('stops while (true) in compiled code too', () => {
    const compiled = compileProgram(parseProgram(runaway), 1_000_000);
    expect(() => compiled(1)).toThrow(/loop iterations/);
  });
  it('compiles f without the counter when asked (the bench\'s plain f): same value, no $steps', () => {
    const source = 'function f(x) { let s = 0; for (let i = 1; i <= 4; i++) { s += x ** i; } return s; }';
    expect(compileToSource(parseProgram(source), null)).not.toContain('$steps >');
    expect(compileToSource(parseProgram(source))).toContain('$steps >');
    expect(compileProgram(parseProgram(source), null)(2)).toBe(2 + 4 + 8 + 16);
  });
  it('refuses absurd array sizes', () => {
    const program = parseProgram('function f(x) { const a = new Array(1e12).fill(x); return a[0]; }');
    expect(() => new Interpreter(program, floatAlgebra).run([1])).toThrow(/whole length/);
  });
  it('reports an index out of range with its place', () => {
    const program = parseProgram('function f(v) {\n  return v[5];\n}');
    expect(() => new Interpreter(program, floatAlgebra).run([[1, 2]])).toThrow(/index 5 is out of range for an array of length 2/);
  });
});
