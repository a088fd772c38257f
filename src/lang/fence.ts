// The fence: a whitelist over the acorn syntax tree. Anything outside ddx's JavaScript subset is
// refused here, with a message naming the construct and what to write instead, before any engine
// runs. lower-js.ts then checks names, arity and types in context. Nothing the user typed is run.

import type { Node } from 'acorn';
import { DdxError, type SourceLocation } from '../errors.ts';

/** Syntax-tree node types the subset allows. Context rules (where each may appear) live in lower-js.ts. */
const ALLOWED = new Set([
  'Program', 'FunctionDeclaration', 'ArrowFunctionExpression', 'FunctionExpression', 'VariableDeclaration',
  'VariableDeclarator', 'Identifier', 'Literal', 'BlockStatement', 'ExpressionStatement', 'ReturnStatement',
  'IfStatement', 'ForStatement', 'ForOfStatement', 'WhileStatement', 'BreakStatement', 'ContinueStatement',
  'EmptyStatement', 'BinaryExpression', 'LogicalExpression', 'UnaryExpression', 'UpdateExpression',
  'AssignmentExpression', 'ConditionalExpression', 'CallExpression', 'MemberExpression', 'ArrayExpression',
  'NewExpression', 'SequenceExpression', 'ParenthesizedExpression',
]);

/** Why a node type is refused, and what the subset offers instead. */
const REFUSED: Record<string, string> = {
  ThisExpression: '`this` is not supported: ddx functions take numbers and arrays as parameters',
  TemplateLiteral: 'template literals are not supported: ddx works on numbers and arrays of numbers only',
  TaggedTemplateExpression: 'tagged templates are not supported: ddx works on numbers and arrays of numbers only',
  ObjectExpression: 'objects are not supported: use numbers and arrays of numbers',
  ObjectPattern: 'destructuring is not supported: name each value with its own const or let',
  ArrayPattern: 'destructuring is not supported: name each value with its own const or let',
  ImportExpression: 'import() is not supported: ddx code cannot load modules',
  ImportDeclaration: 'import is not supported: ddx code cannot load modules',
  ExportNamedDeclaration: 'export is not supported: just declare the functions',
  ExportDefaultDeclaration: 'export is not supported: just declare the functions',
  ClassDeclaration: 'classes are not supported: use functions',
  ClassExpression: 'classes are not supported: use functions',
  SwitchStatement: 'switch is not supported: use if / else if / else',
  TryStatement: 'try/catch is not supported',
  ThrowStatement: 'throw is not supported: return a value instead',
  DoWhileStatement: 'do...while is not supported: use while',
  ForInStatement: 'for...in is not supported: use a counting for loop or for...of over an array',
  LabeledStatement: 'labels are not supported: use break or continue on the innermost loop',
  WithStatement: 'with is not supported',
  DebuggerStatement: 'debugger is not supported',
  SpreadElement: 'spread (...) is not supported: write the elements out',
  RestElement: 'rest parameters are not supported: pass an array parameter',
  AssignmentPattern: 'default parameter values are not supported: every parameter comes from the point',
  AwaitExpression: 'await is not supported: ddx functions are synchronous',
  YieldExpression: 'yield is not supported: ddx functions are not generators',
  ChainExpression: 'optional chaining (?.) is not supported',
  MetaProperty: 'new.target and import.meta are not supported',
  Super: 'super is not supported',
  PrivateIdentifier: 'private names are not supported',
  ClassBody: 'classes are not supported: use functions',
  ImportSpecifier: 'import is not supported',
  Property: 'objects are not supported: use numbers and arrays of numbers',
};

/** Names that would reach outside the sandbox; refused wherever they appear, with a reason. */
const HOSTILE_NAMES: Record<string, string> = {
  eval: '`eval` is not supported: ddx never runs text as code',
  Function: '`Function` is not supported: ddx never runs text as code',
  globalThis: '`globalThis` is not supported: ddx functions only see their parameters',
  window: '`window` is not supported: ddx functions only see their parameters',
  self: '`self` is not supported: ddx functions only see their parameters',
  document: '`document` is not supported: ddx functions only see their parameters',
  global: '`global` is not supported: ddx functions only see their parameters',
  process: '`process` is not supported: ddx functions only see their parameters',
  require: '`require` is not supported: ddx code cannot load modules',
  arguments: '`arguments` is not supported: name the parameters',
  constructor: '`constructor` is not supported: the only properties are Math.* and .length',
  __proto__: '`__proto__` is not supported: the only properties are Math.* and .length',
  prototype: '`prototype` is not supported: the only properties are Math.* and .length',
};

export function locOf(node: Node): SourceLocation {
  const loc = node.loc;
  if (!loc) return { line: 1, column: 1 };
  return { line: loc.start.line, column: loc.start.column + 1, endLine: loc.end.line, endColumn: loc.end.column + 1 };
}

