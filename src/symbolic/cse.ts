// Common subexpression elimination over the canonical DAG: every non-trivial node that is used
// more than once across all the outputs (a whole gradient at once, as sympy's cse does) becomes
// a named temporary, defined before its first use. Hash-consing makes equal subexpressions the
// same node, so finding them is one pass of reference counting.

import type { Namer } from '../codegen/naming.ts';
import type { SNode, Store } from './node.ts';

export interface Temporary {
  name: string;
  /** Its definition, in terms of earlier temporaries. */
  node: SNode;
}

export interface CseResult {
  temps: Temporary[];
  /** The outputs, in terms of the temporaries. */
  outputs: SNode[];
}

export function cse(S: Store, roots: SNode[], namer: Namer, base = 't'): CseResult {
  // Post-order (children before parents), iteratively: traced loops nest deeply.
  const order: SNode[] = [];
  const seen = new Set<number>();
  const stack = roots.map((n) => ({ n, expanded: false }));
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (seen.has(top.n.id)) { stack.pop(); continue; }
    if (!top.expanded) {
      top.expanded = true;
      for (const a of top.n.args) if (!seen.has(a.id)) stack.push({ n: a, expanded: false });
      continue;
    }
    stack.pop();
    seen.add(top.n.id);
    order.push(top.n);
  }
  // References over DAG edges: once per output and once per argument slot of each distinct node.
  const refs = new Map<number, number>();
  for (const r of roots) refs.set(r.id, (refs.get(r.id) ?? 0) + 1);
  for (const n of order) for (const a of n.args) refs.set(a.id, (refs.get(a.id) ?? 0) + 1);

  const shared = (n: SNode) => n.kind !== 'num' && n.kind !== 'sym' && (refs.get(n.id) ?? 0) > 1 && !trivial(n);
  const replaced = new Map<number, SNode>();
  const temps: Temporary[] = [];
  const rewrite = (n: SNode): SNode => replaced.get(n.id) ?? n;
  for (const n of order) {
    const args = n.args.map(rewrite);
    const body = args.every((a, i) => a === n.args[i]) ? n : S.rebuild(n, args);
    if (shared(n)) {
      const name = namer.fresh(`${base}_${temps.length + 1}`);
      temps.push({ name, node: body });
      replaced.set(n.id, S.sym(name));
    } else if (body !== n) replaced.set(n.id, body);
  }
  return { temps, outputs: roots.map((r) => rewrite(r)) };
}

/** Not worth a name: -x, x^-1 and 2x cost one operation wherever they appear. */
function trivial(n: SNode): boolean {
  if (n.kind === 'mul' && n.args.length === 2 && n.args[0].kind === 'num' && n.args[1].kind === 'sym') return true;
  if (n.kind === 'pow' && n.args[0].kind === 'sym' && n.args[1].kind === 'num' && n.args[1].num.v === -1) return true;
  return false;
}
