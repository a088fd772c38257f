// The fence table: inputs accepted and refused, with the error kind, a message that names the
// construct, and the 1-based line and column. Hostile inputs must be refused before anything runs.

import { afterEach, describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/lang/parse.ts';
import { DdxError } from '../../src/errors.ts';
import { runGradient } from '../../src/run.ts';

interface Refusal {
  source: string;
  kind: string;
  message: RegExp;
  line: number;
  column: number;
}

const wrap = (body: string) => `function f(x) {\n  ${body}\n}`; // body sits on line 2, from column 3

const REFUSED: Refusal[] = [
  // hostile: reaching outside the sandbox
  { source: wrap("return fetch('//x');"), kind: 'unsupported', message: /strings are not supported/, line: 2, column: 16 },
  { source: wrap('return fetch(x);'), kind: 'unknown-name', message: /fetch is not a function ddx knows/, line: 2, column: 10 },
  { source: wrap('globalThis.x = 1; return x;'), kind: 'unsupported', message: /globalThis/, line: 2, column: 3 },
  { source: wrap('return this;'), kind: 'unsupported', message: /`this` is not supported/, line: 2, column: 10 },
  { source: wrap("return eval('1');"), kind: 'unsupported', message: /`eval` is not supported/, line: 2, column: 10 },
  { source: wrap("return Function('return 1')();"), kind: 'unsupported', message: /`Function` is not supported/, line: 2, column: 10 },
  { source: wrap("return x.constructor.constructor('return 1')();"), kind: 'unsupported', message: /constructor/, line: 2, column: 12 },
  { source: wrap('return x.__proto__;'), kind: 'unsupported', message: /__proto__/, line: 2, column: 12 },
  { source: wrap("return import('x');"), kind: 'unsupported', message: /import\(\) is not supported/, line: 2, column: 10 },
  { source: wrap('return `${x}`;'), kind: 'unsupported', message: /template literals/, line: 2, column: 10 },
  { source: wrap('return {a: x};'), kind: 'unsupported', message: /objects are not supported/, line: 2, column: 10 },
  { source: wrap('return Math.random();'), kind: 'unsupported', message: /Math\.random is not supported/, line: 2, column: 10 },
  { source: wrap('return window.alert(x);'), kind: 'unsupported', message: /`window` is not supported/, line: 2, column: 10 },
  { source: wrap('return process.exit(1);'), kind: 'unsupported', message: /`process` is not supported/, line: 2, column: 10 },
  { source: wrap("return require('fs');"), kind: 'unsupported', message: /strings are not supported|`require` is not supported/, line: 2, column: 10 },
  { source: wrap('return arguments[0];'), kind: 'unsupported', message: /`arguments` is not supported/, line: 2, column: 10 },
  { source: 'import fs from "fs";\nfunction f(x) { return x; }', kind: 'syntax', message: /import.*export|sourceType/, line: 1, column: 1 },
  { source: wrap('return x[`constructor`];'), kind: 'unsupported', message: /template literals/, line: 2, column: 12 },
  { source: wrap("return x['constructor'];"), kind: 'unsupported', message: /strings are not supported/, line: 2, column: 12 },
  { source: wrap('return Math.constructor;'), kind: 'unsupported', message: /constructor/, line: 2, column: 15 },
  { source: wrap('return self;'), kind: 'unsupported', message: /`self` is not supported/, line: 2, column: 10 },
  { source: wrap('return document.cookie;'), kind: 'unsupported', message: /`document` is not supported/, line: 2, column: 10 },
  // outside the subset
  { source: wrap('var y = 1; return y;'), kind: 'unsupported', message: /`var` is not supported: use let or const/, line: 2, column: 3 },
  { source: wrap('class A {} return x;'), kind: 'unsupported', message: /classes are not supported/, line: 2, column: 3 },
  { source: wrap('switch (x) { case 1: return 1; } return x;'), kind: 'unsupported', message: /switch is not supported: use if/, line: 2, column: 3 },
  { source: wrap('try { return x; } catch (e) { return 0; }'), kind: 'unsupported', message: /try\/catch is not supported/, line: 2, column: 3 },
  { source: wrap('do { x = x + 1; } while (x < 3); return x;'), kind: 'unsupported', message: /do\.\.\.while is not supported: use while/, line: 2, column: 3 },
  { source: wrap('for (const k in x) {} return x;'), kind: 'unsupported', message: /for\.\.\.in is not supported/, line: 2, column: 3 },
  { source: wrap('return x & 1;'), kind: 'unsupported', message: /bitwise operator `&`/, line: 2, column: 10 },
  { source: wrap('return typeof x;'), kind: 'unsupported', message: /`typeof` is not supported/, line: 2, column: 10 },
  { source: wrap('const g = (t) => t * x; return g(2);'), kind: 'unsupported', message: /nested functions are not supported/, line: 2, column: 13 },
  { source: wrap('return [...x][0];'), kind: 'unsupported', message: /spread/, line: 2, column: 11 },
  { source: wrap('const [a, b] = [x, x]; return a;'), kind: 'unsupported', message: /destructuring/, line: 2, column: 9 },
  { source: 'function f(x = 1) { return x; }', kind: 'unsupported', message: /default parameter values/, line: 1, column: 12 },
  { source: 'async function f(x) { return x; }', kind: 'unsupported', message: /async functions/, line: 1, column: 1 },
  { source: 'const k = 3;\nfunction f(x) { return k * x; }', kind: 'unsupported', message: /top-level variables/, line: 1, column: 7 },
  { source: 'function f(x) { return f(x - 1); }', kind: 'unsupported', message: /recursion is not supported/, line: 1, column: 24 },
  { source: wrap('x.push(1); return x;'), kind: 'unsupported', message: /\.push\(\) is not supported/, line: 2, column: 5 },
  { source: wrap('return null;'), kind: 'unsupported', message: /`null` is not supported/, line: 2, column: 10 },
  { source: wrap('return x ?? 1;'), kind: 'unsupported', message: /`\?\?` is not supported/, line: 2, column: 10 },
  { source: wrap('return x?.length;'), kind: 'unsupported', message: /optional chaining/, line: 2, column: 10 },
  { source: wrap('let y; return x;'), kind: 'unsupported', message: /declare y with a starting value/, line: 2, column: 7 },
  { source: wrap('const y = 1; y = 2; return y;'), kind: 'unsupported', message: /y is a const and cannot change: declare it with let/, line: 2, column: 16 },
  { source: wrap('let y = (x = 2); return y;'), kind: 'unsupported', message: /assignment inside an expression/, line: 2, column: 12 },
  { source: wrap('Math.sin(x); return x;'), kind: 'unsupported', message: /a call on its own line does nothing/, line: 2, column: 3 },
  { source: wrap('outer: for (let i = 0; i < 2; i++) {} return x;'), kind: 'unsupported', message: /labels are not supported/, line: 2, column: 3 },
  { source: wrap('let $y = x; return $y;'), kind: 'unsupported', message: /names containing \$ are reserved/, line: 2, column: 7 },
  { source: wrap('let Float64Array = x; return x;'), kind: 'unsupported', message: /Float64Array cannot be declared: it is a reserved name/, line: 2, column: 7 },
  { source: wrap('return new Date();'), kind: 'unsupported', message: /`new` is only supported as new Array\(n\)\.fill\(value\)/, line: 2, column: 10 },
  { source: wrap('return x.toFixed(2);'), kind: 'unsupported', message: /\.toFixed\(\) is not supported/, line: 2, column: 12 },
  { source: 'function* f(x) { yield x; }', kind: 'unsupported', message: /generator functions|yield/, line: 1, column: 1 },
  // names, arity and types
  { source: wrap('return y;'), kind: 'unknown-name', message: /y is not defined/, line: 2, column: 10 },
  { source: wrap('return sin(x);'), kind: 'unknown-name', message: /did you mean Math\.sin\?/, line: 2, column: 10 },
  { source: wrap('return Math.foo(x);'), kind: 'unknown-name', message: /Math\.foo is not supported: ddx has Math\.sin/, line: 2, column: 10 },
  { source: wrap('return Math.sin(x, 2);'), kind: 'arity', message: /Math\.sin takes 1 argument, but is called with 2/, line: 2, column: 10 },
  { source: wrap('return Math.atan2(x);'), kind: 'arity', message: /Math\.atan2 takes 2 arguments, but is called with 1/, line: 2, column: 10 },
  { source: wrap('return Math.max();'), kind: 'arity', message: /Math\.max needs at least one argument/, line: 2, column: 10 },
  { source: 'function g(a, b) { return a * b; }\nfunction f(x) { return g(x); }', kind: 'arity', message: /g takes 2 arguments, but is called with 1/, line: 2, column: 24 },
  { source: 'function f(x) { return x[0] + x; }', kind: 'type', message: /an array is used where a number is needed/, line: 1, column: 31 },
  { source: 'function f(x) { return (x > 1) * 2; }', kind: 'type', message: /a comparison is used as a number/, line: 1, column: 25 },
  { source: 'function f(x) { const a = [1, 2]; return a; }', kind: 'type', message: /f must return a number/, line: 1, column: 10 },
  // syntax errors, with the parser's position
  { source: 'function f(x) {\n  return x +;\n}', kind: 'syntax', message: /syntax error: Unexpected token/, line: 2, column: 13 },
  { source: 'function f(x) {\n  return x', kind: 'syntax', message: /syntax error: Unexpected token/, line: 2, column: 11 },
  { source: 'function f(x) { return x; }\nfunction f(y) { return y; }', kind: 'syntax', message: /f is declared twice/, line: 2, column: 10 },
  { source: 'x^2 + * y', kind: 'syntax', message: /syntax error/, line: 1, column: 7 },
  // nothing to differentiate, and expression-mode names
  { source: '   ', kind: 'no-function', message: /nothing to differentiate/, line: 1, column: 1 },
  { source: 'x^2 + foo(x)', kind: 'unknown-name', message: /foo is not a function ddx knows/, line: 1, column: 7 },
];

const ACCEPTED: { source: string; params: string[] }[] = [
  { source: 'function f(x, y) { return x ** 2 + 3 * x * y + y ** 2; }', params: ['x', 'y'] },
  { source: 'const f = (x) => Math.sin(x) * Math.PI;', params: ['x'] },
  { source: 'function g(t) { return t * t; }\nfunction f(x) { let s = 0; for (let i = 0; i < 3; i++) { s += g(x + i); } return s; }', params: ['x'] },
  { source: 'function f(v) { let s = 0; for (const e of v) { if (e < 0) continue; s += e; } return s; }', params: ['v'] },
  { source: 'function f(x) { let y = x; while (true) { y = y / 2; if (y < 1) break; } return y; }', params: ['x'] },
  { source: 'function f(n, x) { const a = new Array(3).fill(x); a[1] *= n; return a[0] + a[1] + a.length; }', params: ['n', 'x'] },
  { source: 'function f(x) { if (x > 0) { return x; } else if (x < -1) { return -x; } return x > -0.5 ? 1 : Math.max(x, 2, 3); }', params: ['x'] },
  { source: 'x^2 + 3*x*y + y^2', params: ['x', 'y'] },
  { source: 'x**2 + y**2', params: ['x', 'y'] },
  { source: 'sin(b) * a + log(a, 2)', params: ['b', 'a'] },
];

describe('the fence refuses, with kind, message, line and column', () => {
  it('has at least 40 refusals in the table', () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(40);
  });
  for (const r of REFUSED) {
    it(`refuses ${JSON.stringify(r.source)}`, () => {
      let caught: unknown;
      try {
        parseProgram(r.source);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DdxError);
      const e = caught as DdxError;
      expect({ kind: e.kind, line: e.line, column: e.column }).toEqual({ kind: r.kind, line: r.line, column: r.column });
      expect(e.message).toMatch(r.message);
    });
  }
});

