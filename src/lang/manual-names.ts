// The naming convention for hand-written derivatives, shared by both language modes:
// `df_dx` (one per parameter, same parameters as f) or `grad_f` (returns an array in parameter order).

import type { ManualDerivatives } from '../ir/types.ts';

export function isManualName(name: string): boolean {
  return /^d[A-Za-z_]\w*_d[A-Za-z_]\w*$/.test(name) || /^grad_[A-Za-z_]\w*$/.test(name);
}

/** Picks the function to differentiate (`f`, else the first that is not a derivative) and its derivatives. */
export function chooseMain(names: string[], params: string[][]): { main: string; manual: ManualDerivatives | undefined } {
  const main = names.includes('f') ? 'f' : (names.find((n) => !isManualName(n)) ?? names[0]);
  const mainParams = params[names.indexOf(main)];
  const partials: Record<string, string> = {};
  for (const p of mainParams) {
    const name = `d${main}_d${p}`;
    if (names.includes(name)) partials[p] = name;
  }
  const gradientName = `grad_${main}`;
  const gradient = names.includes(gradientName) ? gradientName : undefined;
  if (Object.keys(partials).length === 0 && !gradient) return { main, manual: undefined };
  return { main, manual: { partials, gradient } };
}
