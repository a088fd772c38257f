// Which parameters are arrays? Read off the syntax before lowering: a parameter is an array when
// the function indexes it, reads its .length, loops over it with for...of, or passes it where a
// helper expects an array. Calls propagate to a fixed point.

import type { Node } from 'acorn';
import type { SourceLocation } from '../errors.ts';
import type { ValueType } from '../ir/types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyNode = Node & Record<string, any>;

export interface FunctionSyntax {
  name: string;
  params: AnyNode[];
  node: AnyNode;
  loc: SourceLocation;
}

export function inferParamTypes(functions: FunctionSyntax[]): Map<string, ValueType[]> {
  const types = new Map<string, ValueType[]>(functions.map((f) => [f.name, f.params.map(() => 'num' as ValueType)]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const fn of functions) {
      const mine = types.get(fn.name)!;
      const names = fn.params.map((p) => p.name as string);
      walk(fn.node.body, (node) => {
        const mark = (id: AnyNode | undefined) => {
          if (id?.type !== 'Identifier') return;
          const i = names.indexOf(id.name);
          if (i >= 0 && mine[i] !== 'arr') { mine[i] = 'arr'; changed = true; }
        };
        if (node.type === 'MemberExpression' && (node.computed || node.property?.name === 'length')) mark(node.object);
        if (node.type === 'ForOfStatement') mark(node.right);
        if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && types.has(node.callee.name)) {
          const theirs = types.get(node.callee.name)!;
          (node.arguments as AnyNode[]).forEach((a, i) => { if (theirs[i] === 'arr') mark(a); });
        }
      });
    }
  }
  return types;
}

function walk(node: AnyNode, visit: (n: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const child = node[key];
    if (Array.isArray(child)) for (const c of child) { if (c && typeof c.type === 'string') walk(c, visit); }
    else if (child && typeof child === 'object' && typeof child.type === 'string') walk(child, visit);
  }
}
