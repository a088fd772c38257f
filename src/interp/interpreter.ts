// The one interpreter: runs a Program over any Algebra (floats, complex, dual, tape, symbolic,
// decimal). Control flow is decided by the real value behind each number. A budget on executed
// operations (loop iterations included) stops runaway code with a clear `budget` error.

import { DdxError, type SourceLocation } from '../errors.ts';
import type { Expr, Fn, Program, Stmt } from '../ir/types.ts';
import type { Algebra, Value } from './algebra.ts';

export const DEFAULT_BUDGET = 5_000_000;
/** Arrays larger than this are refused: new Array(1e9) must not take the page down. */
export const MAX_ARRAY_LENGTH = 10_000_000;

export interface InterpretOptions {
  /** The most operations one run may execute. */
  budget?: number;
  /** Called when a branch or loop test is decided, for engines that report the path taken. */
  onBranch?: (loc: SourceLocation | undefined, test: Expr, taken: boolean) => void;
}

const NORMAL = 0, BREAK = 1, CONTINUE = 2, RETURN = 3;
type Flow = typeof NORMAL | typeof BREAK | typeof CONTINUE | typeof RETURN;

interface Frame<V> {
  vars: Map<string, Value<V>>;
  result: Value<V> | undefined;
}

export class Interpreter<V> {
  private steps = 0;
  private readonly budget: number;
  private depth = 0;

  constructor(private program: Program, private A: Algebra<V>, private options: InterpretOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
  }

  /** Calls the main function. Array arguments are copied, so element writes never reach the caller. */
  run(args: Value<V>[]): V {
    const fn = this.program.functions[this.program.main];
    const result = this.call(fn, args.map((a) => (Array.isArray(a) ? a.slice() : a)), fn.loc);
    return result as V;
  }

  /** Runs any function of the program by name (the manual engine calls df_dx this way). */
  runFunction(name: string, args: Value<V>[]): Value<V> {
    const fn = this.program.functions[name];
    return this.call(fn, args.map((a) => (Array.isArray(a) ? a.slice() : a)), fn.loc);
  }

  get operations(): number {
    return this.steps;
  }

  private tick(loc: SourceLocation | undefined): void {
    if (++this.steps > this.budget) {
      throw new DdxError('budget', `stopped after ${this.budget.toLocaleString('en-US')} operations: the function runs too long (a loop that never ends?)`, loc);
    }
  }

  private call(fn: Fn, args: Value<V>[], loc: SourceLocation | undefined): Value<V> {
    if (++this.depth > 200) throw new DdxError('budget', 'helper calls nest more than 200 deep', loc);
    const frame: Frame<V> = { vars: new Map(), result: undefined };
    fn.params.forEach((p, i) => frame.vars.set(p.name, args[i]));
    const flow = this.exec(fn.body, frame);
    this.depth--;
    if (flow !== RETURN || frame.result === undefined) {
      throw new DdxError('runtime', `${fn.name} finished without returning a value: add a return at the end`, fn.loc);
    }
    return frame.result;
  }

  private exec(list: Stmt[], frame: Frame<V>): Flow {
    for (const s of list) {
      const flow = this.stmt(s, frame);
      if (flow !== NORMAL) return flow;
    }
    return NORMAL;
  }

  private stmt(s: Stmt, frame: Frame<V>): Flow {
    this.tick(s.loc);
    switch (s.k) {
      case 'let':
      case 'assign': {
        const value = this.any(s.k === 'let' ? s.init : s.value, frame);
        frame.vars.set(s.name, value);
        return NORMAL;
      }
      case 'setIndex': {
        const array = frame.vars.get(s.name) as V[];
        const i = this.index(array, this.num(s.index, frame), s.loc);
        array[i] = this.num(s.value, frame);
        return NORMAL;
      }
      case 'if': {
        const taken = this.test(s.test, frame);
        this.options.onBranch?.(s.loc, s.test, taken);
        return this.exec(taken ? s.then : s.else, frame);
      }
      case 'loop':
        for (;;) {
          this.tick(s.loc);
          const go = this.test(s.test, frame);
          this.options.onBranch?.(s.loc, s.test, go);
          if (!go) return NORMAL;
          const flow = this.exec(s.body, frame);
          if (flow === BREAK) return NORMAL;
          if (flow === RETURN) return RETURN;
          this.exec(s.update, frame);
        }
      case 'break': return BREAK;
      case 'continue': return CONTINUE;
      case 'return':
        frame.result = this.any(s.value, frame);
        return RETURN;
    }
  }

  private index(array: V[], at: V, loc: SourceLocation | undefined): number {
    const i = this.A.value(at);
    if (!Number.isInteger(i) || i < 0 || i >= array.length) {
      throw new DdxError('runtime', `index ${i} is out of range for an array of length ${array.length}`, loc);
    }
    return i;
  }

  private test(e: Expr, frame: Frame<V>): boolean {
    this.tick(e.loc);
    switch (e.k) {
      case 'compare': {
        const a = this.A.value(this.num(e.a, frame));
        const b = this.A.value(this.num(e.b, frame));
        switch (e.op) {
          case '<': return a < b;
          case '<=': return a <= b;
          case '>': return a > b;
          case '>=': return a >= b;
          case '===': return a === b;
          case '!==': return a !== b;
        }
      }
      // falls through (unreachable: every operator returns)
      case 'logic':
        return e.op === '&&' ? this.test(e.a, frame) && this.test(e.b, frame) : this.test(e.a, frame) || this.test(e.b, frame);
      case 'not':
        return !this.test(e.a, frame);
      default: {
        const v = this.A.value(this.num(e, frame));
        return v !== 0 && !Number.isNaN(v);
      }
    }
  }

  private num(e: Expr, frame: Frame<V>): V {
    return this.any(e, frame) as V;
  }

  private any(e: Expr, frame: Frame<V>): Value<V> {
    this.tick(e.loc);
    switch (e.k) {
      case 'num': return this.A.constant(e.value);
      case 'var': return frame.vars.get(e.name)!;
      case 'prim': {
        const args = e.args.map((a) => this.num(a, frame));
        return this.A.prim(e.op, args, e.loc);
      }
      case 'compare':
      case 'logic':
      case 'not':
        return this.A.constant(this.test(e, frame) ? 1 : 0);
      case 'cond':
        return this.test(e.test, frame) ? this.any(e.then, frame) : this.any(e.else, frame);
      case 'call': {
        // Arrays are passed by reference, as in JavaScript: a helper's element writes are seen.
        const args = e.args.map((a) => this.any(a, frame));
        return this.call(this.program.functions[e.fn], args, e.loc);
      }
      case 'index': {
        const array = this.any(e.array, frame) as V[];
        return array[this.index(array, this.num(e.index, frame), e.loc)];
      }
      case 'length':
        return this.A.constant((this.any(e.array, frame) as V[]).length);
      case 'array':
        return e.elements.map((x) => this.num(x, frame));
      case 'fill': {
        const n = this.A.value(this.num(e.length, frame));
        if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY_LENGTH) {
          throw new DdxError('runtime', `new Array(${n}) needs a whole length between 0 and ${MAX_ARRAY_LENGTH.toLocaleString('en-US')}`, e.loc);
        }
        this.steps += n;
        if (this.steps > this.budget) this.tick(e.loc);
        return new Array<V>(n).fill(this.num(e.value, frame));
      }
    }
  }
}

/** Evaluates the main function once over an algebra. */
export function interpret<V>(program: Program, algebra: Algebra<V>, args: Value<V>[], options?: InterpretOptions): V {
  return new Interpreter(program, algebra, options).run(args);
}
