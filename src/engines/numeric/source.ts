// The engine's `source`: the chosen finite-difference formula as a small JavaScript function over
// the user's f, with the same steps the engine took. It is shown, never run by ddx (the tests run
// it against the compiled f to show that it computes what the engine computed).

import { gradientFunctionName, Namer, tangentBase } from '../../codegen/naming.ts';
import { mainFn, type Program } from '../../ir/types.ts';
import { METHODS, RICHARDSON_LEVELS, type MethodId } from './methods.ts';

/** D(F, h) for each real-step method, where F(t) is f with one input moved by t. */
function formulaBody(method: MethodId, F: string, h: string, f0: string): string {
  switch (method) {
    case 'forward': return `(${F}(${h}) - ${f0}) / ${h}`;
    case 'backward': return `(${f0} - ${F}(-${h})) / ${h}`;
    case 'central': return `(${F}(${h}) - ${F}(-${h})) / (2 * ${h})`;
    case 'five-point': return `(${F}(-2 * ${h}) - 8 * ${F}(-${h}) + 8 * ${F}(${h}) - ${F}(2 * ${h})) / (12 * ${h})`;
    default: return '';
  }
}

export function numericSource(program: Program, wrt: string[], method: MethodId, userStep: number | null): string {
  const fn = mainFn(program);
  const info = METHODS[method];
  const used = new Set<string>([...Object.keys(program.functions), ...fn.params.map((p) => p.name)]);
  for (const f of Object.values(program.functions)) for (const p of f.params) used.add(p.name);
  const names = new Namer(used);
  const grad = names.fresh(gradientFunctionName(fn.name, wrt));
  if (method === 'complex-step') {
    return [
      `// numeric: complex step, ${info.formula}, h = ${userStep ?? `${info.stepRule}·${info.scaleRule}`} per input.`,
      `// It runs ${fn.name} over complex numbers in ddx's interpreter (src/algebras/complex.ts), one sweep`,
      `// per input; plain JavaScript has no complex numbers, so there is no code to show for it.`,
    ].join('\n');
  }
  const step = names.fresh('step'), D = names.fresh('D'), F = names.fresh('F'), h = names.fresh('h'), t = names.fresh('t');
  const f0 = names.fresh('f0'), put = names.fresh('put'), v = names.fresh('v'), at = names.fresh('i');
  const params = fn.params.map((p) => p.name);
  const hasArray = fn.params.some((p) => p.type === 'arr' && wrt.includes(p.name));
  const lines: string[] = [];
  lines.push(`// numeric: ${info.title}, ${info.formula}; truncation error O(h^${info.order}).`);
  lines.push(userStep === null
    ? `// The step: h = ${info.stepRule}·${info.scaleRule} for each input x, made exact as (x + h) - x.`
    : `// The step: h = ${userStep} (set by the user), made exact as (x + h) - x.`);
  lines.push(`function ${grad}(${params.join(', ')}) {`);
  lines.push(userStep === null
    ? `  const ${step} = (v) => { const ${h} = ${info.stepJs} * Math.max(Math.abs(v), 1); return (v + ${h}) - v; };`
    : `  const ${step} = (v) => (v + ${userStep}) - v;`);
  if (hasArray) lines.push(`  const ${put} = (a, i, v) => { const c = a.slice(); c[i] = v; return c; };`);
  if (method === 'forward' || method === 'backward') lines.push(`  const ${f0} = ${fn.name}(${params.join(', ')});`);
  if (method === 'richardson') {
    const T = names.fresh('T'), row = names.fresh('row'), i = names.fresh('k'), j = names.fresh('j'), hi = names.fresh('hi');
    const L = RICHARDSON_LEVELS;
    lines.push(`  const ${D} = (${F}, ${h}) => {`);
    lines.push(`    const ${T} = [];`);
    lines.push(`    for (let ${i} = 0; ${i} < ${L}; ${i}++) {`);
    lines.push(`      const ${hi} = ${h} / 2 ** ${i};`);
    lines.push(`      const ${row} = [(${F}(${hi}) - ${F}(-${hi})) / (2 * ${hi})];`);
    lines.push(`      for (let ${j} = 1; ${j} <= ${i}; ${j}++) ${row}.push(${row}[${j} - 1] + (${row}[${j} - 1] - ${T}[${i} - 1][${j} - 1]) / (4 ** ${j} - 1));`);
    lines.push(`      ${T}.push(${row});`);
    lines.push(`    }`);
    lines.push(`    return ${T}[${L - 1}][${L - 1}];`);
    lines.push(`  };`);
  } else {
    lines.push(`  const ${D} = (${F}, ${h}) => ${formulaBody(method, F, h, f0)};`);
  }
  const result: string[] = [];
  fn.params.forEach((p, k) => {
    if (!wrt.includes(p.name)) return;
    const d = names.fresh(tangentBase(p.name));
    result.push(`${p.name}: ${d}`);
    const callWith = (replacement: string) => `${fn.name}(${params.map((q, m) => (m === k ? replacement : q)).join(', ')})`;
    if (p.type === 'num') {
      lines.push(`  const ${d} = ${D}((${t}) => ${callWith(`${p.name} + ${t}`)}, ${step}(${p.name}));`);
    } else {
      lines.push(`  const ${d} = ${p.name}.map((${v}, ${at}) => ${D}((${t}) => ${callWith(`${put}(${p.name}, ${at}, ${v} + ${t})`)}, ${step}(${v})));`);
    }
  });
  lines.push(`  return { ${result.join(', ')} };`);
  lines.push('}');
  return lines.join('\n');
}
