// The cost of a gradient as the inputs grow: Rosenbrock's function at n = 1 ... 1000, timed in the
// views' worker for numeric differences, forward mode and reverse mode (src/views/cost.ts), with a
// progress bar while it runs. Two log-log plots: the time of one gradient (with f alone for scale)
// and the passes it takes (f evaluations or sweeps). The last measurement is kept for the session.

import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { CostAnswer, CostEngine } from '../../../src/views/cost.ts';
import type { ErrorInfo } from '../../../src/errors.ts';
import { useStore } from '../../store/index.ts';
import { WorkerError } from '../../worker/client.ts';
import { axis, UPlotChart, type ChartSpec } from '../chart/UPlotChart.tsx';
import { engineColor, ENGINE_STROKE, type Theme } from '../palette.ts';
import { fmt, fmtTime, viewsClient } from '../shared.ts';
import '../views.css';

const ENGINES: CostEngine[] = ['numeric', 'forward', 'reverse'];
const TITLES: Record<CostEngine, string> = { numeric: 'numeric (central)', forward: 'forward mode', reverse: 'reverse mode' };

/** The last measurement, kept while the page lives: opening the tab again shows it at once. */
let last: CostAnswer | null = null;

/** A log range around every positive value, so no point falls off the plot. */
function logRange(values: number[]): [number, number] {
  const v = values.filter((x) => x > 0 && Number.isFinite(x));
  return v.length ? [Math.min(...v) / 1.6, Math.max(...v) * 1.6] : [1, 10];
}

function timeSpec(theme: Theme, a: CostAnswer): ChartSpec {
  const n = a.rows.map((r) => r.n);
  const range = logRange(a.rows.flatMap((r) => [r.f_micros, ...ENGINES.map((e) => r.micros[e])]));
  const series: uPlot.Series[] = [
    { label: 'n' },
    { label: 'f alone', stroke: engineColor('f', theme), width: 2, dash: [4, 4], points: { show: true, size: 5 }, value: (_u, v) => (v === null ? '—' : fmtTime(v)) },
    ...ENGINES.map((e) => ({ label: TITLES[e], stroke: engineColor(e, theme), width: Math.min(ENGINE_STROKE[e]?.width ?? 2, 3), points: { show: true, size: 6 }, value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmtTime(v)) })),
  ];
  return {
    data: [n, a.rows.map((r) => r.f_micros), ...ENGINES.map((e) => a.rows.map((r) => r.micros[e]))] as uPlot.AlignedData,
    options: {
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10, range: () => range } },
      axes: [axis(theme, { scale: 'x', label: 'n, the number of inputs', log: true }), axis(theme, { scale: 'y', label: 'time of one gradient (µs)', log: true, side: 3 })],
      series,
      legend: { show: true, live: true },
      cursor: { sync: { key: 'ddx-cost' }, drag: { x: false, y: false } },
    },
  };
}

function passesSpec(theme: Theme, a: CostAnswer): ChartSpec {
  const n = a.rows.map((r) => r.n);
  const range = logRange(a.rows.flatMap((r) => ENGINES.map((e) => r.passes[e])));
  return {
    data: [n, ...ENGINES.map((e) => a.rows.map((r) => r.passes[e]))] as uPlot.AlignedData,
    options: {
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10, range: () => range } },
      axes: [axis(theme, { scale: 'x', label: 'n, the number of inputs', log: true }), axis(theme, { scale: 'y', label: 'f evaluations or sweeps', log: true, side: 3 })],
      series: [
        { label: 'n' },
        ...ENGINES.map((e) => ({ label: TITLES[e], stroke: engineColor(e, theme), width: 2.5, points: { show: true, size: 6 }, value: (_u: uPlot, v: number | null) => fmt(v) })),
      ],
      legend: { show: true, live: true },
      cursor: { sync: { key: 'ddx-cost' }, drag: { x: false, y: false } },
    },
  };
}

/** Least-squares slope of log y against log x over the larger half of the sizes. */
function slope(xs: number[], ys: number[]): number | null {
  const pts = xs.map((x, i) => [Math.log10(x), Math.log10(ys[i])]).filter(([, y]) => Number.isFinite(y)).slice(Math.floor(xs.length / 2));
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length, my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const num = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0), den = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return den > 0 ? num / den : null;
}

