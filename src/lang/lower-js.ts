// Function mode: JavaScript text -> ddx IR. Parses with acorn, runs the fence, then lowers the
// subset onto the IR in this one place: compound assignment, ++/--, for and for...of loops,
// `**`, Math.* calls (variadic max/min/hypot become nested binary calls), block scopes (shadowed
// names are renamed so IR names are unique per function), and type checks (number vs array).

import { parse, type Node } from 'acorn';
import { DdxError, type SourceLocation } from '../errors.ts';
import { MATH_CONSTANTS, MATH_FUNCTIONS, type Primitive } from '../ir/primitives.ts';
import type { CompareOp, Expr, Fn, Param, Program, Stmt, ValueType } from '../ir/types.ts';
import { fence, locOf } from './fence.ts';
import { inferParamTypes, type FunctionSyntax } from './param-types.ts';
import { chooseMain } from './manual-names.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyNode = Node & Record<string, any>;

type ExprType = ValueType | 'bool';
interface Typed { expr: Expr; type: ExprType }
interface Binding { irName: string; type: ValueType; isConst: boolean }

/** Names a user may not declare, because the language or generated code gives them a meaning. */
const RESERVED = new Set(['Math', 'Array', 'Float64Array', 'Number', 'Object', 'Error', 'JSON', 'Infinity', 'NaN', 'undefined', 'f_value']);

export function parseJavaScript(source: string): AnyNode {
  try {
    return parse(source, { ecmaVersion: 2022, sourceType: 'script', locations: true }) as AnyNode;
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = (e.message ?? 'syntax error').replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new DdxError('syntax', `syntax error: ${message}`, e.loc ? { line: e.loc.line, column: e.loc.column + 1 } : null);
  }
}

export function lowerJavaScript(source: string): Program {
  const ast = parseJavaScript(source);
  fence(ast);
  const syntaxes = collectFunctions(ast);
  if (syntaxes.length === 0) {
    throw new DdxError('no-function', 'no function to differentiate: write function f(x) { return ... } or const f = (x) => ...', { line: 1, column: 1 });
  }
  const { main, manual } = chooseMain(syntaxes.map((s) => s.name), syntaxes.map((s) => s.params.map((p) => p.name)));
  const paramTypes = inferParamTypes(syntaxes);
  const functions: Record<string, Fn> = {};
  const byName = new Map(syntaxes.map((s) => [s.name, s]));

  // Lower callees before callers so a call knows its callee's return type; refuse recursion.
  const state = new Map<string, 'visiting' | 'done'>();
  const lowerNamed = (name: string, callLoc: SourceLocation | null): void => {
    const status = state.get(name);
    if (status === 'done') return;
    if (status === 'visiting') throw new DdxError('unsupported', `recursion is not supported: ${name} calls itself (directly or through a helper); use a loop`, callLoc);
    state.set(name, 'visiting');
    const syntax = byName.get(name)!;
    const lowerer = new FunctionLowerer(syntax, paramTypes.get(name)!, functions, byName, lowerNamed);
    functions[name] = lowerer.lower();
    state.set(name, 'done');
  };
  for (const s of syntaxes) lowerNamed(s.name, null);

  const mainFn = functions[main];
  if (mainFn.returns !== 'num') {
    throw new DdxError('type', `${main} must return a number: ddx differentiates functions with a single number as result`, mainFn.loc);
  }
  return { mode: 'function', main, functions, source, manual };
}

