// Finds the user's hand-written derivative and ties it to f's inputs. It is written beside f
// (`df_dx`, `grad_f`, or `df_dx = ...` lines in expression mode) or comes as separate text (the
// CLI's --manual FILE, the `source` option), which is parsed together with f; errors in that text
// point at its own lines. Where there is nothing to check, the error carries a template.

import { DdxError, type SourceLocation } from '../../errors.ts';
import { mainFn, type Fn, type Program } from '../../ir/types.ts';
import { isManualName } from '../../lang/manual-names.ts';
import { looksLikeFunctionSource } from '../../lang/lower-math.ts';
import { parseProgram } from '../../lang/parse.ts';
import type { Point } from '../../point.ts';
import { manualTemplate } from './template.ts';
import { usesName } from './walk.ts';

/** One scalar input of f: a number parameter or one element of an array parameter. */
export interface InputSlot {
  param: string;
  index: number | null;
  /** `x`, or `x[1]` for an element. */
  label: string;
  /** The key in `derivatives`: `x`, or `x_1` for an element. */
  key: string;
}

/** A user function that gives some of the derivatives. */
export interface DerivativeFn {
  name: string;
  kind: 'partial' | 'gradient';
  /** For a partial, the parameter it differentiates with respect to. */
  param?: string;
  /** For each of its parameters, the index of f's parameter it receives. */
  argIndex: number[];
  /** Slots its result gives, in result order (indices into `slots`; -1 for one not checked). */
  gives: number[];
  /** The shape its result must have: a number, or an array of this length. */
  shape: 'num' | number;
  loc?: SourceLocation;
}

export interface ManualSetup {
  /** f together with the user's derivative functions (and any helpers). */
  program: Program;
  /** Every scalar input of f, all parameters in order. */
  slots: InputSlot[];
  /** Indices into `slots` of the inputs differentiated with respect to. */
  wrtSlots: number[];
  functions: DerivativeFn[];
  /** For each wrt slot, which function's value is reported as the gradient. */
  reportedBy: Map<number, { fn: DerivativeFn; position: number }>;
  notes: string[];
}

export function slotsOf(fn: Fn, point: Point): InputSlot[] {
  const out: InputSlot[] = [];
  for (const p of fn.params) {
    const v = point[p.name];
    if (Array.isArray(v)) v.forEach((_, i) => out.push({ param: p.name, index: i, label: `${p.name}[${i}]`, key: `${p.name}_${i}` }));
    else out.push({ param: p.name, index: null, label: p.name, key: p.name });
  }
  return out;
}

export function resolveManual(program: Program, point: Point, wrt: string[], options: Record<string, unknown>): ManualSetup {
  const notes: string[] = [];
  const text = options.source;
  if (text !== undefined && typeof text !== 'string') throw new DdxError('input', 'the manual engine\'s source option must be text holding df_dx(...) or grad_f(...)');
  let merged = program;
  if (typeof text === 'string' && text.trim() !== '') {
    merged = mergeManualSource(program, text);
    notes.push('the derivative comes from the separate manual text (--manual), parsed together with f');
  }
  const f = mainFn(merged);
  const slots = slotsOf(f, point);
  const wrtSlots = slots.map((s, i) => (wrt.includes(s.param) ? i : -1)).filter((i) => i >= 0);
  const manual = merged.manual;
  const missing = wrt.filter((p) => !manual?.partials[p] && !manual?.gradient);

  // Derivative-looking names that match no parameter (df_dz for f(x, y)): say so rather than ignore them.
  const looksLikeMine = (n: string) => n.startsWith(`d${f.name}_d`) || n.startsWith('grad_');
  const stray = Object.keys(merged.functions).filter((n) => n !== f.name && looksLikeMine(n) && isManualName(n) && !Object.values(manual?.partials ?? {}).includes(n) && manual?.gradient !== n);
  if (missing.length > 0) {
    const names = missing.map((p) => `d${f.name}_d${p}`);
    const given = manual ? Object.values(manual.partials) : [];
    const straySay = stray.length ? ` (${stray.join(', ')} ${stray.length === 1 ? 'matches' : 'match'} no parameter of ${f.name}(${f.params.map((p) => p.name).join(', ')}))` : '';
    const head = !manual
      ? `no hand-written derivative to check${straySay}: write ${names.join(' and ')} beside ${f.name} (or grad_${f.name}, returning every partial in parameter order)`
      : `no hand-written derivative with respect to ${missing.join(', ')}: you gave ${given.join(', ')}; add ${names.join(' and ')} (or check only the others, with --wrt ${wrt.filter((p) => !missing.includes(p)).join(',')})`;
    throw new DdxError('input', `${head}; the result's "template" is a start`, null, { template: manualTemplate(merged, missing) });
  }
  if (stray.length) notes.push(`${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} not checked: ${stray.length === 1 ? 'it matches' : 'they match'} no parameter of ${f.name}(${f.params.map((p) => p.name).join(', ')})`);

  const functions: DerivativeFn[] = [];
  const reportedBy = new Map<number, { fn: DerivativeFn; position: number }>();
  for (const p of f.params) {
    const name = manual?.partials[p.name];
    if (!name || !wrt.includes(p.name)) continue;
    const own = slots.map((s, i) => (s.param === p.name ? i : -1)).filter((i) => i >= 0);
    const fn: DerivativeFn = {
      name, kind: 'partial', param: p.name, argIndex: bindParams(merged.functions[name], f), gives: own,
      shape: p.type === 'arr' ? own.length : 'num', loc: merged.functions[name].loc,
    };
    functions.push(fn);
    own.forEach((slot, position) => reportedBy.set(slot, { fn, position }));
  }
  if (manual?.gradient) {
    const name = manual.gradient;
    const fn: DerivativeFn = {
      name, kind: 'gradient', argIndex: bindParams(merged.functions[name], f),
      gives: slots.map((_, i) => (wrtSlots.includes(i) ? i : -1)),
      shape: slots.length === 1 && merged.functions[name].returns === 'num' ? 'num' : slots.length,
      loc: merged.functions[name].loc,
    };
    if (fn.gives.some((i) => i >= 0)) {
      functions.push(fn);
      fn.gives.forEach((slot, position) => { if (slot >= 0 && !reportedBy.has(slot)) reportedBy.set(slot, { fn, position }); });
      if (functions.length > 1) notes.push(`both ${functions.filter((d) => d.kind === 'partial').map((d) => d.name).join(', ')} and ${name} are given: each is checked, and the gradient shown is taken from the per-parameter ones first`);
    }
  }
  for (const fn of functions) checkTypes(merged.functions[fn.name], f, fn);
  return { program: merged, slots, wrtSlots, functions, reportedBy, notes };
}

