// The CSE stage as JavaScript: one function taking f's parameters and returning the gradient as
// a flat array in slot order, with each common subexpression computed once as a const. Written
// only from ddx's own canonical trees (checked symbol names, operations spelled by the rules
// table), never from the user's text; compiled with `new Function`.

import { gradientFunctionName } from '../codegen/naming.ts';
import type { Fn } from '../ir/types.ts';
import type { CseResult } from './cse.ts';
import type { SNode } from './node.ts';
import type { Printer } from './print.ts';
import type { SymbolSlot } from './trace.ts';

export interface GeneratedGradient {
  name: string;
  source: string;
}

/** Symbols used anywhere in the given expressions. */
function symbolsIn(roots: SNode[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (n.kind === 'sym') out.add(n.name);
    stack.push(...n.args);
  }
  return out;
}

export function generateGradient(fn: Fn, slots: SymbolSlot[], wrtSlots: SymbolSlot[], common: CseResult, printer: Printer): GeneratedGradient {
  const name = gradientFunctionName(fn.name, [...new Set(wrtSlots.map((s) => s.param))]);
  const params = fn.params.map((p) => p.name);
  const used = symbolsIn([...common.temps.map((t) => t.node), ...common.outputs]);
  const lines: string[] = [];
  const wrt = [...new Set(wrtSlots.map((s) => s.param))];
  lines.push(`// The gradient of ${fn.name} with respect to ${wrt.length ? wrt.join(', ') : 'nothing (no parameters)'}, from the simplified`);
  lines.push('// derivative with its common subexpressions computed once. Valid on the path traced at the point.');
  lines.push(`function ${name}(${params.join(', ')}) {`);
  const elements = slots.filter((s) => s.index !== null && used.has(s.name));
  if (elements.length) lines.push(`  const ${elements.map((s) => `${s.name} = ${s.param}[${s.index}]`).join(', ')};`);
  for (const t of common.temps) lines.push(`  const ${t.name} = ${printer.js(t.node)};`);
  if (common.outputs.length === 1) lines.push(`  return [${printer.js(common.outputs[0])}];`);
  else {
    lines.push('  return [');
    common.outputs.forEach((o, i) => lines.push(`    ${printer.js(o)}, // d${fn.name}/d${wrtSlots[i].name}`));
    lines.push('  ];');
  }
  lines.push('}');
  return { name, source: lines.join('\n') };
}

export type GradientFunction = (...args: (number | number[])[]) => number[];

export function compileGradient(g: GeneratedGradient): GradientFunction {
  return new Function(`"use strict";\n${g.source}\nreturn ${g.name};`)() as GradientFunction;
}