/** Top-level function declarations and `const name = (...) => ...` definitions. */
function collectFunctions(ast: AnyNode): FunctionSyntax[] {
  const out: FunctionSyntax[] = [];
  const seen = new Set<string>();
  const add = (name: string, fn: AnyNode, nameNode: AnyNode) => {
    if (seen.has(name)) throw new DdxError('syntax', `${name} is declared twice`, locOf(nameNode));
    checkDeclarableName(name, nameNode);
    seen.add(name);
    for (const p of fn.params as AnyNode[]) {
      if (p.type !== 'Identifier') throw new DdxError('unsupported', 'parameters must be plain names', locOf(p));
    }
    out.push({ name, params: fn.params as AnyNode[], node: fn, loc: locOf(nameNode) });
  };
  for (const stmt of ast.body as AnyNode[]) {
    if (stmt.type === 'FunctionDeclaration') {
      add(stmt.id.name, stmt, stmt.id);
    } else if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations as AnyNode[]) {
        const init = d.init as AnyNode | null;
        if (d.id.type === 'Identifier' && init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) {
          add(d.id.name, init, d.id);
        } else {
          throw new DdxError('unsupported', 'top-level variables are not supported: declare constants inside the function, or pass them as parameters', locOf(d));
        }
      }
    } else if (stmt.type !== 'EmptyStatement') {
      throw new DdxError('unsupported', 'top-level code is not supported: put it inside function f(...) { ... }', locOf(stmt));
    }
  }
  return out;
}

function checkDeclarableName(name: string, node: AnyNode): void {
  if (name.includes('$')) throw new DdxError('unsupported', `the name ${name} is not allowed: names containing $ are reserved for code ddx generates`, locOf(node));
  if (RESERVED.has(name)) throw new DdxError('unsupported', `${name} cannot be declared: it is a reserved name in ddx`, locOf(node));
}

class FunctionLowerer {
  private scopes: Map<string, Binding>[] = [];
  private declared = new Set<string>();
  private loopDepth = 0;
  private returnType: ValueType | null = null;

  constructor(
    private syntax: FunctionSyntax,
    private paramTypes: ValueType[],
    private functions: Record<string, Fn>,
    private byName: Map<string, FunctionSyntax>,
    private ensureLowered: (name: string, loc: SourceLocation) => void,
  ) {}

  lower(): Fn {
    const node = this.syntax.node;
    this.scopes.push(new Map());
    const params: Param[] = this.syntax.params.map((p, i) => {
      const type = this.paramTypes[i];
      this.declare(p.name, type, false, p);
      return { name: p.name, type };
    });
    const body: Stmt[] = node.body.type === 'BlockStatement'
      ? this.block(node.body.body)
      : [{ k: 'return', value: this.num(this.expr(node.body)), loc: locOf(node.body) }];
    if (node.body.type !== 'BlockStatement') this.returnType = 'num';
    return { name: this.syntax.name, params, returns: this.returnType ?? 'num', body, loc: this.syntax.loc };
  }

  // ---- scopes -------------------------------------------------------------------------------

