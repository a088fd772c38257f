// Fitting the point and wrt to the parameters as the user edits: defaults for new parameters,
// conversion when a parameter changes between number and array, new parameters differentiated.

import { describe, expect, it } from 'vitest';
import { DEFAULT_ARRAY, DEFAULT_NUMBER, fitPoint, fitWrt } from '../../app/worker/fit-point.ts';

describe('fitPoint', () => {
  it('keeps values of the right kind and drops parameters that are gone', () => {
    expect(fitPoint([{ name: 'x', type: 'num' }, { name: 'v', type: 'arr' }], { x: 2, v: [1, 2], gone: 5 })).toEqual({ x: 2, v: [1, 2] });
  });
  it('gives new parameters a default', () => {
    expect(fitPoint([{ name: 'x', type: 'num' }, { name: 'v', type: 'arr' }], {})).toEqual({ x: DEFAULT_NUMBER, v: DEFAULT_ARRAY });
  });
  it('turns a number into an array that starts with it, and an array into its first element', () => {
    expect(fitPoint([{ name: 'x', type: 'arr' }], { x: 7 })).toEqual({ x: [7, ...DEFAULT_ARRAY.slice(1)] });
    expect(fitPoint([{ name: 'x', type: 'num' }], { x: [4, 5] })).toEqual({ x: 4 });
    expect(fitPoint([{ name: 'x', type: 'num' }], { x: [] })).toEqual({ x: DEFAULT_NUMBER });
    expect(fitPoint([{ name: 'x', type: 'arr' }], { x: [] })).toEqual({ x: DEFAULT_ARRAY });
  });
  it('does not share arrays with its input', () => {
    const v = [1, 2];
    const fitted = fitPoint([{ name: 'v', type: 'arr' }], { v });
    expect(fitted.v).not.toBe(v);
  });
});

describe('fitWrt', () => {
  const params = [{ name: 'x', type: 'num' as const }, { name: 'y', type: 'num' as const }, { name: 'z', type: 'num' as const }];
  it('null means every parameter', () => {
    expect(fitWrt(params, null, [])).toEqual(['x', 'y', 'z']);
  });
  it('keeps the choice, in parameter order, and adds parameters the page has not seen', () => {
    expect(fitWrt(params, ['y'], ['x', 'y'])).toEqual(['y', 'z']);
    expect(fitWrt(params, ['z', 'x'], ['x', 'y', 'z'])).toEqual(['x', 'z']);
  });
  it('never leaves nothing to differentiate', () => {
    expect(fitWrt(params, ['gone'], ['x', 'y', 'z', 'gone'])).toEqual(['x', 'y', 'z']);
    expect(fitWrt(params, [], ['x', 'y', 'z'])).toEqual(['x', 'y', 'z']);
    expect(fitWrt([], ['x'], ['x'])).toEqual([]);
  });
});
