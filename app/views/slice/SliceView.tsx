// The slice picture: f along a line through the point (one input moves), and under it each
// engine's derivative along the same line, the point marked on both. The views' worker evaluates
// every engine at every sample (src/views/slice.ts); where an engine parts from the others (numeric
// differences near a kink or in cancellation, the symbolic formula off its path) the picture shows it.

import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { slotsOf } from '../../../src/point.ts';
import { defaultRange, SLICE_DEFAULT_SAMPLES } from '../../../src/views/slice-range.ts';
import type { SliceAnswer } from '../../../src/views/slice.ts';
import type { ErrorInfo } from '../../../src/errors.ts';
import { useStore } from '../../store/index.ts';
import { orderedIds } from '../../store/slices.ts';
import { WorkerError } from '../../worker/client.ts';
import { axis, drawDot, drawMarker, UPlotChart, type ChartSpec } from '../chart/UPlotChart.tsx';
import { chrome, ENGINE_STROKE, engineColor, type Theme } from '../palette.ts';
import { fmt, useResponse, viewsClient } from '../shared.ts';
import '../views.css';

const DRAW_ORDER = ['reverse', 'forward', 'symbolic', 'manual', 'numeric'];
const HALF_WIDTHS = [10, 1, 0.1, 0.01, 0.001];
const SAMPLE_CHOICES = [121, 241, 481, 961];

