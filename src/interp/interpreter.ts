// The one interpreter: runs a Program over any Algebra (floats, complex, dual, tape, symbolic,
// decimal). Control flow is decided by the real value behind each number. A budget on executed
// operations (loop iterations included) stops runaway code with a clear `budget` error.
//
// For speed the IR is first turned into a tree of closures (one per node, variables resolved to
// frame slots), so running it does no name lookups and no dispatch on node kinds. The semantics
// are exactly those of walking the IR: every node evaluated counts one operation.

import { DdxError, type SourceLocation } from '../errors.ts';
import type { Expr, Fn, Program, Stmt } from '../ir/types.ts';
import type { Algebra, Value } from './algebra.ts';

export const DEFAULT_BUDGET = 5_000_000;
/** Arrays larger than this are refused: new Array(1e9) must not take the page down. */
export const MAX_ARRAY_LENGTH = 10_000_000;
const MAX_CALL_DEPTH = 200;

export interface InterpretOptions {
  /** The most operations one run may execute. */
  budget?: number;
  /** Called when an if, loop or ternary test is decided, for engines that report the path taken. */
  onBranch?: (loc: SourceLocation | undefined, test: Expr, taken: boolean) => void;
}

const NORMAL = 0, BREAK = 1, CONTINUE = 2, RETURN = 3;
type Flow = typeof NORMAL | typeof BREAK | typeof CONTINUE | typeof RETURN;

/** A call's variables, by slot, and the value it returns. */
interface Frame<V> {
  slots: Value<V>[];
  result: Value<V> | undefined;
}

type ExprCode<V> = (frame: Frame<V>) => Value<V>;
type NumCode<V> = (frame: Frame<V>) => V;
type TestCode<V> = (frame: Frame<V>) => boolean;
type StmtCode<V> = (frame: Frame<V>) => Flow;

interface CompiledFn<V> {
  fn: Fn;
  slotCount: number;
  body: StmtCode<V>;
}

export class Interpreter<V> {
  private steps = 0;
  private readonly budget: number;
  private depth = 0;
  private readonly fns = new Map<string, CompiledFn<V>>();

  constructor(private program: Program, private A: Algebra<V>, private options: InterpretOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
  }

  /** Calls the main function. Array arguments are copied, so element writes never reach the caller. */
  run(args: Value<V>[]): V {
    return this.runFunction(this.program.main, args) as V;
  }

  /** Runs any function of the program by name (the manual engine calls df_dx this way). */
  runFunction(name: string, args: Value<V>[]): Value<V> {
    const fn = this.program.functions[name];
    return this.call(this.compiled(name), args.map((a) => (Array.isArray(a) ? a.slice() : a)), fn.loc);
  }

  /** Operations executed so far, over every run of this interpreter. */
  get operations(): number {
    return this.steps;
  }

  private overBudget(loc: SourceLocation | undefined): never {
    throw new DdxError('budget', `stopped after ${this.budget.toLocaleString('en-US')} operations: the function runs too long (a loop that never ends?)`, loc);
  }

  private compiled(name: string): CompiledFn<V> {
    let c = this.fns.get(name);
    if (!c) {
      const fn = this.program.functions[name];
      const slots = new Map<string, number>();
      fn.params.forEach((p) => slots.set(p.name, slots.size));
      const builder = new ClosureBuilder(this, this.A, slots, this.options);
      const body = builder.block(fn.body);
      c = { fn, slotCount: slots.size, body };
      this.fns.set(name, c);
    }
    return c;
  }

  /** @internal used by the closures */
  tick(loc: SourceLocation | undefined): void {
    if (++this.steps > this.budget) this.overBudget(loc);
  }

  /** @internal used by the closures: counts n operations at once (filling an array). */
  tickMany(n: number, loc: SourceLocation | undefined): void {
    this.steps += n;
    if (this.steps > this.budget) this.overBudget(loc);
  }

