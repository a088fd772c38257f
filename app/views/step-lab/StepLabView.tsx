// The step-size lab: the numeric engine's |error| against h in log-log, for every method, measured
// against the exact reference. Under each measured curve its theory (dashed): the truncation error
// falling with the method's order as h shrinks, the round-off growing as 1/h, crossing at the
// theoretical best step. Each method's best measured step is a dot; the user's h (or the
// automatic one) is a vertical line, and can be moved from here.

import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { StepLab } from '../../../src/engines/numeric/step-lab.ts';
import { errorRange, isV, labCurve, theoryV, type LabCurve } from '../../../src/views/step-lab.ts';
import { useStore } from '../../store/index.ts';
import { axis, drawDot, drawMarker, UPlotChart, type ChartSpec } from '../chart/UPlotChart.tsx';
import { chrome, methodColor, type Theme } from '../palette.ts';
import { fmt, useEngineResult } from '../shared.ts';
import '../views.css';

const TITLES: Record<string, string> = {
  forward: 'forward difference',
  backward: 'backward difference',
  central: 'central difference',
  'five-point': '5-point stencil',
  richardson: 'Richardson',
  'complex-step': 'complex step',
};
const HIDDEN_BY_DEFAULT = ['backward'];

function isStepLab(v: unknown): v is StepLab {
  return typeof v === 'object' && v !== null && Array.isArray((v as StepLab).h) && Array.isArray((v as StepLab).methods);
}

/** The lab's errors for one input (per_input), or the worst over the inputs. */
function curvesFor(lab: StepLab, input: string | null): LabCurve[] {
  return lab.methods.map((m) => {
    const row = input !== null ? m.per_input?.[input] : undefined;
    if (!row) return labCurve(m, lab.h);
    let best = -1;
    row.forEach((e, i) => { if (e !== null && (best < 0 || e < row[best]!)) best = i; });
    return labCurve({ ...m, errors: row, best_h: best >= 0 ? lab.h[best] : null, best_error: best >= 0 ? row[best] : null }, lab.h);
  });
}

function spec(theme: Theme, lab: StepLab, curves: LabCurve[], shown: string[], marker: { h: number; label: string } | null): ChartSpec {
  const c = chrome(theme);
  const visible = curves.filter((k) => shown.includes(k.method));
  const range = errorRange(visible.length ? visible : curves);
  const series: uPlot.Series[] = [{ label: 'h' }];
  const data: (number | null)[][] = [lab.h];
  for (const k of curves) {
    const on = shown.includes(k.method);
    const color = methodColor(k.method, theme);
    series.push({ label: TITLES[k.method] ?? k.method, stroke: color, width: 2.5, show: on, points: { show: true, size: 5, fill: color }, spanGaps: false, value: (_u, v) => fmt(v) });
    data.push(k.errors);
    series.push({ label: `${TITLES[k.method] ?? k.method}: theory`, stroke: color, width: 1.5, dash: [7, 5], show: on, points: { show: false }, spanGaps: true, value: (_u, v) => fmt(v) });
    data.push(theoryV(k, lab.h, range));
  }
  const draw = (u: uPlot) => {
    if (marker) drawMarker(u, marker.h, c.mark, marker.label, [6, 4], marker.h < 1e-8 ? 'right' : 'left', c.panel);
    for (const k of curves) {
      if (!shown.includes(k.method) || k.best_h === null || k.best_error === null || !(k.best_error > 0)) continue;
      drawDot(u, k.best_h, k.best_error, methodColor(k.method, theme), c.panel, 6.5);
    }
  };
  return {
    data: data as uPlot.AlignedData,
    options: {
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10, range: () => range } },
      axes: [axis(theme, { scale: 'x', label: 'step h', log: true }), axis(theme, { scale: 'y', label: '|error| (relative)', log: true, side: 3 })],
      series,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      hooks: { draw: [draw] },
    },
  };
}

