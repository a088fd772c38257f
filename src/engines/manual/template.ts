// The template the manual engine offers when there is no hand-written derivative to check: one
// df_dx per parameter, with f's own signature, in the language mode f is written in.

import { mainFn, type Program } from '../../ir/types.ts';

/** Text to paste beside f: a derivative function (or formula line) per parameter in `params`. */
export function manualTemplate(program: Program, params?: string[]): string {
  const f = mainFn(program);
  const wanted = f.params.filter((p) => !params || params.includes(p.name));
  const signature = f.params.map((p) => p.name).join(', ');
  if (program.mode === 'expression') {
    return wanted.map((p) => `d${f.name}_d${p.name} = 0  # your derivative of ${f.name} with respect to ${p.name}`).join('\n');
  }
  return wanted.map((p) => {
    const body = p.type === 'arr'
      ? `  // one partial per element: entry i is the derivative of ${f.name} with respect to ${p.name}[i]\n  return new Array(${p.name}.length).fill(0);`
      : `  return 0; // your derivative of ${f.name} with respect to ${p.name}`;
    return `function d${f.name}_d${p.name}(${signature}) {\n${body}\n}`;
  }).join('\n\n');
}
