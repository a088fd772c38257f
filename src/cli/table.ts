// The readable form of a ddx result for the terminal: one row per engine, one column per partial.

import type { GradOutcome } from '../run.ts';
import { flattenGradient } from '../point.ts';

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '-' : Number.isFinite(x) ? String(Number(x.toPrecision(15))) : String(x));

export function formatTable(outcome: GradOutcome): string {
  if ('error' in outcome) {
    const e = outcome.error;
    const where = e.line ? ` at line ${e.line}, column ${e.column}` : '';
    return `error (${e.kind})${where}: ${e.message}\n`;
  }
  const labels = outcome.wrt.flatMap((n) => (Array.isArray(outcome.at[n]) ? (outcome.at[n] as number[]).map((_, i) => `${n}[${i}]`) : [n]));
  const point = Object.entries(outcome.at).map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ');
  const lines: string[] = [];
  lines.push(`${outcome.function}(${outcome.params.join(', ')}) at ${point}`);
  lines.push(`value ${fmt(outcome.value)}`);
  const header = ['engine', ...labels.map((l) => `d/d${l}`), 'max rel error'];
  const rows: string[][] = [header];
  rows.push(['reference', ...flattenGradient(outcome.reference.gradient, outcome.wrt).map(fmt), `(${outcome.reference.digits} digits)`]);
  const notes: string[] = outcome.reference.note ? [`  reference: ${outcome.reference.note}`] : [];
  const failures: [string, string][] = [];
  for (const [id, r] of Object.entries(outcome.engines)) {
    if (!r.ok) {
      // The first line only in the table; the whole message (a template, say) follows the table.
      const [first, ...rest] = r.error.message.split('\n');
      failures.push([id, `error (${r.error.kind}): ${first}`]);
      if (rest.length) notes.push(`  ${id}:`, ...rest.map((l) => `    ${l}`));
      if (typeof r.template === 'string') notes.push(`  ${id}: a template to start from:`, ...r.template.split('\n').map((l) => `    ${l}`));
      continue;
    }
    rows.push([id, ...flattenGradient(r.gradient, outcome.wrt).map(fmt), fmt(r.max_rel_error)]);
    for (const n of r.notes) notes.push(`  ${id}: ${n}`);
  }
  const width = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) lines.push(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(width[c]))).join('  ').trimEnd());
  for (const [id, text] of failures) lines.push(`${id.padEnd(width[0])}  ${text}`);
  if (notes.length) lines.push('notes:', ...notes);
  return lines.join('\n') + '\n';
}