/** A y range that the agreeing curves fill: the 1st to 99th percentile of the exact engines' values, padded. */
export function robustRange(values: (number | null)[][]): [number, number] | null {
  const all = values.flat().filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (all.length === 0) return null;
  const q = (p: number) => all[Math.min(all.length - 1, Math.max(0, Math.round(p * (all.length - 1))))];
  let lo = q(0.01), hi = q(0.99);
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.max(Math.abs(hi) * 0.1, 1e-3);
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.15;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

function spec(theme: Theme, answer: SliceAnswer, which: 'f' | 'd', titles: Record<string, string>): ChartSpec {
  const c = chrome(theme);
  const xs = answer.t;
  const label = answer.label;
  const isF = which === 'f';
  // The thick exact curves first, so the dashed, dotted and thin ones stay visible on top of them.
  const curves = isF
    ? [{ id: 'f', label: 'f', values: answer.f }]
    : answer.series
        .map((s) => ({ id: s.engine, label: titles[s.engine] ?? s.engine, values: s.values }))
        .sort((a, b) => DRAW_ORDER.indexOf(a.id) - DRAW_ORDER.indexOf(b.id));
  const exact = curves.filter((s) => s.id !== 'numeric').map((s) => s.values);
  const range = robustRange(exact.length ? exact : curves.map((s) => s.values));
  const series: uPlot.Series[] = [
    { label },
    ...curves.map((s) => ({
      label: s.label,
      stroke: engineColor(s.id, theme),
      width: ENGINE_STROKE[s.id]?.width ?? 2,
      dash: ENGINE_STROKE[s.id]?.dash,
      points: { show: false },
      spanGaps: false,
      value: (_u: uPlot, v: number | null) => fmt(v, 5),
    })),
  ];
  const i = answer.atIndex;
  const draw = (u: uPlot) => {
    drawMarker(u, answer.at, c.mark, i >= 0 ? `${label} = ${fmt(answer.at, 4)}` : '', [6, 4], 'right', c.panel);
    if (i < 0) return;
    curves.forEach((s) => { const v = s.values[i]; if (v !== null) drawDot(u, answer.at, v, engineColor(s.id, theme), c.panel, s.id === 'reverse' || s.id === 'f' ? 6 : 4.5); });
  };
  return {
    data: [xs, ...curves.map((s) => s.values)] as uPlot.AlignedData,
    options: {
      scales: { x: { time: false }, y: { range: range ? () => range : undefined } },
      axes: [axis(theme, { scale: 'x', label }), axis(theme, { scale: 'y', label: isF ? 'f' : `∂f/∂${label}`, side: 3 })],
      series,
      legend: { show: true, live: true },
      cursor: { sync: { key: 'ddx-slice' }, drag: { x: false, y: false } },
      hooks: { draw: [draw] },
    },
  };
}

/**
 * How far each engine's curve strays from reverse mode's, as a fraction of the height reverse mode's
 * curve spans (0: on top of it). For tests and scripts: a method that fails somewhere on the slice
 * shows up here as well as in the picture.
 */
export function spreads(answer: SliceAnswer): Record<string, number> {
  const ref = answer.series.find((s) => s.engine === 'reverse') ?? answer.series.find((s) => s.engine === 'forward');
  if (!ref) return {};
  const vals = ref.values.filter((v): v is number => v !== null);
  const span = Math.max(...vals) - Math.min(...vals) || Math.max(1e-300, Math.abs(vals[0] ?? 1));
  const out: Record<string, number> = {};
  for (const s of answer.series) {
    if (s === ref) continue;
    let worst = 0;
    s.values.forEach((v, i) => { const r = ref.values[i]; if (v !== null && r !== null) worst = Math.max(worst, Math.abs(v - r) / span); });
    out[s.engine] = Number(worst.toPrecision(3));
  }
  return out;
}

interface Controls {
  slot: string;
  from: number;
  to: number;
  samples: number;
}

export default function SliceView() {
  const response = useResponse();
  const theme = useStore((s) => s.theme);
  const source = useStore((s) => s.source);
  const engines = useStore((s) => s.engines) ?? [];
  const hidden = useStore((s) => s.hidden);
  const cardOrder = useStore((s) => s.cardOrder);
  const options = useStore((s) => s.options);
  const slots = useMemo(() => (response ? slotsOf(response.at, response.params) : []), [response]);
  const [controls, setControls] = useState<Controls | null>(null);
  const [answer, setAnswer] = useState<SliceAnswer | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const valueOf = (label: string) => {
    const s = slots.find((x) => x.label === label);
    if (!s || !response) return null;
    const v = response.at[s.param];
    return s.index === null ? (v as number) : (v as number[])[s.index];
  };
  // Keep the chosen input while it exists; otherwise the first one differentiated, around its value.
  const slot = controls && slots.some((s) => s.label === controls.slot) ? controls.slot : (slots.find((s) => response?.wrt.includes(s.param)) ?? slots[0])?.label;
  const x0 = slot ? valueOf(slot) : null;
  const current: Controls | null = slot && x0 !== null
    ? controls && controls.slot === slot ? controls : { slot, from: defaultRange(x0)[0], to: defaultRange(x0)[1], samples: controls?.samples ?? SLICE_DEFAULT_SAMPLES }
    : null;
  const run = useMemo(() => orderedIds(engines.map((e) => e.id), cardOrder).filter((id) => !hidden.includes(id)), [engines, cardOrder, hidden]);
  const titles = useMemo(() => Object.fromEntries(engines.map((e) => [e.id, e.title])), [engines]);

  // Only once the page's answer is for the current source: while it is pending, the point may not fit the source yet.
  const pending = useStore((s) => s.pending);
  const key = current && response && !pending ? JSON.stringify([source, response.at, current, run, options.numeric ?? {}, options.manual ?? {}]) : null;
  // What to draw changes only with a new key: the cards recomputing (pending, then the same answer) asks nothing again.
  const [wanted, setWanted] = useState<string | null>(null);
  useEffect(() => { if (key !== null) setWanted(key); }, [key]);
  useEffect(() => {
    if (!wanted || !current || !response) return;
    const s = slots.find((x) => x.label === current.slot)!;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      viewsClient()
        .request('slice', { source, point: response.at, param: s.param, index: s.index, from: current.from, to: current.to, samples: current.samples, engines: run, options }, { budgetMs: 10_000, signal: controller.signal })
        .then((a) => { if (!controller.signal.aborted) { setAnswer(a); setError(null); } })
        .catch((err: unknown) => { if (controller.signal.aborted || (err instanceof WorkerError && err.aborted)) return; setError(err instanceof WorkerError ? err.info : { kind: 'engine', message: String(err), line: null, column: null }); })
        .finally(() => { if (!controller.signal.aborted) setBusy(false); });
    }, 120);
    return () => { clearTimeout(timer); controller.abort(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted]);

  const specs = useMemo(() => (answer ? { f: spec(theme, answer, 'f', titles), d: spec(theme, answer, 'd', titles) } : null), [answer, theme, titles]);

  if (!response) return <p className="muted">The slice needs a function that runs at the point.</p>;
  if (!current || x0 === null) return <p className="muted">This function has no number input to move.</p>;
  const set = (patch: Partial<Controls>) => setControls({ ...current, ...patch });
  const around = (w: number) => set({ from: x0 - w, to: x0 + w });
  return (
    <div className="view slice-view" data-slice-samples={answer?.t.length ?? 0} aria-busy={busy}>
      <header className="view-head">
        <h2>f and its derivative along a slice through the point</h2>
        <p className="view-lede">
          One input moves from {fmt(current.from)} to {fmt(current.to)}; the others stay at the point. Each engine computes ∂f/∂{current.slot} at
          every sample its own way. Where they agree the curves lie on top of each other; where one parts from the rest, that method fails there.
        </p>
      </header>
      <div className="view-controls" role="group" aria-label="Slice controls">
        <label className="option">
          <span>move</span>
          <select value={current.slot} onChange={(e) => { const v = valueOf(e.target.value) ?? 0; const [from, to] = defaultRange(v); setControls({ slot: e.target.value, from, to, samples: current.samples }); }} data-slice-param>
            {slots.map((s) => <option key={s.label} value={s.label}>{s.label}</option>)}
          </select>
        </label>
        <NumberInput label="from" value={current.from} onChange={(from) => set({ from })} />
        <NumberInput label="to" value={current.to} onChange={(to) => set({ to })} />
        <span className="option">
          <span>around the point ±</span>
          <span className="button-row">
            {HALF_WIDTHS.map((w) => <button key={w} type="button" className="button small" onClick={() => around(w)} data-slice-width={w}>{w}</button>)}
          </span>
        </span>
        <label className="option">
          <span>samples</span>
          <select value={current.samples} onChange={(e) => set({ samples: Number(e.target.value) })}>
            {SAMPLE_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {busy && <span className="busy" role="status">computing…</span>}
      </div>
      {error && <p className="view-error" role="alert">{error.message}</p>}
      {specs && answer && (
        <div className="slice-charts">
          <UPlotChart spec={specs.f} height={200} name="slice-f" label={`f along ${answer.label}`} />
          <UPlotChart spec={specs.d} height={300} name="slice-derivatives" label={`each engine's derivative along ${answer.label}`} attrs={{ engines: answer.series.map((s) => s.engine).join(','), spread: JSON.stringify(spreads(answer)) }} />
        </div>
      )}
      {answer && <SliceNotes answer={answer} titles={titles} fn={response.function} />}
    </div>
  );
}

function SliceNotes({ answer, titles, fn }: { answer: SliceAnswer; titles: Record<string, string>; fn: string }) {
  const at = answer.atIndex;
  const notes = answer.series.flatMap((s) => s.notes.map((n) => `${titles[s.engine] ?? s.engine}: ${n}`));
  return (
    <div className="view-notes">
      {at >= 0 && (
        <p>
          At the point ({answer.label} = {fmt(answer.at, 6)}):{' '}
          {answer.series.map((s, i) => (
            <span key={s.engine} className="at-value">{i > 0 ? '; ' : ''}{titles[s.engine] ?? s.engine} <span className="mono">{fmt(s.values[at], 8)}</span></span>
          ))}
          . Curves: {answer.series.map((s) => `${titles[s.engine] ?? s.engine} (${s.detail})`).join(', ')}.
        </p>
      )}
      {notes.map((n) => <p key={n} className="muted">{n}</p>)}
      {answer.failed.map((f) => (
        <p key={f.engine} className="muted">
          {titles[f.engine] ?? f.engine}: no curve ({f.engine === 'manual' && /no hand-written derivative/.test(f.message) ? `write d${fn}_d${answer.label.replace(/\[\d+\]$/, '')} beside ${fn} to draw your own derivative here` : f.message.split('\n')[0]}).
        </p>
      ))}
    </div>
  );
}

function NumberInput({ label, value, onChange }: { label: string; value: number; onChange: (v: number) => void }) {
  const [text, setText] = useState(String(Number(value.toPrecision(6))));
  useEffect(() => setText((t) => (Number(t) === value ? t : String(Number(value.toPrecision(6))))), [value]);
  const valid = text.trim() !== '' && Number.isFinite(Number(text));
  return (
    <label className="option">
      <span>{label}</span>
      <input
        type="text"
        inputMode="decimal"
        className={`number-field small ${valid ? '' : 'invalid'}`}
        value={text}
        aria-invalid={!valid}
        data-slice-range={label}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v)) onChange(v);
        }}
      />
    </label>
  );
}
