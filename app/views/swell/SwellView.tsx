// The swell meter: how big each method's derivative is. For the function on screen, the symbolic
// derivative's size at each stage (raw, simplified, CSE) beside reverse mode's tape and the lines
// of the generated gradient and tangent code; then how each grows as a function is nested deeper,
// for the gallery's swell example (sin of sin of ...) or the user's own f composed with itself,
// measured in the views' worker (src/views/swell.ts). Log scale: swell is exponential, tapes linear.

import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { ErrorInfo } from '../../../src/errors.ts';
import type { SwellAnswer, SwellFamily, SwellRow } from '../../../src/views/swell.ts';
import { useStore } from '../../store/index.ts';
import { WorkerError } from '../../worker/client.ts';
import { axis, UPlotChart, type ChartSpec } from '../chart/UPlotChart.tsx';
import { seriesColor, type Theme } from '../palette.ts';
import { fmt, useEngineResult, useResponse, viewsClient } from '../shared.ts';
import '../views.css';

type Measure = Exclude<keyof SwellRow, 'depth'>;

const MEASURES: { key: Measure; label: string; dash?: number[]; width?: number }[] = [
  { key: 'raw', label: 'symbolic, raw', width: 2.5 },
  { key: 'simplified', label: 'symbolic, simplified', width: 2.5 },
  { key: 'cse', label: 'symbolic, CSE', width: 2.5 },
  { key: 'f', label: 'f written out', dash: [3, 4], width: 2 },
  { key: 'tape', label: 'tape length', width: 3 },
  { key: 'reverse_lines', label: 'reverse code (lines)', dash: [8, 5], width: 2 },
  { key: 'tangent_lines', label: 'tangent code (lines)', dash: [8, 5], width: 2 },
];

function spec(theme: Theme, a: SwellAnswer): ChartSpec {
  const depth = a.rows.map((r) => r.depth);
  return {
    data: [depth, ...MEASURES.map((m) => a.rows.map((r) => r[m.key]))] as uPlot.AlignedData,
    options: {
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [
        axis(theme, { scale: 'x', label: `depth ${a.description.split(',')[0]}`, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) }),
        axis(theme, { scale: 'y', label: 'size (operations, nodes or lines)', log: true, side: 3 }),
      ],
      series: [
        { label: 'depth' },
        ...MEASURES.map((m, i) => ({ label: m.label, stroke: seriesColor(i, theme), width: m.width ?? 2, dash: m.dash, points: { show: true, size: 6 }, value: (_u: uPlot, v: number | null) => fmt(v) })),
      ],
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
    },
  };
}

/** The function on screen, from the cards: each size as a bar on a log scale. */
function Meter({ theme }: { theme: Theme }) {
  const symbolic = useEngineResult('symbolic');
  const reverse = useEngineResult('reverse');
  const forward = useEngineResult('forward');
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const cost = (r: typeof symbolic, k: string) => num(r?.cost?.[k]);
  const stages = (symbolic?.stages ?? null) as { raw?: { size?: number }; simplified?: { size?: number }; cse?: { size?: number } } | null;
  const rows: { label: string; value: number | null; color: number; unit: string }[] = [
    { label: 'symbolic, raw', value: num(stages?.raw?.size) ?? cost(symbolic, 'raw_ops'), color: 0, unit: 'operations' },
    { label: 'symbolic, simplified', value: num(stages?.simplified?.size) ?? cost(symbolic, 'simplified_ops'), color: 1, unit: 'operations' },
    { label: 'symbolic, CSE', value: num(stages?.cse?.size) ?? cost(symbolic, 'cse_ops'), color: 2, unit: 'operations' },
    { label: 'tape length', value: cost(reverse, 'tape_length'), color: 4, unit: 'records' },
    { label: 'reverse code', value: cost(reverse, 'lines'), color: 5, unit: 'lines' },
    { label: 'tangent code', value: cost(forward, 'lines'), color: 6, unit: 'lines' },
  ];
  const max = Math.max(2, ...rows.map((r) => r.value ?? 0));
  const width = (v: number) => `${Math.max(1, (Math.log10(1 + v) / Math.log10(1 + max)) * 100)}%`;
  return (
    <div className="meter" role="table" aria-label="Sizes for the function on screen" data-swell-meter>
      {rows.map((r) => (
        <div key={r.label} role="row" style={{ display: 'contents' }}>
          <span role="rowheader">{r.label}</span>
          <span role="cell"><span className="bar" style={{ display: 'block', width: r.value === null ? 0 : width(r.value), background: seriesColor(r.color, theme) }} /></span>
          <span role="cell" className="count" data-meter={r.label}>{r.value === null ? '—' : `${r.value.toLocaleString('en-US')} ${r.unit}`}</span>
        </div>
      ))}
    </div>
  );
}

