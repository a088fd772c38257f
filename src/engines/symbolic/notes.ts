// The symbolic engine's notes: where the traced expression is valid (the branch and loop tests
// decided at the point, and the max/min choices), how loops were unrolled, the conventions taken at
// kinks and for piecewise-constant functions. Each condition is printed as an expression of the
// inputs ("valid while x - 1 > 0 (line 3)"), not as the source's local variables.

import type { CompareOp } from '../../ir/types.ts';
import { RULES } from '../../rules/table.ts';
import type { DiffEvent } from '../../symbolic/diff.ts';
import type { SNode } from '../../symbolic/node.ts';
import type { Raw } from '../../symbolic/raw.ts';
import type { Condition } from '../../symbolic/trace.ts';

const NEGATE: Record<CompareOp, CompareOp> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '===': '!==', '!==': '===' };
const MIRROR: Record<CompareOp, CompareOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '===': '===', '!==': '!==' };
const SHOW: Record<CompareOp, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '===': '==', '!==': '!=' };
/** Conditions listed one by one before the rest are counted. */
const MAX_LISTED = 6;
/** Longer conditions are described by their line only. */
const MAX_TEXT = 70;

export interface NoteContext {
  /** Readable text of a traced value (canonical form, mathjs syntax). */
  text: (r: Raw) => string;
  canonical: (r: Raw) => SNode;
}

const at = (line: number | null | undefined) => (line ? ` (line ${line})` : '');
const isConstant = (r: Raw) => r.k === 'num';

function opName(op: keyof typeof RULES): string {
  const n = RULES[op].mathjs;
  return n.kind === 'call' ? n.name : op;
}

export function validityNotes(conditions: Condition[], events: DiffEvent[], ctx: NoteContext): string[] {
  const notes: string[] = [];
  const listed: string[] = [];
  const seen = new Set<string>();
  let unlisted = 0;
  const lines = new Set<number>();
  const addCondition = (a: Raw, op: CompareOp, b: Raw, line: number | null | undefined) => {
    // The input on the left: "x >= 0" rather than "0 <= x".
    if (isConstant(a) && !isConstant(b)) [a, op, b] = [b, MIRROR[op], a];
    if (a.nodes + b.nodes > 40) {
      // Too long to read in a note (a Newton iteration's test, say): counted, not printed.
      const key = `${line}:${a.nodes}:${b.nodes}:${a.val}`;
      if (!seen.has(key)) { seen.add(key); unlisted++; if (line) lines.add(line); }
      return;
    }
    const ta = ctx.text(a), tb = ctx.text(b);
    const text = `${ta} ${SHOW[op]} ${tb}`;
    const key = `${text}@${line ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (line) lines.add(line);
    if (listed.length < MAX_LISTED && text.length <= MAX_TEXT) listed.push(`${text}${at(line)}`);
    else unlisted++;
  };

  // Loops: how often each ran, and whether its exit depends on the inputs.
  const loops = new Map<string, { line: number | null; iterations: number; symbolic: boolean }>();
  for (const c of conditions) {
    if (c.kind !== 'loop') continue;
    const key = String(c.line);
    const l = loops.get(key) ?? { line: c.line, iterations: 0, symbolic: false };
    if (c.holds) l.iterations++;
    if (!isConstant(c.a) || !isConstant(c.b)) l.symbolic = true;
    loops.set(key, l);
  }
  for (const c of conditions) {
    if (isConstant(c.a) && isConstant(c.b)) continue;
    if (c.kind === 'loop' && (loops.get(String(c.line))?.iterations ?? 0) > 2) continue; // summarized below
    addCondition(c.a, c.holds ? c.op : NEGATE[c.op], c.b, c.line);
  }
  for (const e of events) {
    if (e.k !== 'choice') continue;
    if (isConstant(e.a) && isConstant(e.b)) continue;
    // max(a, b) follows a while a >= b; min(a, b) follows a while a <= b.
    const [first, second] = e.first ? [e.a, e.b] : [e.b, e.a];
    const op: CompareOp = e.op === 'max' ? (e.first ? '>=' : '>') : (e.first ? '<=' : '<');
    addCondition(first, op, second, e.loc?.line);
  }
  for (const l of loops.values()) {
    if (l.symbolic && l.iterations > 2) {
      const where = l.line ? `the loop at line ${l.line}` : 'a loop';
      listed.length < MAX_LISTED ? listed.push(`${where} runs ${l.iterations} times (its test depends on the inputs)`) : unlisted++;
    }
  }
  if (listed.length || unlisted) {
    const more = unlisted ? `${listed.length ? ', and ' : ''}${unlisted} more condition${unlisted === 1 ? '' : 's'}${listed.length ? '' : ` at line${lines.size === 1 ? '' : 's'} ${[...lines].sort((a, b) => a - b).join(', ')}`}` : '';
    notes.push(`valid while ${listed.join(', ')}${more}: the branches and loops taken at the point decide the expression, which is the derivative only where they stay the same`);
  } else if (conditions.length) {
    notes.push('no branch or loop test depends on the inputs: the traced expression holds wherever f is defined');
  }
  const unrolled = [...loops.values()].filter((l) => l.iterations > 0).map((l) => `${l.line ? `line ${l.line}` : 'a loop'} ×${l.iterations}`);
  if (unrolled.length) notes.push(`loops unrolled at the point: ${unrolled.join(', ')}`);
  return notes;
}

export function conventionNotes(events: DiffEvent[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  const push = (key: string, text: string) => { if (!seen.has(key)) { seen.add(key); notes.push(text); } };
  for (const e of events) {
    if (e.k === 'flat') {
      push(`flat:${e.op}:${e.loc?.line}`, `${opName(e.op)}${at(e.loc?.line)} is piecewise constant: its derivative is 0 between its jumps`);
    } else if (e.k === 'kink') {
      push(`kink:${e.op}:${e.loc?.line}`, `${opName(e.op)}${at(e.loc?.line)} sits on a kink at this point: ${e.convention}`);
    }
  }
  return notes;
}