describe('the fence accepts the subset', () => {
  for (const a of ACCEPTED) {
    it(`accepts ${JSON.stringify(a.source)}`, () => {
      const program = parseProgram(a.source);
      expect(program.functions[program.main].params.map((p) => p.name)).toEqual(a.params);
    });
  }
});

describe('nothing the user wrote runs', () => {
  const flag = '__ddx_pwned';
  const g = globalThis as Record<string, unknown>;
  afterEach(() => { delete g[flag]; });

  // Each payload would set globalThis.__ddx_pwned if any part of it were executed.
  const payloads = [
    `function f(x) { globalThis.${flag} = 1; return x; }`,
    `function f(x) { eval('globalThis.${flag} = 1'); return x; }`,
    `function f(x) { Function('globalThis.${flag} = 1')(); return x; }`,
    `function f(x) { return x.constructor.constructor('globalThis.${flag} = 1')(); }`,
    `function f(x) { return [].fill.constructor('globalThis.${flag} = 1')(); }`,
    `function f(x) { return Math.sin.call(null, (globalThis.${flag} = 1)); }`,
    `function f(x) { return x[\`\${globalThis.${flag} = 1}\`]; }`,
    `function f(x) { return import('data:text/javascript,globalThis.${flag}=1'); }`,
    `globalThis.${flag} = 1;\nfunction f(x) { return x; }`,
    `function f(x) { return x; }\n;(() => { globalThis.${flag} = 1; })();`,
    `function f(x) { return x; } /* */ globalThis.${flag} = 1`,
    `x^2 + (globalThis.${flag} = 1)`,
    `evaluate("globalThis.${flag} = 1")`,
  ];
  for (const source of payloads) {
    it(`refuses and never runs ${JSON.stringify(source)}`, () => {
      const outcome = runGradient({ source, at: { x: 1 } });
      expect('error' in outcome).toBe(true);
      expect(g[flag]).toBeUndefined();
    });
  }
});