/**
 * Walks every node and refuses what the subset does not have. Reports the refusal that comes
 * first in the text, so `x.constructor.constructor` points at the first `constructor`.
 */
export function fence(root: Node): void {
  let first: DdxError | null = null;
  const earlier = (e: DdxError) => !first || (e.line ?? 0) < (first.line ?? 0) || (e.line === first.line && (e.column ?? 0) < (first.column ?? 0));
  const visit = (node: Node): void => {
    if (!ALLOWED.has(node.type)) {
      const reason = REFUSED[node.type] ?? `${describe(node.type)} is not supported in ddx's JavaScript subset`;
      const e = new DdxError('unsupported', reason, locOf(node));
      if (earlier(e)) first = e;
      return; // what lies inside a refused construct does not matter
    }
    try {
      checkNode(node);
    } catch (err) {
      if (err instanceof DdxError && earlier(err)) first = err;
    }
    for (const key of Object.keys(node) as (keyof Node)[]) {
      if (key === 'loc') continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (isNode(c)) visit(c);
      } else if (isNode(child)) visit(child);
    }
  };
  visit(root);
  if (first) throw first;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function describe(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Per-node checks that need no context: literals, operators, hostile names and properties. */
function checkNode(node: Node): void {
  const n = node as unknown as Record<string, unknown> & Node;
  switch (node.type) {
    case 'Identifier': {
      const name = n.name as string;
      if (Object.prototype.hasOwnProperty.call(HOSTILE_NAMES, name)) {
        throw new DdxError('unsupported', HOSTILE_NAMES[name], locOf(node));
      }
      return;
    }
    case 'Literal': {
      const value = n.value;
      if (typeof value === 'number' || typeof value === 'boolean') return;
      if (typeof value === 'string') throw new DdxError('unsupported', 'strings are not supported: ddx works on numbers and arrays of numbers only', locOf(node));
      if (n.regex) throw new DdxError('unsupported', 'regular expressions are not supported: ddx works on numbers only', locOf(node));
      if (n.bigint !== undefined) throw new DdxError('unsupported', 'BigInt literals are not supported: use ordinary numbers', locOf(node));
      if (value === null) throw new DdxError('unsupported', '`null` is not supported: use a number', locOf(node));
      throw new DdxError('unsupported', 'this literal is not supported: use a number', locOf(node));
    }
    case 'VariableDeclaration':
      if (n.kind === 'var') throw new DdxError('unsupported', '`var` is not supported: use let or const', locOf(node));
      return;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (n.async) throw new DdxError('unsupported', 'async functions are not supported: ddx functions are synchronous', locOf(node));
      if (n.generator) throw new DdxError('unsupported', 'generator functions are not supported', locOf(node));
      return;
    case 'BinaryExpression': {
      const op = n.operator as string;
      if (['+', '-', '*', '/', '%', '**', '<', '<=', '>', '>=', '===', '!==', '==', '!='].includes(op)) return;
      if (op === 'in' || op === 'instanceof') throw new DdxError('unsupported', `\`${op}\` is not supported: ddx works on numbers and arrays of numbers`, locOf(node));
      throw new DdxError('unsupported', `the bitwise operator \`${op}\` is not supported: use arithmetic and Math.* functions`, locOf(node));
    }
    case 'LogicalExpression':
      if (n.operator === '??') throw new DdxError('unsupported', '`??` is not supported: values are always numbers', locOf(node));
      return;
    case 'UnaryExpression': {
      const op = n.operator as string;
      if (op === '-' || op === '+' || op === '!') return;
      if (op === '~') throw new DdxError('unsupported', 'the bitwise operator `~` is not supported: use arithmetic and Math.* functions', locOf(node));
      throw new DdxError('unsupported', `\`${op}\` is not supported: ddx works on numbers and arrays of numbers`, locOf(node));
    }
    case 'AssignmentExpression': {
      const op = n.operator as string;
      if (['=', '+=', '-=', '*=', '/=', '%=', '**='].includes(op)) return;
      throw new DdxError('unsupported', `the assignment \`${op}\` is not supported: use = += -= *= /= %= or **=`, locOf(node));
    }
    case 'MemberExpression': {
      if (n.optional) throw new DdxError('unsupported', 'optional chaining (?.) is not supported', locOf(node));
      const property = n.property as Node & { name?: string };
      if (!n.computed && property.type === 'Identifier') {
        const name = property.name as string;
        if (Object.prototype.hasOwnProperty.call(HOSTILE_NAMES, name)) throw new DdxError('unsupported', HOSTILE_NAMES[name], locOf(property));
      }
      return;
    }
    case 'CallExpression':
      if (n.optional) throw new DdxError('unsupported', 'optional calls (?.()) are not supported', locOf(node));
      return;
    default:
      return;
  }
}
