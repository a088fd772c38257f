// How numbers and errors are shown: digits of agreement with the reference, their colour band, and
// the split of a printed value into the digits that agree and the ones that do not.

import { slotsOf, type Gradient, type Point, type Slot } from '../src/point.ts';

/** Doubles carry about 16 significant digits; agreement to all of them is shown as 16. */
export const FULL_DIGITS = 16;

/** Significant decimal digits on which value agrees with reference, from 0 to 16. */
export function digitsOfAgreement(value: number, reference: number): number {
  if (Object.is(value, reference) || value === reference) return FULL_DIGITS;
  if (!Number.isFinite(value) || !Number.isFinite(reference)) return 0;
  const error = reference === 0 ? Math.abs(value) : Math.abs(value - reference) / Math.abs(reference);
  if (error === 0) return FULL_DIGITS;
  return Math.max(0, Math.min(FULL_DIGITS, -Math.log10(error)));
}

export type Band = 'good' | 'fair' | 'poor';

/** Green from 12 digits (rounding only), amber from 6 (a numeric method doing well), red below. */
export function bandOf(digits: number): Band {
  return digits >= 12 ? 'good' : digits >= 6 ? 'fair' : 'poor';
}

export function formatDigits(digits: number): string {
  return digits >= FULL_DIGITS ? '16' : digits.toFixed(1);
}

/**
 * A printed value split at the number of significant digits that agree with the reference,
 * so the agreeing prefix and the wrong tail can be coloured apart.
 */
export function splitAgreeing(value: number, digits: number): { agree: string; differ: string } {
  const text = formatValue(value);
  if (!Number.isFinite(value)) return { agree: '', differ: text };
  const whole = Math.floor(digits);
  let seen = 0;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === 'e') break;
    if (ch >= '0' && ch <= '9') {
      if (ch !== '0') started = true;
      if (started) {
        if (seen === whole) return { agree: text.slice(0, i), differ: text.slice(i) };
        seen++;
      }
    }
  }
  return { agree: text, differ: '' };
}

/** The shortest text that reads back as the same double. */
export function formatValue(value: number): string {
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** A short form for tight spaces (the agreement table, the value of f). */
export function formatShort(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4)) return value.toExponential(4);
  return String(Number(value.toPrecision(7)));
}

export interface PartialRow {
  slot: Slot;
  /** `x`, or `x[0]` for an array element: the data-partial attribute. */
  label: string;
  /** The key engines use in `derivatives`: `x`, or `x_0` for an array element. */
  key: string;
}

export function partialRows(point: Point, wrt: string[]): PartialRow[] {
  return slotsOf(point, wrt).map((slot) => ({ slot, label: slot.label, key: slot.index === null ? slot.param : `${slot.param}_${slot.index}` }));
}

/** One component of a gradient, or NaN where the gradient lacks it. */
export function componentOf(g: Gradient | undefined, slot: Slot): number {
  const v = g?.[slot.param];
  if (slot.index === null) return typeof v === 'number' ? v : NaN;
  return Array.isArray(v) && typeof v[slot.index] === 'number' ? v[slot.index] : NaN;
}

/** The LaTeX for ∂f/∂x or ∂f/∂x_0. */
export function partialLatex(fn: string, row: PartialRow): string {
  const name = (s: string) => (s.length > 1 ? `\\mathit{${s.replace(/_/g, '\\_')}}` : s);
  const variable = row.slot.index === null ? name(row.slot.param) : `${name(row.slot.param)}_{${row.slot.index}}`;
  return `\\frac{\\partial ${name(fn)}}{\\partial ${variable}}`;
}