export default function StepLabView() {
  const numeric = useEngineResult('numeric');
  const theme = useStore((s) => s.theme);
  const options = useStore((s) => s.options.numeric) ?? {};
  const setOption = useStore((s) => s.setOption);
  const [shown, setShown] = useState<string[] | null>(null);
  const [input, setInput] = useState<string | null>(null);
  const lab = isStepLab(numeric?.step_lab) ? numeric!.step_lab as StepLab : null;
  const method = typeof numeric?.method === 'string' ? numeric.method : 'central';
  const inputs = lab ? lab.inputs.filter((k) => lab.methods.some((m) => m.per_input?.[k])) : [];
  const chosenInput = input !== null && inputs.includes(input) ? input : null;
  const curves = useMemo(() => (lab ? curvesFor(lab, chosenInput) : []), [lab, chosenInput]);
  const visible = shown ?? curves.map((k) => k.method).filter((m) => !HIDDEN_BY_DEFAULT.includes(m));
  const userH = typeof options.h === 'number' ? options.h : null;
  const autoH = lab?.methods.find((m) => m.method === method)?.chosen_h[0] ?? null;
  const marker = userH !== null ? { h: userH, label: `your h = ${fmt(userH)}` } : autoH !== null && method !== 'complex-step' ? { h: autoH, label: `automatic h (${TITLES[method] ?? method}) = ${fmt(autoH, 2)}` } : null;
  const chart = useMemo(() => (lab ? spec(theme, lab, curves, visible, marker) : null), [lab, curves, theme, visible.join(','), marker?.h, marker?.label]);
  if (!numeric) return <p className="muted">The step lab comes from the numeric card: show it, and let it finish.</p>;
  if (!lab) return <p className="muted">The numeric engine measured no step lab for this function (nothing to differentiate?).</p>;
  const vs = curves.filter((k) => visible.includes(k.method) && isV(k, lab.h)).map((k) => k.method);
  const logH = userH === null ? null : Math.log10(userH);
  return (
    <div className="view step-lab-view" data-methods={visible.join(',')} data-v={vs.join(',')}>
      <header className="view-head">
        <h2>The step-size lab: error against h</h2>
        <p className="view-lede">
          A difference quotient has two errors. Truncation (the Taylor terms it drops) shrinks like h<sup>p</sup> as h falls, p the method's order;
          round-off grows like ε/h, because f(x + h) − f(x) loses digits as the two values agree. Their sum is a V, its bottom the best h.
          The dashed lines are the theory, fitted to each side; the dots are the best h measured. The complex step subtracts nothing, so it has no round-off arm.
        </p>
      </header>
      <div className="view-controls">
        <div className="legend" role="group" aria-label="Methods shown">
          {curves.map((k) => (
            <label key={k.method} style={{ color: methodColor(k.method, theme) }}>
              <input type="checkbox" checked={visible.includes(k.method)} data-lab-method={k.method}
                onChange={(e) => setShown(e.target.checked ? [...visible, k.method] : visible.filter((m) => m !== k.method))} />
              <span className="swatch" />
              <span style={{ color: 'var(--text)' }}>{TITLES[k.method] ?? k.method} <span className="muted">(slope {k.truncation?.slope ?? lab.methods.find((m) => m.method === k.method)?.slope}{k.roundoff ? `, ${k.roundoff.slope === 0 ? 'flat' : k.roundoff.slope}` : ''})</span></span>
            </label>
          ))}
        </div>
        {inputs.length > 1 && (
          <label className="option">
            <span>input</span>
            <select value={chosenInput ?? ''} onChange={(e) => setInput(e.target.value || null)}>
              <option value="">worst over {lab.inputs.length}</option>
              {inputs.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
        )}
        <label className="option">
          <span>your h (the numeric card's step): {userH === null ? 'automatic' : fmt(userH)}</span>
          <span className="button-row">
            <input type="range" min={-12} max={-1} step={0.5} value={logH ?? Math.log10(autoH ?? 1e-5)} aria-label="your step h, as a power of ten" data-lab-h
              onChange={(e) => setOption('numeric', 'h', Number((10 ** Number(e.target.value)).toPrecision(2)))} />
            <button type="button" className="button small" onClick={() => setOption('numeric', 'h', undefined)} disabled={userH === null}>automatic</button>
          </span>
        </label>
      </div>
      {chart && <UPlotChart spec={chart} height={400} name="step-lab" label="Error against step size, log-log, per method" attrs={{ v: vs.join(',') }} />}
      <div className="table-wrap">
        <table className="view-table" data-lab-table>
          <thead>
            <tr><th scope="col">method</th><th scope="col">order</th><th scope="col">best h (measured)</th><th scope="col">its error</th><th scope="col">best h (theory)</th><th scope="col">automatic h</th><th scope="col">error there</th></tr>
          </thead>
          <tbody>
            {curves.map((k) => {
              const m = lab.methods.find((x) => x.method === k.method)!;
              return (
                <tr key={k.method}>
                  <th scope="row" style={{ color: methodColor(k.method, theme) }}>{TITLES[k.method] ?? k.method}</th>
                  <td>{m.slope}</td>
                  <td className="mono">{fmt(k.best_h, 2)}</td>
                  <td className="mono">{fmt(k.best_error, 2)}</td>
                  <td className="mono">{k.theory_h === null ? '—' : fmt(k.theory_h, 2)}</td>
                  <td className="mono">{fmt(m.chosen_h[0], 2)}</td>
                  <td className="mono">{fmt(m.chosen_error, 2)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="view-notes">
        <p className="muted">{lab.measure}.</p>
        {curves.some((k) => k.exact > 0) && <p className="muted">Where a method is exact for this f (central differences on a quadratic, say) its error is 0 at some steps; a log axis cannot show 0, so those points are left out.</p>}
        {lab.notes.map((n) => <p key={n} className="muted">{n}</p>)}
      </div>
    </div>
  );
}