/**
 * Which of f's arguments each parameter of a derivative function receives: by name when its
 * parameters are names of f's (so df_dx(x) may leave out a y it does not need), else by position
 * when it has exactly f's number of parameters.
 */
function bindParams(d: Fn, f: Fn): number[] {
  const names = f.params.map((p) => p.name);
  const byName = d.params.map((p) => names.indexOf(p.name));
  if (byName.every((i) => i >= 0)) return byName;
  if (d.params.length === f.params.length) return d.params.map((_, i) => i);
  throw new DdxError('arity', `${d.name} must take the parameters of ${f.name}: (${names.join(', ')}), or some of them by the same names; it takes (${d.params.map((p) => p.name).join(', ')})`, d.loc);
}

/** A derivative that uses a parameter as a number where f passes an array (or the reverse) cannot run. */
function checkTypes(d: Fn, f: Fn, binding: DerivativeFn): void {
  d.params.forEach((p, i) => {
    const theirs = f.params[binding.argIndex[i]];
    if (p.type === theirs.type || !usesName(d.body, p.name)) return;
    throw new DdxError('type', `${d.name} uses ${p.name} as ${p.type === 'num' ? 'a number' : 'an array'}, but ${f.name}'s ${theirs.name} is ${theirs.type === 'num' ? 'a number' : 'an array'}`, d.loc);
  });
  const wantsArray = binding.shape !== 'num';
  if (d.returns === 'num' && wantsArray) {
    const what = binding.kind === 'gradient' ? `every partial of ${f.name} in parameter order (array elements in turn)` : `one partial per element of ${binding.param}`;
    throw new DdxError('type', `${d.name} must return an array: ${what}, ${binding.shape} numbers`, d.loc);
  }
  if (d.returns === 'arr' && !wantsArray) throw new DdxError('type', `${d.name} must return a number: the derivative of ${f.name} with respect to a number parameter`, d.loc);
}

/** Lines in a text: the line offset at which appended text starts. */
function lineCount(text: string): number {
  return text.split('\n').length;
}

/**
 * Parses the separate manual text together with f. In the same mode as f it is appended to f's
 * source (so it may call f's helpers); in the other mode it is parsed after a one-line stand-in
 * with f's signature, and its functions are grafted onto f's program.
 */
export function mergeManualSource(program: Program, text: string): Program {
  const f = mainFn(program);
  // Trailing blank lines would move an "unexpected end" error past the last line of the text.
  text = text.trimEnd();
  const manualIsFunction = looksLikeFunctionSource(text);
  if (manualIsFunction === (program.mode === 'function')) {
    const offset = lineCount(program.source);
    return inManualText(() => parseProgram(`${program.source}\n${text}`), offset);
  }
  const params = f.params.map((p) => p.name).join(', ');
  if (!manualIsFunction && f.params.some((p) => p.type === 'arr')) {
    throw new DdxError('unsupported', `the manual text is a formula, but ${f.name} takes an array; write the derivative as a function: function d${f.name}_d${f.params[0].name}(${params}) { ... }`);
  }
  const stub = manualIsFunction ? `function ${f.name}(${params}) { return 0; }` : `${f.name}(${params}) = 0`;
  const parsed = inManualText(() => parseProgram(`${stub}\n${text}`), 1);
  const functions = { ...program.functions };
  for (const [name, fn] of Object.entries(parsed.functions)) {
    if (name === f.name) continue;
    if (functions[name] && !isManualName(name)) throw new DdxError('syntax', `in the manual text: ${name} is already defined beside ${f.name}`, fn.loc ? { ...fn.loc, line: fn.loc.line - 1 } : null);
    functions[name] = fn;
  }
  return { ...program, functions, manual: parsed.manual };
}

/** Errors located in the appended text are reported at their line in that text. */
function inManualText<T>(parse: () => T, offset: number): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof DdxError)) throw err;
    if (err.line !== null && err.line > offset) {
      throw new DdxError(err.kind, `in the manual text: ${err.message}`, { line: err.line - offset, column: err.column ?? 1 });
    }
    throw new DdxError(err.kind, `reading the manual text with ${err.line === null ? 'f' : 'f (this location is in f\'s text)'}: ${err.message}`, err.line === null ? null : { line: err.line, column: err.column ?? 1 });
  }
}