  /** @internal used by the closures */
  call(c: CompiledFn<V>, args: Value<V>[], loc: SourceLocation | undefined): Value<V> {
    if (++this.depth > MAX_CALL_DEPTH) throw new DdxError('budget', `helper calls nest more than ${MAX_CALL_DEPTH} deep`, loc);
    const frame: Frame<V> = { slots: new Array(c.slotCount), result: undefined };
    for (let i = 0; i < args.length; i++) frame.slots[i] = args[i];
    const flow = c.body(frame);
    this.depth--;
    if (flow !== RETURN || frame.result === undefined) {
      throw new DdxError('runtime', `${c.fn.name} finished without returning a value: add a return at the end`, c.fn.loc);
    }
    return frame.result;
  }

  /** @internal used by the closures */
  callByName(name: string, args: Value<V>[], loc: SourceLocation | undefined): Value<V> {
    return this.call(this.compiled(name), args, loc);
  }
}

/** Turns one function's IR into closures. Slots are assigned as declarations are met. */
class ClosureBuilder<V> {
  constructor(
    private vm: Interpreter<V>,
    private A: Algebra<V>,
    private slots: Map<string, number>,
    private options: InterpretOptions,
  ) {}

  private slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(name, s);
    }
    return s;
  }

  block(list: Stmt[]): StmtCode<V> {
    const codes = list.map((s) => this.stmt(s));
    if (codes.length === 1) return codes[0];
    return (frame) => {
      for (let i = 0; i < codes.length; i++) {
        const flow = codes[i](frame);
        if (flow !== NORMAL) return flow;
      }
      return NORMAL;
    };
  }

  private stmt(s: Stmt): StmtCode<V> {
    const vm = this.vm;
    const loc = s.loc;
    switch (s.k) {
      case 'let':
      case 'assign': {
        const value = this.any(s.k === 'let' ? s.init : s.value);
        const slot = this.slot(s.name);
        return (frame) => { vm.tick(loc); frame.slots[slot] = value(frame); return NORMAL; };
      }
      case 'setIndex': {
        const slot = this.slot(s.name);
        const index = this.num(s.index);
        const value = this.num(s.value);
        return (frame) => {
          vm.tick(loc);
          const array = frame.slots[slot] as V[];
          const i = this.checkIndex(array, index(frame), loc);
          array[i] = value(frame);
          return NORMAL;
        };
      }
      case 'if': {
        const decide = this.decision(s.test, loc);
        const then = this.block(s.then);
        const otherwise = this.block(s.else);
        return (frame) => (decide(frame) ? then(frame) : otherwise(frame));
      }
      case 'loop': {
        const test = this.test(s.test);
        const body = this.block(s.body);
        const update = this.block(s.update);
        const onBranch = this.options.onBranch;
        return (frame) => {
          vm.tick(loc);
          for (;;) {
            vm.tick(loc);
            const go = test(frame);
            onBranch?.(loc, s.test, go);
            if (!go) return NORMAL;
            const flow = body(frame);
            if (flow === BREAK) return NORMAL;
            if (flow === RETURN) return RETURN;
            update(frame);
          }
        };
      }
      case 'break': return () => { vm.tick(loc); return BREAK; };
      case 'continue': return () => { vm.tick(loc); return CONTINUE; };
      case 'return': {
        const value = this.any(s.value);
        return (frame) => { vm.tick(loc); frame.result = value(frame); return RETURN; };
      }
    }
  }

  private checkIndex(array: V[], at: V, loc: SourceLocation | undefined): number {
    const i = this.A.value(at);
    if (!Number.isInteger(i) || i < 0 || i >= array.length) {
      throw new DdxError('runtime', `index ${i} is out of range for an array of length ${array.length}`, loc);
    }
    return i;
  }

  /** An if's or a ternary's test: one step of the budget, decided, and reported to onBranch. */
  private decision(e: Expr, loc: SourceLocation | undefined): TestCode<V> {
    const vm = this.vm;
    const test = this.test(e);
    const onBranch = this.options.onBranch;
    if (!onBranch) return (frame) => { vm.tick(loc); return test(frame); };
    return (frame) => {
      vm.tick(loc);
      const taken = test(frame);
      onBranch(loc, e, taken);
      return taken;
    };
  }

  private test(e: Expr): TestCode<V> {
    const vm = this.vm;
    const A = this.A;
    const loc = e.loc;
    switch (e.k) {
      case 'compare': {
        const a = this.num(e.a);
        const b = this.num(e.b);
        switch (e.op) {
          case '<': return (f) => { vm.tick(loc); return A.value(a(f)) < A.value(b(f)); };
          case '<=': return (f) => { vm.tick(loc); return A.value(a(f)) <= A.value(b(f)); };
          case '>': return (f) => { vm.tick(loc); return A.value(a(f)) > A.value(b(f)); };
          case '>=': return (f) => { vm.tick(loc); return A.value(a(f)) >= A.value(b(f)); };
          case '===': return (f) => { vm.tick(loc); return A.value(a(f)) === A.value(b(f)); };
          case '!==': return (f) => { vm.tick(loc); return A.value(a(f)) !== A.value(b(f)); };
        }
        break;
      }
      case 'logic': {
        const a = this.test(e.a);
        const b = this.test(e.b);
        return e.op === '&&' ? (f) => { vm.tick(loc); return a(f) && b(f); } : (f) => { vm.tick(loc); return a(f) || b(f); };
      }
      case 'not': {
        const a = this.test(e.a);
        return (f) => { vm.tick(loc); return !a(f); };
      }
    }
    const value = this.num(e);
    return (f) => {
      vm.tick(loc);
      const v = A.value(value(f));
      return v !== 0 && !Number.isNaN(v);
    };
  }

  private num(e: Expr): NumCode<V> {
    return this.any(e) as NumCode<V>;
  }

  private any(e: Expr): ExprCode<V> {
    const vm = this.vm;
    const A = this.A;
    const loc = e.loc;
    switch (e.k) {
      case 'num': {
        const value = e.value;
        return () => { vm.tick(loc); return A.constant(value); };
      }
      case 'var': {
        const slot = this.slot(e.name);
        return (f) => { vm.tick(loc); return f.slots[slot]; };
      }
      case 'prim': {
        const op = e.op;
        if (e.args.length === 1) {
          const a = this.num(e.args[0]);
          return (f) => { vm.tick(loc); return A.prim(op, [a(f)], loc); };
        }
        const a = this.num(e.args[0]);
        const b = this.num(e.args[1]);
        return (f) => { vm.tick(loc); const x = a(f); return A.prim(op, [x, b(f)], loc); };
      }
      case 'compare':
      case 'logic':
      case 'not': {
        const test = this.test(e);
        return (f) => A.constant(test(f) ? 1 : 0);
      }
      case 'cond': {
        // A ternary is a decision like an if's: the gradient holds while it goes the same way.
        const decide = this.decision(e.test, loc);
        const then = this.any(e.then);
        const otherwise = this.any(e.else);
        return (f) => (decide(f) ? then(f) : otherwise(f));
      }
      case 'call': {
        // Arrays are passed by reference, as in JavaScript: a helper's element writes are seen.
        const args = e.args.map((a) => this.any(a));
        const name = e.fn;
        return (f) => { vm.tick(loc); return vm.callByName(name, args.map((a) => a(f)), loc); };
      }
      case 'index': {
        const array = this.any(e.array);
        const index = this.num(e.index);
        return (f) => {
          vm.tick(loc);
          const arr = array(f) as V[];
          return arr[this.checkIndex(arr, index(f), loc)];
        };
      }
      case 'length': {
        const array = this.any(e.array);
        return (f) => { vm.tick(loc); return A.constant((array(f) as V[]).length); };
      }
      case 'array': {
        const elements = e.elements.map((x) => this.num(x));
        return (f) => { vm.tick(loc); return elements.map((x) => x(f)); };
      }
      case 'fill': {
        const length = this.num(e.length);
        const value = this.num(e.value);
        return (f) => {
          vm.tick(loc);
          const n = A.value(length(f));
          if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY_LENGTH) {
            throw new DdxError('runtime', `new Array(${n}) needs a whole length between 0 and ${MAX_ARRAY_LENGTH.toLocaleString('en-US')}`, loc);
          }
          vm.tickMany(n, loc);
          return new Array<V>(n).fill(value(f));
        };
      }
    }
  }
}

/** Evaluates the main function once over an algebra. */
export function interpret<V>(program: Program, algebra: Algebra<V>, args: Value<V>[], options?: InterpretOptions): V {
  return new Interpreter(program, algebra, options).run(args);
}
