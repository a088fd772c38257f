// The language entry point: text -> Program (IR). Function mode when the text declares a
// function, expression mode (mathjs syntax) otherwise. Validates the IR before returning it.

import { DdxError } from '../errors.ts';
import type { Program } from '../ir/types.ts';
import { validateProgram } from '../ir/validate.ts';
import { lowerJavaScript } from './lower-js.ts';
import { lowerMathExpression, looksLikeFunctionSource } from './lower-math.ts';

/** Source longer than this is refused before parsing: a permalink or paste must not stall the page. */
export const MAX_SOURCE_LENGTH = 100_000;

export function parseProgram(source: string): Program {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new DdxError('unsupported', `the source is ${source.length} characters long; ddx accepts up to ${MAX_SOURCE_LENGTH}`, { line: 1, column: 1 });
  }
  if (source.trim() === '') throw new DdxError('no-function', 'nothing to differentiate: write function f(x) { return ... } or a formula such as x^2', { line: 1, column: 1 });
  const program = looksLikeFunctionSource(source) ? lowerJavaScript(source) : lowerMathExpression(source);
  validateProgram(program);
  return program;
}