  private declare(name: string, type: ValueType, isConst: boolean, node: AnyNode): string {
    checkDeclarableName(name, node);
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name)) throw new DdxError('syntax', `${name} is already declared in this block`, locOf(node));
    let irName = name;
    for (let i = 2; this.declared.has(irName) || this.byName.has(irName); i++) irName = `${name}_${i}`;
    this.declared.add(irName);
    scope.set(name, { irName, type, isConst });
    return irName;
  }

  private lookup(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].get(name);
      if (b) return b;
    }
    return undefined;
  }

  private block(statements: AnyNode[]): Stmt[] {
    this.scopes.push(new Map());
    const out: Stmt[] = [];
    for (const s of statements) this.statement(s, out);
    this.scopes.pop();
    return out;
  }

  private blockOf(node: AnyNode): Stmt[] {
    return node.type === 'BlockStatement' ? this.block(node.body) : this.block([node]);
  }

  // ---- statements ---------------------------------------------------------------------------

  private statement(node: AnyNode, out: Stmt[]): void {
    const loc = locOf(node);
    switch (node.type) {
      case 'VariableDeclaration':
        for (const d of node.declarations as AnyNode[]) {
          if (d.id.type !== 'Identifier') throw new DdxError('unsupported', 'destructuring is not supported: name each value with its own const or let', locOf(d.id));
          if (!d.init) throw new DdxError('unsupported', `declare ${d.id.name} with a starting value, as in let ${d.id.name} = 0`, locOf(d));
          if (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression') {
            throw new DdxError('unsupported', 'nested functions are not supported: declare helpers at the top level', locOf(d.init));
          }
          const init = this.expr(d.init);
          const type = this.valueType(init, d.init);
          const irName = this.declare(d.id.name, type, node.kind === 'const', d.id);
          out.push({ k: 'let', name: irName, type, init: init.expr, loc: locOf(d) });
        }
        return;
      case 'ExpressionStatement':
        this.effect(node.expression, out);
        return;
      case 'IfStatement':
        out.push({
          k: 'if', test: this.condition(node.test), then: this.blockOf(node.consequent),
          else: node.alternate ? this.blockOf(node.alternate) : [], loc,
        });
        return;
      case 'ForStatement': {
        this.scopes.push(new Map());
        if (node.init) {
          if (node.init.type === 'VariableDeclaration') this.statement(node.init, out);
          else this.effect(node.init, out);
        }
        const test: Expr = node.test ? this.condition(node.test) : { k: 'num', value: 1 };
        const update: Stmt[] = [];
        if (node.update) this.effect(node.update, update);
        const body = this.loopBody(node.body);
        this.scopes.pop();
        out.push({ k: 'loop', kind: 'for', test, body, update, loc });
        return;
      }
      case 'ForOfStatement': {
        if (node.await) throw new DdxError('unsupported', 'for await is not supported', loc);
        const left = node.left as AnyNode;
        if (left.type !== 'VariableDeclaration' || left.declarations.length !== 1 || left.declarations[0].id.type !== 'Identifier') {
          throw new DdxError('unsupported', 'for...of needs a fresh name: for (const v of values)', locOf(left));
        }
        this.scopes.push(new Map());
        const array = this.expr(node.right);
        if (array.type !== 'arr') throw new DdxError('type', 'for...of needs an array to loop over', locOf(node.right));
        let arrayExpr = array.expr;
        const elementName = left.declarations[0].id.name as string;
        if (arrayExpr.k !== 'var') {
          const tmp = this.declare(`${elementName}_values`, 'arr', true, left.declarations[0].id);
          out.push({ k: 'let', name: tmp, type: 'arr', init: arrayExpr, loc: locOf(node.right) });
          arrayExpr = { k: 'var', name: tmp };
        }
        const counter = this.declare(`${elementName}_index`, 'num', false, left.declarations[0].id);
        out.push({ k: 'let', name: counter, type: 'num', init: { k: 'num', value: 0 }, loc });
        this.scopes.push(new Map());
        const element = this.declare(elementName, 'num', left.kind === 'const', left.declarations[0].id);
        const body: Stmt[] = [{ k: 'let', name: element, type: 'num', init: { k: 'index', array: arrayExpr, index: { k: 'var', name: counter } }, loc: locOf(left) }];
        body.push(...this.loopBody(node.body));
        this.scopes.pop();
        this.scopes.pop();
        out.push({
          k: 'loop', kind: 'for-of',
          test: { k: 'compare', op: '<', a: { k: 'var', name: counter }, b: { k: 'length', array: arrayExpr } },
          body,
          update: [{ k: 'assign', name: counter, value: { k: 'prim', op: 'add', args: [{ k: 'var', name: counter }, { k: 'num', value: 1 }] } }],
          loc,
        });
        return;
      }
      case 'WhileStatement':
        out.push({ k: 'loop', kind: 'while', test: this.condition(node.test), body: this.loopBody(node.body), update: [], loc });
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        if (node.label) throw new DdxError('unsupported', 'labels are not supported: break or continue the innermost loop', loc);
        if (this.loopDepth === 0) throw new DdxError('syntax', `${node.type === 'BreakStatement' ? 'break' : 'continue'} outside a loop`, loc);
        out.push({ k: node.type === 'BreakStatement' ? 'break' : 'continue', loc });
        return;
      case 'ReturnStatement': {
        if (!node.argument) throw new DdxError('unsupported', 'return needs a value: return a number', loc);
        const value = this.expr(node.argument);
        const type = this.valueType(value, node.argument);
        if (this.returnType && this.returnType !== type) throw new DdxError('type', `${this.syntax.name} returns a ${this.returnType === 'num' ? 'number' : 'array'} elsewhere; every return must give the same kind of value`, loc);
        this.returnType = type;
        out.push({ k: 'return', value: value.expr, loc });
        return;
      }
      case 'BlockStatement':
        out.push(...this.block(node.body));
        return;
      case 'EmptyStatement':
        return;
      case 'FunctionDeclaration':
        throw new DdxError('unsupported', 'nested functions are not supported: declare helpers at the top level', loc);
      default:
        throw new DdxError('unsupported', `this statement is not supported in ddx's subset`, loc);
    }
  }

  private loopBody(node: AnyNode): Stmt[] {
    this.loopDepth++;
    const body = this.blockOf(node);
    this.loopDepth--;
    return body;
  }

  /** Statements that change state: assignments, compound assignments, ++ and --. */
  private effect(node: AnyNode, out: Stmt[]): void {
    const loc = locOf(node);
    switch (node.type) {
      case 'SequenceExpression':
        for (const e of node.expressions as AnyNode[]) this.effect(e, out);
        return;
      case 'ParenthesizedExpression':
        this.effect(node.expression, out);
        return;
      case 'UpdateExpression': {
        const delta: Expr = { k: 'num', value: 1 };
        const op: Primitive = node.operator === '++' ? 'add' : 'sub';
        this.assignTo(node.argument, (current) => ({ expr: { k: 'prim', op, args: [current, delta], loc }, type: 'num' }), out, loc);
        return;
      }
      case 'AssignmentExpression': {
        const operator = node.operator as string;
        if (operator === '=') {
          const value = this.expr(node.right);
          this.assignTo(node.left, () => value, out, loc, node.right);
          return;
        }
        const op = COMPOUND[operator];
        const right = this.num(this.expr(node.right), node.right);
        this.assignTo(node.left, (current) => ({ expr: { k: 'prim', op, args: [current, right], loc }, type: 'num' }), out, loc);
        return;
      }
      case 'CallExpression':
        this.expr(node); // an unsupported call is reported as such, before saying it does nothing
        throw new DdxError('unsupported', 'a call on its own line does nothing in ddx (functions have no side effects): assign or return its result', loc);
      default:
        throw new DdxError('unsupported', 'this expression does nothing on its own: assign it to a variable or return it', loc);
    }
  }

  /** Writes to a variable or an array element; `make` builds the new value from the current one. */
  private assignTo(target: AnyNode, make: (current: Expr) => Typed, out: Stmt[], loc: SourceLocation, valueNode?: AnyNode): void {
    if (target.type === 'Identifier') {
      const binding = this.lookup(target.name);
      if (!binding) throw new DdxError('unknown-name', `${target.name} is not declared: declare it first with let ${target.name} = ...`, locOf(target));
      if (binding.isConst) throw new DdxError('unsupported', `${target.name} is a const and cannot change: declare it with let`, locOf(target));
      const value = make({ k: 'var', name: binding.irName, loc: locOf(target) });
      const type = this.valueType(value, valueNode ?? target);
      if (type !== binding.type) throw new DdxError('type', `${target.name} holds ${binding.type === 'num' ? 'a number' : 'an array'} and cannot be given ${type === 'num' ? 'a number' : 'an array'}`, loc);
      out.push({ k: 'assign', name: binding.irName, value: value.expr, loc });
      return;
    }
    if (target.type === 'MemberExpression' && target.computed && target.object.type === 'Identifier') {
      const binding = this.lookup(target.object.name);
      if (!binding) throw new DdxError('unknown-name', `${target.object.name} is not declared`, locOf(target.object));
      if (binding.type !== 'arr') throw new DdxError('type', `${target.object.name} is a number, not an array: it cannot be indexed`, locOf(target.object));
      const index = this.num(this.expr(target.property), target.property);
      const value = make({ k: 'index', array: { k: 'var', name: binding.irName }, index, loc: locOf(target) });
      out.push({ k: 'setIndex', name: binding.irName, index, value: this.num(value, valueNode ?? target), loc });
      return;
    }
    throw new DdxError('unsupported', 'you can assign to a variable or to an array element (a[i] = ...) only', locOf(target));
  }

  // ---- expressions --------------------------------------------------------------------------

  private num(t: Typed, node?: AnyNode): Expr {
    if (t.type === 'num') return t.expr;
    const loc = node ? locOf(node) : t.expr.loc;
    if (t.type === 'arr') throw new DdxError('type', 'an array is used where a number is needed: use an element, as in a[i]', loc);
    throw new DdxError('type', 'a comparison is used as a number: write it as a ternary, as in (a > b ? 1 : 0)', loc);
  }

  private valueType(t: Typed, node: AnyNode): ValueType {
    if (t.type === 'bool') throw new DdxError('type', 'a comparison is used as a value: write it as a ternary, as in (a > b ? 1 : 0)', locOf(node));
    return t.type;
  }

  private condition(node: AnyNode): Expr {
    const t = this.expr(node);
    if (t.type === 'arr') throw new DdxError('type', 'an array is used as a condition: compare numbers instead', locOf(node));
    return t.expr;
  }

  private expr(node: AnyNode): Typed {
    const loc = locOf(node);
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'boolean') return { expr: { k: 'num', value: node.value ? 1 : 0, loc }, type: 'bool' };
        return { expr: { k: 'num', value: node.value as number, loc }, type: 'num' };
      case 'Identifier':
        return this.identifier(node);
      case 'ParenthesizedExpression':
        return this.expr(node.expression);
      case 'BinaryExpression':
        return this.binary(node);
      case 'LogicalExpression':
        return { expr: { k: 'logic', op: node.operator, a: this.condition(node.left), b: this.condition(node.right), loc }, type: 'bool' };
      case 'UnaryExpression': {
        if (node.operator === '!') return { expr: { k: 'not', a: this.condition(node.argument), loc }, type: 'bool' };
        const arg = this.num(this.expr(node.argument), node.argument);
        if (node.operator === '+') return { expr: arg, type: 'num' };
        if (arg.k === 'num') return { expr: { k: 'num', value: -arg.value, loc }, type: 'num' };
        return { expr: { k: 'prim', op: 'neg', args: [arg], loc }, type: 'num' };
      }
      case 'ConditionalExpression': {
        const test = this.condition(node.test);
        const a = this.expr(node.consequent);
        const b = this.expr(node.alternate);
        const ta = this.valueType(a, node.consequent);
        const tb = this.valueType(b, node.alternate);
        if (ta !== tb) throw new DdxError('type', 'both sides of ?: must be numbers, or both arrays', loc);
        return { expr: { k: 'cond', test, then: a.expr, else: b.expr, loc }, type: ta };
      }
      case 'MemberExpression':
        return this.member(node);
      case 'CallExpression':
        return this.call(node);
      case 'ArrayExpression': {
        const elements = (node.elements as (AnyNode | null)[]).map((e) => {
          if (!e) throw new DdxError('unsupported', 'holes in array literals are not supported: write every element', loc);
          return this.num(this.expr(e), e);
        });
        return { expr: { k: 'array', elements, loc }, type: 'arr' };
      }
      case 'NewExpression':
        throw new DdxError('unsupported', '`new` is only supported as new Array(n).fill(value)', loc);
      case 'AssignmentExpression':
      case 'UpdateExpression':
        throw new DdxError('unsupported', 'assignment inside an expression is not supported: write it as its own statement', loc);
      case 'SequenceExpression':
        throw new DdxError('unsupported', 'the comma operator is not supported: write separate statements', loc);
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        throw new DdxError('unsupported', 'functions as values (closures) are not supported: declare helpers at the top level', loc);
      default:
        throw new DdxError('unsupported', `this expression is not supported in ddx's subset`, loc);
    }
  }

  private identifier(node: AnyNode): Typed {
    const loc = locOf(node);
    const name = node.name as string;
    const binding = this.lookup(name);
    if (binding) return { expr: { k: 'var', name: binding.irName, loc }, type: binding.type };
    if (name === 'Infinity') return { expr: { k: 'num', value: Infinity, loc }, type: 'num' };
    if (name === 'NaN') return { expr: { k: 'num', value: NaN, loc }, type: 'num' };
    if (name === 'undefined') throw new DdxError('unsupported', '`undefined` is not supported: every value is a number or an array', loc);
    if (name === 'Math') throw new DdxError('unsupported', 'Math is not a value: call a function such as Math.sin(x)', loc);
    if (this.byName.has(name)) throw new DdxError('unsupported', `${name} is a function: call it, as in ${name}(...)`, loc);
    const hint = MATH_FUNCTIONS[name] ? `; did you mean Math.${name}?` : MATH_CONSTANTS[name] !== undefined ? `; did you mean Math.${name}?` : ': declare it with let or const, or make it a parameter';
    throw new DdxError('unknown-name', `${name} is not defined${hint}`, loc);
  }

  private binary(node: AnyNode): Typed {
    const loc = locOf(node);
    const op = node.operator as string;
    const a = this.num(this.expr(node.left), node.left);
    const b = this.num(this.expr(node.right), node.right);
    const compare: Record<string, CompareOp> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '===': '===', '!==': '!==', '==': '===', '!=': '!==' };
    if (compare[op]) return { expr: { k: 'compare', op: compare[op], a, b, loc }, type: 'bool' };
    const prim: Record<string, Primitive> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '**': 'pow' };
    return { expr: { k: 'prim', op: prim[op], args: [a, b], loc }, type: 'num' };
  }

  private member(node: AnyNode): Typed {
    const loc = locOf(node);
    const object = node.object as AnyNode;
    if (!node.computed && object.type === 'Identifier' && object.name === 'Math' && !this.lookup('Math')) {
      const prop = node.property.name as string;
      if (Object.prototype.hasOwnProperty.call(MATH_CONSTANTS, prop)) return { expr: { k: 'num', value: MATH_CONSTANTS[prop], loc }, type: 'num' };
      if (Object.prototype.hasOwnProperty.call(MATH_FUNCTIONS, prop)) throw new DdxError('unsupported', `Math.${prop} is a function: call it, as in Math.${prop}(x)`, loc);
      throw unknownMath(prop, loc);
    }
    if (!node.computed) {
      const prop = node.property.name as string;
      if (prop !== 'length') throw new DdxError('unsupported', `.${prop} is not supported: the only properties are .length on arrays and Math.*`, locOf(node.property));
      const array = this.expr(object);
      if (array.type !== 'arr') throw new DdxError('type', '.length needs an array', loc);
      return { expr: { k: 'length', array: array.expr, loc }, type: 'num' };
    }
    const array = this.expr(object);
    if (array.type !== 'arr') throw new DdxError('type', 'only arrays can be indexed: this is a number', locOf(object));
    const index = this.num(this.expr(node.property), node.property);
    return { expr: { k: 'index', array: array.expr, index, loc }, type: 'num' };
  }

  private call(node: AnyNode): Typed {
    const loc = locOf(node);
    const callee = node.callee as AnyNode;
    const args = node.arguments as AnyNode[];
    if (callee.type === 'MemberExpression' && !callee.computed) {
      const object = callee.object as AnyNode;
      const prop = callee.property.name as string;
      if (object.type === 'Identifier' && object.name === 'Math' && !this.lookup('Math')) return this.mathCall(prop, args, loc);
      if (prop === 'fill' && object.type === 'NewExpression') return this.fill(object, args, loc);
      throw new DdxError('unsupported', `the method .${prop}() is not supported: ddx has Math.* functions, your own functions, and new Array(n).fill(v)`, locOf(callee.property));
    }
    if (callee.type === 'Identifier') {
      const name = callee.name as string;
      const target = this.byName.get(name);
      if (!target) {
        if (this.lookup(name)) throw new DdxError('unsupported', `${name} is a variable, not a function`, locOf(callee));
        const hint = MATH_FUNCTIONS[name] ? `; did you mean Math.${name}?` : ': call Math.* functions or a function declared in this file';
        throw new DdxError('unknown-name', `${name} is not a function ddx knows${hint}`, locOf(callee));
      }
      if (args.length !== target.params.length) {
        throw new DdxError('arity', `${name} takes ${target.params.length} argument${target.params.length === 1 ? '' : 's'}, but is called with ${args.length}`, loc);
      }
      this.ensureLowered(name, loc);
      const fn = this.functions[name];
      const lowered = args.map((a, i) => {
        const t = this.expr(a);
        const type = this.valueType(t, a);
        if (type !== fn.params[i].type) {
          throw new DdxError('type', `argument ${i + 1} of ${name} (${fn.params[i].name}) must be ${fn.params[i].type === 'num' ? 'a number' : 'an array'}`, locOf(a));
        }
        return t.expr;
      });
      return { expr: { k: 'call', fn: name, args: lowered, loc }, type: fn.returns };
    }
    throw new DdxError('unsupported', 'only Math.* functions and functions declared in this file can be called', locOf(callee));
  }

  private mathCall(name: string, args: AnyNode[], loc: SourceLocation): Typed {
    if (!Object.prototype.hasOwnProperty.call(MATH_FUNCTIONS, name)) throw unknownMath(name, loc);
    const { prim, arity } = MATH_FUNCTIONS[name];
    const lowered = args.map((a) => this.num(this.expr(a), a));
    if (arity > 0 && lowered.length !== arity) {
      throw new DdxError('arity', `Math.${name} takes ${arity} argument${arity === 1 ? '' : 's'}, but is called with ${lowered.length}`, loc);
    }
    if (arity < 0) {
      if (lowered.length === 0) throw new DdxError('arity', `Math.${name} needs at least one argument`, loc);
      // Math.max(a) is a; Math.hypot(a) is |a|; more arguments nest: max(max(a, b), c).
      if (lowered.length === 1) return { expr: prim === 'hypot' ? { k: 'prim', op: 'abs', args: lowered, loc } : lowered[0], type: 'num' };
      let acc = lowered[0];
      for (let i = 1; i < lowered.length; i++) acc = { k: 'prim', op: prim, args: [acc, lowered[i]], loc };
      return { expr: acc, type: 'num' };
    }
    return { expr: { k: 'prim', op: prim, args: lowered, loc }, type: 'num' };
  }

  private fill(newNode: AnyNode, args: AnyNode[], loc: SourceLocation): Typed {
    if (newNode.callee.type !== 'Identifier' || newNode.callee.name !== 'Array' || newNode.arguments.length !== 1) {
      throw new DdxError('unsupported', '`new` is only supported as new Array(n).fill(value)', locOf(newNode));
    }
    if (args.length !== 1) throw new DdxError('arity', '.fill takes one value: new Array(n).fill(value)', loc);
    const length = this.num(this.expr(newNode.arguments[0]), newNode.arguments[0]);
    const value = this.num(this.expr(args[0]), args[0]);
    return { expr: { k: 'fill', length, value, loc }, type: 'arr' };
  }
}

const COMPOUND: Record<string, Primitive> = { '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '%=': 'mod', '**=': 'pow' };

function unknownMath(name: string, loc: SourceLocation): DdxError {
  if (name === 'random') return new DdxError('unsupported', 'Math.random is not supported: a random result has no derivative; pass the value as a parameter', loc);
  return new DdxError('unknown-name', `Math.${name} is not supported: ddx has Math.${Object.keys(MATH_FUNCTIONS).join(', Math.')}, Math.PI and Math.E`, loc);
}