export default function CostView() {
  const theme = useStore((s) => s.theme);
  const [answer, setAnswer] = useState<CostAnswer | null>(last);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [runs, setRuns] = useState(last ? 0 : 1);

  useEffect(() => {
    if (runs === 0) return;
    let live = true;
    setProgress(0);
    setError(null);
    viewsClient()
      .request('cost', {}, { budgetMs: 60_000, onProgress: (f) => { if (live) setProgress(f); } })
      .then((a) => { last = a; if (live) setAnswer(a); })
      .catch((err: unknown) => { if (live) setError(err instanceof WorkerError ? err.info : { kind: 'engine', message: String(err), line: null, column: null }); })
      .finally(() => { if (live) setProgress(null); });
    return () => { live = false; };
  }, [runs]);

  const specs = useMemo(() => (answer ? { time: timeSpec(theme, answer), passes: passesSpec(theme, answer) } : null), [answer, theme]);
  const n = answer?.rows.map((r) => r.n) ?? [];
  const slopes = answer ? Object.fromEntries(ENGINES.map((e) => [e, slope(n, answer.rows.map((r) => r.micros[e]))])) as Record<CostEngine, number | null> : null;
  const biggest = answer?.rows[answer.rows.length - 1];
  return (
    <div className="view cost-view" data-cost-rows={answer?.rows.length ?? 0} aria-busy={progress !== null}>
      <header className="view-head">
        <h2>What a gradient costs as the inputs grow</h2>
        <p className="view-lede">
          Rosenbrock's function of n inputs, differentiated at n = 1 … 1000, timed here in your browser. Numeric differences evaluate f twice per input
          and forward mode sweeps once per input, so both grow like n × (the cost of f) = n². Reverse mode sweeps forward once and back once whatever n is:
          its gradient costs a small multiple of f. That is why neural networks, with millions of inputs and one loss, are trained by reverse mode.
        </p>
      </header>
      <div className="view-controls">
        <button type="button" className="button" onClick={() => setRuns((r) => r + 1)} disabled={progress !== null} data-cost-run>
          {answer ? 'Measure again' : 'Measure'}
        </button>
        {progress !== null && (
          <div className="progress" role="progressbar" aria-label="Measuring" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)} data-cost-progress={progress.toFixed(2)}>
            <div className="progress-bar"><span style={{ width: `${Math.round(progress * 100)}%` }} /></div>
            <span>measuring… {Math.round(progress * 100)}%</span>
          </div>
        )}
      </div>
      {error && <p className="view-error" role="alert">{error.message}</p>}
      {specs && answer && (
        <div className="chart-pair">
          <div>
            <p className="chart-title">Time of one gradient</p>
            <UPlotChart spec={specs.time} height={330} name="cost-time" label="Time of one gradient against the number of inputs, log-log" />
          </div>
          <div>
            <p className="chart-title">Evaluations of f, or sweeps, per gradient</p>
            <UPlotChart spec={specs.passes} height={330} name="cost-passes" label="f evaluations or sweeps per gradient against the number of inputs, log-log" />
          </div>
        </div>
      )}
      {answer && biggest && slopes && (
        <div className="view-notes">
          <p>
            At n = {biggest.n}: f takes {fmtTime(biggest.f_micros)}; a gradient takes {ENGINES.map((e, i) => <span key={e}>{i > 0 ? ', ' : ''}{TITLES[e]} <strong>{fmtTime(biggest.micros[e])}</strong> ({fmt(biggest.micros[e] / biggest.f_micros, 2)}× f)</span>)}.
            {' '}Slopes over the larger sizes: {ENGINES.map((e, i) => <span key={e}>{i > 0 ? ', ' : ''}{TITLES[e]} {fmt(slopes[e], 2)}</span>)} (2 is n², 1 is n).
          </p>
          <p className="muted">
            Passes: numeric counts {answer.passes.numeric}; forward mode {answer.passes.forward}; reverse mode {answer.passes.reverse}.
            Every gradient was checked against Rosenbrock's gradient in closed form: worst relative error {ENGINES.map((e, i) => <span key={e}>{i > 0 ? ', ' : ''}{TITLES[e]} {fmt(Math.max(...answer.rows.map((r) => r.error[e])), 2)}</span>)}.
            Timings are medians of short batches on this machine, in the views' own worker; other work on the machine shows up as noise.
          </p>
        </div>
      )}
    </div>
  );
}
