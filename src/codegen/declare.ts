// Places `let` and `const` in generated code where a person would: each variable in the innermost
// block that holds all of its uses, at its first assignment when that comes first (`const` when it
// is the only one). A variable whose value never crosses from one statement of a block to another
// (the forward `cond` and the adjoint `cond = pop()`) is declared separately inside each.

import { liveness, type Liveness } from './optimize.ts';
import { namesIn, num, type GFunction, type GStmt } from './jsast.ts';

export function declareVariables(fn: GFunction): GFunction {
  const live = liveness(fn.body);
  const params = new Set(fn.params.map((p) => p.name));
  const names = [...namesIn(fn.body)].filter((n) => !params.has(n));
  return { ...fn, body: place(fn.body, names, live, fn.arrays) };
}

function countAssignments(list: GStmt[], name: string): number {
  let n = 0;
  const walk = (l: GStmt[]) => {
    for (const s of l) {
      if (s.k === 'assign' && s.name === name) n++;
      else if (s.k === 'if') { walk(s.then); walk(s.else); }
      else if (s.k === 'while') walk(s.body);
    }
  };
  walk(list);
  return n;
}

/** Declares each of `vars` (all used somewhere in `list`) inside `list` or deeper. */
function place(list: GStmt[], vars: string[], live: Liveness, arrays: Set<string>): GStmt[] {
  const mentions = list.map((s) => namesIn([s]));
  const pushDown = new Map<GStmt, string[]>();
  const here: { name: string; first: number; isolated: Set<number> }[] = [];
  for (const name of vars) {
    const at = mentions.map((m, i) => (m.has(name) ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) continue;
    const isolated = new Set<number>();
    for (const i of at) {
      const s = list[i];
      if (s.k !== 'if' && s.k !== 'while') continue;
      if (live.liveIn.get(s)?.has(name) || live.liveOut.get(s)?.has(name)) continue;
      if (s.k === 'while' && live.bodyEntry.get(s)?.has(name)) continue;
      isolated.add(i);
    }
    const rest = at.filter((i) => !isolated.has(i));
    // One declaration here covers every use when any is needed here: no shadowing.
    if (rest.length) { here.push({ name, first: at[0], isolated: new Set() }); continue; }
    for (const i of isolated) {
      const list2 = pushDown.get(list[i]) ?? [];
      list2.push(name);
      pushDown.set(list[i], list2);
    }
  }

  const out: GStmt[] = [];
  list.forEach((s, i) => {
    const declaredHere = here.filter((h) => h.first === i);
    let stmt = s;
    const inserts: { name: string; init?: ReturnType<typeof num> }[] = [];
    for (const h of declaredHere) {
      const total = list.reduce((n, x, j) => n + (h.isolated.has(j) ? 0 : countAssignments([x], h.name)), 0);
      if (stmt.k === 'assign' && stmt.name === h.name && !stmt.decl && !live.liveIn.get(s)?.has(h.name)) {
        stmt = { ...stmt, decl: total === 1 ? 'const' : 'let' };
      } else {
        inserts.push(arrays.has(h.name) ? { name: h.name } : { name: h.name, init: num(0) });
      }
    }
    if (inserts.length) out.push({ k: 'declare', vars: inserts });
    const inner = pushDown.get(s);
    if (inner && stmt.k === 'if') {
      const { then, else: other } = stmt;
      stmt = { ...stmt, then: place(then, inner.filter((n) => namesIn(then).has(n)), live, arrays), else: place(other, inner.filter((n) => namesIn(other).has(n)), live, arrays) };
    } else if (inner && stmt.k === 'while') {
      // A name the loop's test reads lives across iterations: it was not isolated.
      stmt = { ...stmt, body: place(stmt.body, inner, live, arrays) };
    }
    out.push(stmt);
  });
  return out;
}
