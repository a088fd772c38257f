// Room on the stack before a counting loop. The generated gradient saves values on a plain array
// used as a stack; written past its end, V8 grows it a step at a time, and that growing cost more
// than the saving itself (logsumexp at n = 1000: 2000 values saved, about 10 µs grown against 4 µs
// with room made first). Before a loop `for (; i < B; i++)` whose body saves k values per
// iteration, the trip count is known, so the generated code makes room for them in one step:
// `if (top + k * (B - i) > stack.length) stack.length = top + k * (B - i)`. Setting a larger
// length keeps the array fast (V8 grows its store to at least the new length) and never drops a
// saved value (only slots at or above `top` are free). The room is never too little: a counting
// loop in normal form has no break, and both branches of an if inside count. Runs last, on the
// function as printed: it changes nothing but the stack's capacity.

import { fold, countingClosedForm } from './optimize.ts';
import { num, v, type GExpr, type GStmt } from './jsast.ts';

/** Values saved by a loop of fixed length at or below which no room is made first. */
const SHORT_LOOP = 64;

/** The statements with a `reserve` before each counting loop that saves values on the number stack. */
export function reserveStack(list: GStmt[]): GStmt[] {
  const out: GStmt[] = [];
  for (let at = 0; at < list.length; at++) {
    const s = list[at];
    if (s.k === 'if') { out.push({ ...s, then: reserveStack(s.then), else: reserveStack(s.else) }); continue; }
    if (s.k !== 'while') { out.push(s); continue; }
    const loop: GStmt = { ...s, body: reserveStack(s.body) };
    const room = s.counter ? roomFor(s, list[at - 1]) : null;
    if (!room) { out.push(loop); continue; }
    // `i = start` just before the loop becomes the loop's `for (let i = start; ...)`: the room
    // goes before it, counted from start.
    const init = out.length && room.fromInit ? out.pop()! : null;
    out.push({ k: 'reserve', extra: room.extra }, ...(init ? [init] : []), loop);
  }
  return out;
}

/** k * trips for a counting loop that saves k numbers per iteration (k > 0), else null. */
function roomFor(loop: Extract<GStmt, { k: 'while' }>, previous: GStmt | undefined): { extra: GExpr; fromInit: boolean } | null {
  const perIteration = savesPerIteration(loop.body);
  if (perIteration === 0 || !loop.counter) return null;
  const { name, step } = loop.counter;
  const t = loop.test;
  if (t.k !== 'compare' || !['<', '<=', '>', '>='].includes(t.op)) return null;
  const flip = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
  const op = t.op as keyof typeof flip;
  const [bound, side] = t.a.k === 'var' && t.a.name === name ? [t.b, op] : t.b.k === 'var' && t.b.name === name ? [t.a, flip[op]] : [null, op];
  if (!bound) return null;
  const fromInit = previous?.k === 'assign' && previous.name === name && previous.pair === undefined;
  const start = fromInit ? (previous as Extract<GStmt, { k: 'assign' }>).value : v(name);
  // The trip count without its guard for a loop that never runs: a negative count makes no room.
  const count = countingClosedForm(side, step, start, bound).trips;
  const trips = sumConstants(count.k === 'cond' ? count.then : count);
  const extra = perIteration === 1 ? trips : fold({ k: 'prim', op: 'mul', args: [num(perIteration), trips] });
  // A short loop of fixed length is left to the array's own growth, which is cheap that small.
  if (extra.k === 'num' && extra.value <= SHORT_LOOP) return null;
  return { extra, fromInit };
}

/**
 * Numbers one iteration can save, not counting nested loops (they make their own room): both
 * branches of an if are counted, an upper bound that costs at most some unused capacity.
 */
function savesPerIteration(body: GStmt[]): number {
  let n = 0;
  for (const s of body) {
    if (s.k === 'push' && s.stack === 'num') n++;
    else if (s.k === 'if') n += savesPerIteration(s.then) + savesPerIteration(s.else);
  }
  return n;
}

/** `e - 1 + 1` as `e`, `e - 2 + 1` as `e - 1`: the closed form's constants added up. */
function sumConstants(e: GExpr): GExpr {
  if (e.k !== 'prim' || (e.op !== 'add' && e.op !== 'sub') || e.args[1].k !== 'num') return e;
  const inner = e.args[0];
  if (inner.k !== 'prim' || (inner.op !== 'add' && inner.op !== 'sub') || inner.args[1].k !== 'num') return e;
  const c = (inner.op === 'add' ? inner.args[1].value : -inner.args[1].value) + (e.op === 'add' ? e.args[1].value : -e.args[1].value);
  if (c === 0) return inner.args[0];
  return { k: 'prim', op: c > 0 ? 'add' : 'sub', args: [inner.args[0], num(Math.abs(c))] };
}