export default function SwellView() {
  const theme = useStore((s) => s.theme);
  const source = useStore((s) => s.source);
  const response = useResponse();
  const [family, setFamily] = useState<SwellFamily>('sin');
  const [answer, setAnswer] = useState<SwellAnswer | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useStore((s) => s.pending);
  const params = useStore((s) => s.answer?.params ?? null);
  // Composing f with itself needs a number to feed back: a number parameter, and (the worker checks) a number result.
  const composable = params === null || params.some((p) => p.type === 'num');
  const key = family === 'sin' ? 'sin' : JSON.stringify([source, response?.at, pending]);
  useEffect(() => {
    if (family === 'compose' && (!response || pending)) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      viewsClient()
        .request('swell', family === 'sin' ? { family } : { family, source, point: response!.at }, { budgetMs: 15_000, signal: controller.signal })
        .then((a) => { if (!controller.signal.aborted) { setAnswer(a); setError(null); } })
        .catch((err: unknown) => {
          if (controller.signal.aborted || (err instanceof WorkerError && err.aborted)) return;
          setAnswer(null);
          setError(err instanceof WorkerError ? err.info : { kind: 'engine', message: String(err), line: null, column: null });
        })
        .finally(() => { if (!controller.signal.aborted) setBusy(false); });
    }, 150);
    return () => { clearTimeout(timer); controller.abort(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [family, key]);
  const chart = useMemo(() => (answer && answer.family === family ? spec(theme, answer) : null), [answer, theme, family]);
  const lastRow = answer?.rows[answer.rows.length - 1];
  return (
    <div className="view swell-view" data-swell-family={family} data-swell-rows={answer?.rows.length ?? 0} aria-busy={busy}>
      <header className="view-head">
        <h2>The swell meter</h2>
        <p className="view-lede">
          The product and chain rules copy subexpressions, so a symbolic derivative written out can grow much faster than f (expression swell);
          simplifying helps a little, pulling out common subexpressions (CSE) a lot. Reverse mode never writes the derivative out: its tape grows
          by a few records per operation f performs, and its generated code by a few lines per statement.
        </p>
      </header>
      <section aria-label="This function">
        <p className="chart-title">The function on screen</p>
        <Meter theme={theme} />
      </section>
      <div className="view-controls">
        <label className="option">
          <span>how it grows with nesting</span>
          <select value={family} onChange={(e) => setFamily(e.target.value as SwellFamily)} data-swell-choice>
            <option value="sin">the gallery's swell example: sin applied d times</option>
            <option value="compose" disabled={!composable}>your function composed with itself d times{composable ? '' : ' (it takes only arrays)'}</option>
          </select>
        </label>
        {busy && <span className="busy" role="status">measuring…</span>}
      </div>
      {error && <p className="view-error" role="alert">{error.message}</p>}
      {chart && answer && (
        <>
          <p className="chart-title">Size against depth {answer.description.replace(/^d, /, '(d: ')})</p>
          <UPlotChart spec={chart} height={340} name="swell" label="Sizes against nesting depth, log scale" />
        </>
      )}
      {answer && lastRow && (
        <div className="view-notes">
          <p>
            At depth {lastRow.depth}: the raw symbolic derivative has {fmt(lastRow.raw)} operations, simplified {fmt(lastRow.simplified)}, with CSE {fmt(lastRow.cse)};
            the tape has {fmt(lastRow.tape)} records and the generated gradient {fmt(lastRow.reverse_lines)} lines.
            {answer.family === 'sin' && ' The loop is the same code at every depth, so the generated code does not grow at all; the tape grows by one record per sin.'}
          </p>
          {answer.notes.map((n) => <p key={n} className="muted">{n}</p>)}
          <p className="muted">Sizes are sympy's count_ops of each stage (the symbolic card's measure); the tape counts recorded operations and inputs.</p>
        </div>
      )}
    </div>
  );
}
