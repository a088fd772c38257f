// A uPlot chart as a React component: made when its spec changes, resized with its box, destroyed
// on unmount. uPlot draws the axes, ticks, grid and legend; the views give it data and options.
// The chart's element says what it drew (series, axes, scales) for tests and scripts.

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chrome, type Theme } from '../palette.ts';

export interface ChartSpec {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10 to a power, as 10⁻⁵ (1 and 10 as themselves). */
export function powerOfTen(e: number): string {
  if (e === 0) return '1';
  if (e === 1) return '10';
  return `10${String(e).split('').map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** Grid lines at powers of ten only, thinned to at most `most` of them. */
export function logSplits(min: number, max: number, most: number): number[] {
  const lo = Math.ceil(Math.log10(min) - 1e-9), hi = Math.floor(Math.log10(max) + 1e-9);
  const count = hi - lo + 1;
  const every = Math.max(1, Math.ceil(count / Math.max(most, 1)));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) if ((e - lo) % every === 0) out.push(10 ** e);
  return out;
}

/** Tick labels with as many decimals as the spacing between ticks needs (0.0012, not 0.001). */
export function linearTicks(splits: (number | null)[]): string[] {
  const nums = splits.filter((v): v is number => v !== null && Number.isFinite(v));
  const step = nums.length > 1 ? Math.abs(nums[1] - nums[0]) : Math.abs(nums[0] ?? 1) || 1;
  const big = Math.max(...nums.map(Math.abs), 0);
  if (big >= 1e6 || (big > 0 && big < 1e-4)) return splits.map((v) => (v === null ? '' : v === 0 ? '0' : v.toExponential(Math.max(0, Math.min(6, Math.ceil(Math.log10(big / step)))))));
  const decimals = Math.max(0, Math.min(12, Math.ceil(-Math.log10(step) - 1e-9)));
  return splits.map((v) => (v === null ? '' : (Math.abs(v) < step / 1e6 ? 0 : v).toFixed(decimals).replace('-', '−')));
}

/** An axis in the theme's colours; a log axis is labelled at powers of ten. */
export function axis(theme: Theme, o: { label: string; scale: string; log?: boolean; side?: 0 | 1 | 2 | 3; values?: uPlot.Axis['values']; size?: number }): uPlot.Axis {
  const c = chrome(theme);
  const vertical = o.side === 1 || o.side === 3;
  return {
    scale: o.scale,
    label: o.label,
    ...(o.side === undefined ? {} : { side: o.side }),
    stroke: c.text,
    font: '12px system-ui, sans-serif',
    labelFont: '600 13px system-ui, sans-serif',
    labelSize: 22,
    size: o.size ?? (vertical ? (o.log ? 72 : 66) : 46),
    grid: { stroke: c.grid, width: 1 },
    ticks: { stroke: c.grid, width: 1, size: 5 },
    ...(o.log
      ? {
          splits: (u: uPlot, axisIdx: number, min: number, max: number) => {
            const dim = vertical ? u.bbox.height / devicePixelRatio : u.bbox.width / devicePixelRatio;
            return logSplits(min, max, Math.floor(dim / (vertical ? 24 : 46)));
          },
          // uPlot's default filter for log axes blanks some splits; these are already thinned.
          filter: (_u: uPlot, splits: number[]) => splits,
          values: (_u: uPlot, splits: (number | null)[]) => splits.map((v) => (v === null || !(v > 0) ? '' : powerOfTen(Math.round(Math.log10(v))))),
        }
      : {}),
    ...(!o.log ? { values: (_u: uPlot, splits: (number | null)[]) => linearTicks(splits) } : {}),
    ...(o.values ? { values: o.values } : {}),
  };
}

/** A vertical marker across the plot at x = value, with a label at its top. */
export function drawMarker(u: uPlot, value: number, color: string, label: string, dash: number[] = [6, 4], where: 'left' | 'right' = 'right', background = 'transparent'): void {
  const x = u.valToPos(value, 'x', true);
  if (!Number.isFinite(x) || x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) return;
  const ctx = u.ctx;
  const r = devicePixelRatio;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5 * r;
  ctx.setLineDash(dash.map((d) => d * r));
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  if (label) {
    ctx.setLineDash([]);
    ctx.font = `600 ${12 * r}px system-ui, sans-serif`;
    ctx.fillStyle = color;
    const w = ctx.measureText(label).width;
    const left = where === 'right' ? x + 5 * r : x - 5 * r - w;
    const clamped = Math.min(Math.max(left, u.bbox.left + 2 * r), u.bbox.left + u.bbox.width - w - 2 * r);
    ctx.textBaseline = 'top';
    // On a patch of the panel's colour, so curves under the label do not make it unreadable.
    ctx.fillStyle = background;
    ctx.globalAlpha = 0.85;
    ctx.fillRect(clamped - 3 * r, u.bbox.top + 2 * r, w + 6 * r, 17 * r);
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    ctx.fillText(label, clamped, u.bbox.top + 4 * r);
  }
  ctx.restore();
}

/** A filled dot at (x, y) in data coordinates, ringed in the panel colour. */
export function drawDot(u: uPlot, x: number, y: number, color: string, ring: string, radius = 5, yScale = 'y'): void {
  const px = u.valToPos(x, 'x', true), py = u.valToPos(y, yScale, true);
  if (!Number.isFinite(px) || !Number.isFinite(py)) return;
  if (py < u.bbox.top - 1 || py > u.bbox.top + u.bbox.height + 1) return;
  const ctx = u.ctx;
  const r = devicePixelRatio;
  ctx.save();
  ctx.beginPath();
  ctx.arc(px, py, radius * r, 0, 2 * Math.PI);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 2 * r;
  ctx.strokeStyle = ring;
  ctx.stroke();
  ctx.restore();
}

export function UPlotChart({ spec, height, name, label, attrs }: { spec: ChartSpec; height: number; name: string; label: string; attrs?: Record<string, string | number> }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const width = Math.max(280, el.clientWidth);
    const drawn = (u: uPlot) => el.setAttribute('data-drawn', String(u.series.filter((s, i) => i > 0 && s.show !== false).length));
    const u = new uPlot({ ...spec.options, width, height, hooks: { ...spec.options.hooks, draw: [...(spec.options.hooks?.draw ?? []), drawn] } }, spec.data, el);
    const observer = new ResizeObserver(() => {
      const w = Math.max(280, el.clientWidth);
      if (Math.abs(w - u.width) > 1) u.setSize({ width: w, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      el.removeAttribute('data-drawn');
    };
  }, [spec, height]);
  const scales = Object.entries(spec.options.scales ?? {}).map(([k, s]) => `${k}:${s.distr === 3 ? 'log' : 'linear'}`).join(',');
  const series = spec.options.series.slice(1).filter((s) => s.show !== false).length;
  return (
    <div
      ref={box}
      className="chart"
      role="img"
      aria-label={label}
      data-chart={name}
      data-series={series}
      data-axes={(spec.options.axes ?? []).length}
      data-scales={scales}
      data-points={spec.data.slice(1).reduce((n, col) => n + Array.from(col as ArrayLike<number | null>).filter((v) => v !== null && Number.isFinite(v)).length, 0)}
      {...Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [`data-${k}`, String(v)]))}
    />
  );
}
