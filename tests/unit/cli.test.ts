// The command line and its JSON contract: shapes, exit codes, batch lines, --at @file, errors.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main.ts';

function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { err += t; }, readStdin: () => stdin };
  return main(argv, io).then((code) => ({ code, out, err }));
}

const dir = mkdtempSync(join(tmpdir(), 'ddx-cli-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const autograd = file('autograd.js', 'function f(x, y) {\n  return x ** 2 + 3 * x * y + y ** 2;\n}\n');

describe('ddx grad --json', () => {
  it('keeps the contract names, with the reference from the exact gradient 2x + 3y, 3x + 2y', async () => {
    const { code, out } = await run(['grad', autograd, '--at', '{"x":2,"y":1}', '--engines', '', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ function: 'f', params: ['x', 'y'], at: { x: 2, y: 1 }, wrt: ['x', 'y'], value: 11, reference: { gradient: { x: 7, y: 8 }, digits: 40 }, engines: {} });
  });

  it('takes --wrt, in parameter order', async () => {
    const { out } = await run(['grad', autograd, '--at', '{"x":0,"y":5}', '--wrt', 'y', '--engines', '', '--json']);
    expect(JSON.parse(out)).toMatchObject({ wrt: ['y'], reference: { gradient: { y: 10 } } });
  });

  it('reads the source from standard input and the point from @file, arrays included', async () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => (i % 7) / 10);
    const at = file('at.json', JSON.stringify({ x }));
    const { code, out } = await run(['grad', '-', '--at', `@${at}`, '--engines', '', '--json'], 'function f(x) { let s = 0; for (const v of x) { s += v * v; } return s; }');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    // d/dx_i of sum x_i^2 is 2 x_i.
    expect(json.reference.gradient.x).toEqual(x.map((v) => 2 * v));
  });

  it('prints a readable table without --json', async () => {
    const { code, out } = await run(['grad', autograd, '--at', '{"x":2,"y":1}', '--engines', '']);
    expect(code).toBe(0);
    expect(out).toMatch(/reference\s+7\s+8/);
  });

  it('exits 1 with the fence error for a refused source', async () => {
    const bad = file('bad.js', 'function f(x) {\n  return eval("x");\n}');
    const { code, out } = await run(['grad', bad, '--at', '{"x":1}', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ error: { kind: 'unsupported', message: expect.stringMatching(/eval/), line: 2, column: 10 } });
  });

  it('names a missing or an extra parameter', async () => {
    const missing = await run(['grad', autograd, '--at', '{"x":1}', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out).error.message).toMatch(/no value for the parameter y/);
    const extra = await run(['grad', autograd, '--at', '{"x":1,"y":2,"z":3}', '--json']);
    expect(extra.code).toBe(1);
    expect(JSON.parse(extra.out).error.message).toMatch(/gives z, which is not a parameter/);
  });

  it('stops while (true) with the budget error', async () => {
    const loop = file('loop.js', 'function f(x) {\n  while (true) {}\n  return x;\n}');
    const { code, out } = await run(['grad', loop, '--at', '{"x":1}', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).error).toMatchObject({ kind: 'budget', line: 2 });
  });

  it('exits 2 on bad usage', async () => {
    expect((await run(['grad', autograd])).code).toBe(2);
    expect((await run(['grad', autograd, '--at', '{}', '--bogus'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['grad', autograd, '--at', '{"x":1,"y":1}', '--engines', 'nosuch'])).code).toBe(2);
  });

  it('reports --time figures', async () => {
    const { out } = await run(['grad', autograd, '--at', '{"x":2,"y":1}', '--engines', '', '--json', '--time']);
    expect(JSON.parse(out).f_micros).toBeGreaterThan(0);
  });
});

describe('ddx batch', () => {
  it('answers every line in order; a bad line gives an error on its line and the batch goes on', async () => {
    const lines = [
      JSON.stringify({ source: 'x^2 + y^2', at: { x: 1, y: 3 }, wrt: ['y'], engines: [] }),
      '{ not json',
      JSON.stringify({ source: 'function f(x) { return this; }', at: { x: 1 }, engines: [] }),
      '',
      JSON.stringify({ at: { x: 1 } }),
      JSON.stringify({ source: 'function f(x) { return Math.exp(x); }', at: { x: 0 }, engines: [] }),
    ].join('\n');
    const { code, out } = await run(['batch', '-'], lines);
    expect(code).toBe(0);
    const results = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(results).toHaveLength(5);
    expect(results[0].reference.gradient).toEqual({ y: 6 }); // d/dy (x^2 + y^2) = 2y = 6 at y = 3
    expect(results[1].error).toMatchObject({ kind: 'input', message: expect.stringMatching(/batch line 2: not valid JSON/) });
    expect(results[2].error).toMatchObject({ kind: 'unsupported', line: 1, column: 24 });
    expect(results[3].error.message).toMatch(/batch line 5: needs "source"/);
    expect(results[4].reference.gradient).toEqual({ x: 1 }); // exp'(0) = 1
  });
});

describe('npx ddx, as installed', () => {
  it('runs from the package bin', () => {
    const r = spawnSync('npx', ['ddx', 'grad', autograd, '--at', '{"x":2,"y":1}', '--engines', '', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).reference.gradient).toEqual({ x: 7, y: 8 });
  });
});
