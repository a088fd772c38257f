#!/usr/bin/env python3
"""sympy's side of the symbolic benchmark: for every expression in bench/symbolic-expressions.json,
differentiate with sympy, simplify, and record count_ops sizes, the simplified text and the times.
Writes bench/sympy-sizes.json, which bench/symbolic.ts prints beside ddx's and mathjs's columns.

Run from the repository root:  python3 bench/sympy-sizes.py   (needs only sympy; about 30 s)
"""
import json
import os
import statistics
import sys
import time

import sympy
from sympy import Max, Min, count_ops, diff, simplify
from sympy.codegen.cfunctions import expm1, hypot, log1p, log2, log10
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

HERE = os.path.dirname(os.path.abspath(__file__))
TRANSFORMS = standard_transformations + (convert_xor,)
# mathjs names sympy spells differently (or keeps in sympy.codegen.cfunctions).
LOCALS = {'log1p': log1p, 'expm1': expm1, 'hypot': hypot, 'log2': log2, 'log10': log10,
          'max': Max, 'min': Min, 'pi': sympy.pi, 'e': sympy.E, 'fix': lambda a: sympy.sign(a) * sympy.floor(abs(a)),
          'ceil': sympy.ceiling}


def parse(text, symbols):
    local = dict(LOCALS)
    local.update(symbols)
    return parse_expr(text, local_dict=local, transformations=TRANSFORMS)


def best_of(fn, repeats):
    """Median seconds of `repeats` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main():
    spec = json.load(open(os.path.join(HERE, 'symbolic-expressions.json')))
    rows = []
    for item in spec['expressions']:
        names = sorted(set(ch for ch in __import__('re').findall(r'[A-Za-z_]\w*', item['expr'])) - set(LOCALS) - {
            'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'exp', 'log', 'sqrt', 'cbrt', 'abs'})
        symbols = {n: sympy.Symbol(n, real=True) for n in names}
        expr = parse(item['expr'], symbols)
        var = symbols[item['wrt']]
        t_diff, d = best_of(lambda: diff(expr, var), 3)
        # simplify is slow: time it a few times only; sympy caches, so clear the cache before each run.
        def simplify_fresh():
            sympy.core.cache.clear_cache()
            return simplify(d)
        t_simp, s = best_of(simplify_fresh, 3)
        rows.append({
            'name': item['name'], 'expr': item['expr'], 'wrt': item['wrt'],
            'diff': str(d), 'diff_size': int(count_ops(d)),
            'simplified': str(s), 'simplified_size': int(count_ops(s)),
            'diff_ms': round(t_diff * 1000, 3), 'simplify_ms': round(t_simp * 1000, 3),
        })
        print(f"{item['name']:32s} {count_ops(d):4d} {count_ops(s):4d} {t_simp*1000:8.1f} ms  {s}", file=sys.stderr)
    out = {
        'generated_by': 'bench/sympy-sizes.py',
        'sympy': sympy.__version__,
        'python': sys.version.split()[0],
        'note': 'symbols are real=True; simplify timed with a cleared cache (median of 3); sizes are count_ops',
        'rows': rows,
    }
    with open(os.path.join(HERE, 'sympy-sizes.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
