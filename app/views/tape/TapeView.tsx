// The tape as a graph: the reverse engine's recorded operations laid out by dagre, inputs on the
// left, each node with its op, value and adjoint. Step (or play) through the forward sweep, which
// fills in the values, then the backward sweep, which carries adjoints from the output back to the
// inputs: each step shows what the node passes to which argument. The current node is highlighted
// in the editor and in the generated gradient function beside the graph; a click on a line of
// either picks its node. Past FOLD_AT records the graph folds by source line; a line expands on click.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TapeNodeView, TapeView as Tape } from '../../../src/engines/reverse/tape-view.ts';
import {
  adjointsAfter, argumentsOf, buildGraph, codeLinesFor, EXPAND_MAX, FOLD_AT, graphKeyOf, layoutGraph, mapGeneratedLines, opLabel,
  replayBackward, sweepSteps, type GraphModel, type Layout, type Phase,
} from '../../../src/views/tape-graph.ts';
import { useStore } from '../../store/index.ts';
import { fmt, useEngineResult } from '../shared.ts';
import { editorLink } from './editor-link.ts';
import '../views.css';

function isTape(v: unknown): v is Tape {
  const t = v as Tape;
  return typeof t === 'object' && t !== null && Array.isArray(t.nodes) && Array.isArray(t.edges) && Array.isArray(t.order?.forward) && Array.isArray(t.order?.backward);
}

/** How a node is named in captions: inputs by their parameter, constants by their number, the rest v<id>. */
function nameOf(n: TapeNodeView): string {
  if (n.op === 'input') return n.label ?? `v${n.id}`;
  if (n.op === 'const') return n.label ?? fmt(n.value);
  return `v${n.id}`;
}

/** The adjoint's name: the name with a bar (x̄, v̄5). */
function barOf(n: TapeNodeView): string {
  const name = nameOf(n);
  return `${name[0]}\u0304${name.slice(1)}`;
}

/** The operation as a formula of its arguments' names (v3 = x × 3, v4 = sin(v3)). */
function formulaOf(n: TapeNodeView, args: TapeNodeView[]): string {
  const op = opLabel(n);
  const a = args.map(nameOf);
  if (n.op === 'neg') return `−${a[0]}`;
  if (n.op === 'pow') return `${a[0]} ** ${a[1]}`;
  if (args.length === 2 && /^[-+×/%*]$/.test(op)) return `${a[0]} ${op} ${a[1]}`;
  return `${op}(${a.join(', ')})`;
}

interface Step {
  phase: Phase | 'start';
  /** The node this step processes (null before the first step). */
  id: number | null;
  /** Forward: nodes whose value is known. Backward: nodes whose adjoint is final. */
  visited: Set<number>;
  swept: Set<number>;
  adjoints: Map<number, number> | null;
  done: boolean;
}

export default function TapeView() {
  const reverse = useEngineResult('reverse');
  const source = useStore((s) => s.source);
  const tape = isTape(reverse?.tape) ? (reverse!.tape as Tape) : null;
  if (!reverse) return <p className="muted">The tape comes from the reverse card: show it, and let it finish.</p>;
  if (!tape || tape.nodes.length === 0) return <p className="muted">The reverse engine recorded no tape for this function.</p>;
  return <TapeGraphView tape={tape} generated={typeof reverse.source === 'string' ? reverse.source : ''} source={source} />;
}

function TapeGraphView({ tape, generated, source }: { tape: Tape; generated: string; source: string }) {
  const byId = useMemo(() => new Map(tape.nodes.map((n) => [n.id, n])), [tape]);
  const args = useMemo(() => argumentsOf(tape), [tape]);
  const steps = useMemo(() => sweepSteps(tape), [tape]);
  const replay = useMemo(() => (tape.truncated ? null : replayBackward(tape)), [tape]);
  const codeMap = useMemo(() => mapGeneratedLines(source, generated), [source, generated]);
  const records = tape.nodes.filter((n) => n.op !== 'const').length;
  const [pos, setPos] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(700);
  const [fold, setFold] = useState<boolean | null>(null);
  const [constants, setConstants] = useState<boolean | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number | null>>(new Set());
  const folded = fold ?? records > FOLD_AT;
  const model = useMemo(() => buildGraph(tape, { fold: folded, expanded, constants: constants ?? (!folded && records <= 80) }), [tape, folded, expanded, constants, records]);
  const layout = useMemo(() => layoutGraph(model), [model]);

  // A new tape (another function, another point) starts the sweeps again.
  useEffect(() => { setPos(0); setSelected(null); setPlaying(false); }, [tape]);

  const forwardCount = tape.order.forward.length;
  const step: Step = useMemo(() => {
    if (pos === 0) return { phase: 'start', id: null, visited: new Set(), swept: new Set(), adjoints: null, done: false };
    const s = steps[pos - 1];
    if (s.phase === 'forward') return { phase: 'forward', id: s.id, visited: new Set(tape.order.forward.slice(0, pos)), swept: new Set(), adjoints: null, done: false };
    const k = pos - forwardCount;
    const adjoints = replay ? adjointsAfter(tape, replay, k) : pos === steps.length ? new Map(tape.nodes.map((n) => [n.id, n.adjoint ?? 0])) : null;
    return { phase: 'backward', id: s.id, visited: new Set(tape.order.forward), swept: new Set(tape.order.backward.slice(0, k)), adjoints, done: pos === steps.length };
  }, [pos, steps, tape, replay, forwardCount]);

  const focus = selected ?? step.id;
  const focusNode = focus === null ? null : byId.get(focus) ?? null;
  const phaseForCode: Phase = step.phase === 'backward' ? 'backward' : 'forward';
  const hitLines = useMemo(() => new Set(focusNode ? codeLinesFor(codeMap, focusNode, phaseForCode) : []), [codeMap, focusNode, phaseForCode]);
  // The generated code scrolls to the lines of the current node (inside its own box only).
  const code = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const box = code.current;
    const first = box?.querySelector<HTMLElement>('.code-line.hit');
    if (!box || !first) return;
    const last = [...box.querySelectorAll<HTMLElement>('.code-line.hit')].pop()!;
    const top = first.offsetTop - box.offsetTop, bottom = last.offsetTop - box.offsetTop + last.offsetHeight;
    if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - 24);
  }, [hitLines]);

  // The editor shows where the focused node comes from; nothing once the picture closes.
  useEffect(() => {
    const span = focusNode?.span ?? null;
    editorLink.setState({ highlight: span && focusNode?.op !== 'input' ? span : span ? { line: span.line, column: span.column, endLine: span.line, endColumn: span.column } : null });
  }, [focusNode]);
  useEffect(() => () => editorLink.setState({ highlight: null }), []);

  // A click in the editor picks the innermost operation at that place.
  useEffect(() => editorLink.subscribe((s, prev) => {
    if (!s.picked || s.picked === prev.picked) return;
    const { line, column } = s.picked;
    const on = tape.nodes.filter((n) => n.op !== 'const' && n.op !== 'input' && n.span && n.span.line <= line && n.span.endLine >= line);
    const inside = on.filter((n) => (n.span!.line < line || n.span!.column <= column) && (n.span!.endLine > line || n.span!.endColumn >= column));
    const width = (n: TapeNodeView) => (n.span!.endLine - n.span!.line) * 1000 + n.span!.endColumn - n.span!.column;
    const pick = (inside.length ? inside : on).sort((a, b) => width(a) - width(b))[0];
    if (pick) setSelected(pick.id);
  }), [tape]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setPos((p) => {
      if (p >= steps.length) { setPlaying(false); return p; }
      return p + 1;
    }), speed);
    return () => clearInterval(timer);
  }, [playing, speed, steps.length]);

  const go = (p: number) => { setSelected(null); setPos(Math.max(0, Math.min(steps.length, p))); };
  const pickCodeLine = (i: number) => {
    const line = codeMap.sourceLine[i];
    let candidates: TapeNodeView[];
    if (i === codeMap.header || i === codeMap.returns) candidates = tape.nodes.filter((n) => n.op === 'input');
    else if (line === null) return;
    else candidates = tape.nodes.filter((n) => n.op !== 'const' && n.op !== 'input' && n.span?.line === line);
    if (candidates.length === 0) return;
    // The next one the sweep will reach, else the first.
    const order = step.phase === 'backward' ? tape.order.backward : tape.order.forward;
    const at = step.phase === 'backward' ? pos - forwardCount : pos;
    const ids = new Set(candidates.map((n) => n.id));
    const next = order.slice(Math.max(0, at - 1)).find((id) => ids.has(id)) ?? order.find((id) => ids.has(id)) ?? candidates[0].id;
    setSelected(next);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') { e.preventDefault(); go(pos + 1); }
    if (e.key === 'ArrowLeft') { e.preventDefault(); go(pos - 1); }
  };

  const total = steps.length;
  const backwardCount = tape.order.backward.length;
  const phaseLabel = step.phase === 'start' ? 'start' : step.done ? 'done' : step.phase;
  const stepInPhase = step.phase === 'forward' ? pos : step.phase === 'backward' ? pos - forwardCount : 0;
  return (
    <div className="view tape-view" data-tape-phase={step.phase} data-tape-current={step.id ?? ''} data-tape-pos={pos} data-tape-steps={total} data-tape-done={step.done} data-tape-folded={model.folded} data-tape-selected={focus ?? ''}>
      <header className="view-head">
        <h2>The tape, swept forward then backward</h2>
        <p className="view-lede">
          Reverse mode records every operation f performs (autograd's tape). The forward sweep computes each value from its arguments; the backward
          sweep starts from the output with adjoint 1 and, node by node, passes adjoint × local derivative back to each argument. What reaches an
          input is ∂f/∂input. Click a node, a line of the editor or a line of the generated code to link the three.
        </p>
      </header>
      <div className="view-controls" role="group" aria-label="Step through the sweeps">
        <span className="button-row">
          <button type="button" className="button small" onClick={() => go(0)} disabled={pos === 0} data-tape-reset aria-label="Back to the start">⇤ start</button>
          <button type="button" className="button small" onClick={() => go(pos - 1)} disabled={pos === 0} data-tape-back aria-label="One step back">◀ back</button>
          <button type="button" className="button small primary" onClick={() => go(pos + 1)} disabled={pos === total} data-tape-step aria-label="One step forward">step ▶</button>
          <button type="button" className="button small" onClick={() => { if (pos >= total) go(0); setPlaying((p) => !p); }} data-tape-play aria-pressed={playing}>{playing ? '❚❚ pause' : '▶▶ play'}</button>
          <button type="button" className="button small" onClick={() => go(total)} disabled={pos === total} data-tape-end aria-label="Jump to the end">end ⇥</button>
        </span>
        <label className="option">
          <span>speed</span>
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            <option value={1200}>slow</option>
            <option value={700}>normal</option>
            <option value={250}>fast</option>
            <option value={40}>very fast</option>
          </select>
        </label>
        <label className="check"><input type="checkbox" checked={folded} onChange={(e) => { setFold(e.target.checked); setExpanded(new Set()); }} data-tape-fold /> fold by source line</label>
        <label className="check"><input type="checkbox" checked={constants ?? (!folded && records <= 80)} onChange={(e) => setConstants(e.target.checked)} /> show constants</label>
        <span className="busy" aria-live="polite">
          <span className={`phase phase-${phaseLabel === 'done' ? 'end' : phaseLabel}`}>{phaseLabel === 'start' ? 'ready' : phaseLabel === 'done' ? 'done' : `${phaseLabel} sweep`}</span>
          {step.phase === 'forward' && `step ${stepInPhase} of ${forwardCount}`}
          {step.phase === 'backward' && `step ${stepInPhase} of ${backwardCount}`}
          {step.phase === 'start' && `${forwardCount} forward steps, then ${backwardCount} backward`}
        </span>
      </div>
      <Caption step={step} byId={byId} args={args} replay={replay} backwardIndex={pos - forwardCount - 1} tape={tape} selected={selected} />
      <div className="tape-layout">
        <div className="tape-scroll" tabIndex={0} onKeyDown={onKey} aria-label="The tape as a graph (arrow keys step)">
          <Graph model={model} layout={layout} byId={byId} step={step} focus={focus} replay={replay} backwardIndex={pos - forwardCount - 1} out={tape.order.backward[0] ?? null}
            onPick={(key) => {
              const n = model.nodes.find((m) => m.key === key);
              if (!n) return;
              if (n.kind === 'group') {
                if (n.ids.length > EXPAND_MAX) return;
                setExpanded((s) => new Set([...s, n.line]));
              } else setSelected(n.ids[0]);
            }} />
        </div>
        <div className="tape-side">
          <h3>The generated gradient function</h3>
          <pre ref={code} className="code-lines" aria-label="The generated gradient function; click a line to pick its node" data-tape-code>
            {generated.split('\n').map((text, i) => (
              <span key={i} className={`code-line ${hitLines.has(i) ? 'hit' : ''} ${/^\s*\/\//.test(text) ? 'comment' : ''}`} data-code-line={i + 1} data-hit={hitLines.has(i) || undefined} onClick={() => pickCodeLine(i)}>
                {text || ' '}{'\n'}
              </span>
            ))}
          </pre>
        </div>
      </div>
      <div className="tape-legend" aria-hidden="true">
        <span><span className="key k-input" />input</span>
        <span><span className="key k-visited" />value computed (forward sweep)</span>
        <span><span className="key k-swept" />adjoint final (backward sweep)</span>
        <span><span className="key k-current" />current node</span>
        <span>v = value, v̄ = adjoint ∂f/∂v (partial sums shown grey while they arrive)</span>
      </div>
      <div className="view-notes">
        {model.folded && (
          <p className="muted">
            {records.toLocaleString('en-US')} records, folded by source line ({model.groups.filter((g) => !g.expanded).map((g) => `line ${g.line ?? '?'}: ${g.size}`).join(', ')}).
            Click a folded line to expand it{model.groups.some((g) => g.size > EXPAND_MAX) ? ` (up to ${EXPAND_MAX} records a line)` : ''}.
            {expanded.size > 0 && <> <button type="button" className="button small" onClick={() => setExpanded(new Set())}>fold all again</button></>}
          </p>
        )}
        {tape.truncated && <p className="muted">The tape has {tape.length.toLocaleString('en-US')} records; the engine exported the first {records.toLocaleString('en-US')}, drawn here. Adjoints are shown as the engine computed them, at the end.</p>}
      </div>
    </div>
  );
}

function Caption({ step, byId, args, replay, backwardIndex, tape, selected }: {
  step: Step; byId: Map<number, TapeNodeView>; args: Map<number, number[]>; replay: ReturnType<typeof replayBackward> | null;
  backwardIndex: number; tape: Tape; selected: number | null;
}) {
  const where = (n: TapeNodeView) => (n.span ? ` (line ${n.span.line})` : '');
  if (selected !== null && selected !== step.id) {
    const n = byId.get(selected)!;
    const a = (args.get(n.id) ?? []).map((id) => byId.get(id)!);
    return (
      <p className="tape-caption" data-tape-caption>
        Picked <span className="mono">{nameOf(n)}</span>{n.op === 'input' || n.op === 'const' ? '' : <> = <span className="mono">{formulaOf(n, a)}</span></>}{where(n)}: value <span className="mono">{fmt(n.value, 8)}</span>
        {n.adjoint !== null && <>, adjoint after the backward sweep <span className="mono">{fmt(n.adjoint, 8)}</span></>}.
      </p>
    );
  }
  if (step.phase === 'start' || step.id === null) {
    const out = byId.get(tape.order.backward[0] ?? -1);
    return <p className="tape-caption" data-tape-caption>Press step (or →) to run the forward sweep: {tape.order.forward.length} records, from the inputs to the output{out ? ` ${nameOf(out)}` : ''}.</p>;
  }
  const n = byId.get(step.id)!;
  const a = (args.get(n.id) ?? []).map((id) => byId.get(id)!);
  if (step.phase === 'forward') {
    if (n.op === 'input') return <p className="tape-caption" data-tape-caption><span className="phase phase-forward">forward</span>The input <span className="mono">{nameOf(n)} = {fmt(n.value, 8)}</span> goes on the tape.</p>;
    return (
      <p className="tape-caption" data-tape-caption>
        <span className="phase phase-forward">forward</span>
        <span className="mono">{nameOf(n)} = {formulaOf(n, a)} = {a.length ? `${formulaOf(n, a.map((x) => ({ ...x, op: 'const', label: fmt(x.value, 6) })))} = ` : ''}{fmt(n.value, 8)}</span>{where(n)}
      </p>
    );
  }
  const contributions = replay?.contributions[backwardIndex] ?? [];
  const bar = step.adjoints?.get(n.id) ?? n.adjoint ?? 0;
  if (n.op === 'input') {
    return (
      <p className="tape-caption" data-tape-caption>
        <span className="phase phase-backward">backward</span>
        Everything has arrived at the input: <span className="mono">{barOf(n)} = ∂f/∂{nameOf(n)} = {fmt(bar, 10)}</span>.
      </p>
    );
  }
  const first = backwardIndex === 0;
  return (
    <p className="tape-caption" data-tape-caption>
      <span className="phase phase-backward">backward</span>
      <span className="mono">{barOf(n)} = {fmt(bar, 8)}</span>{first ? ' (the seed: ∂f/∂f = 1)' : ''}{where(n)}.
      {contributions.length > 0 ? ' It passes ' : ' Its arguments are constants: nothing to pass on.'}
      {contributions.map((c, i) => {
        const to = byId.get(c.to)!;
        return (
          <span key={i}>{i > 0 ? (i === contributions.length - 1 ? ' and ' : ', ') : ''}<span className="mono">{barOf(n)} · ∂{nameOf(n)}/∂{nameOf(to)} = {fmt(bar, 6)} · {fmt(c.partial, 6)} = {fmt(c.amount, 6)}</span> to {nameOf(to)}</span>
        );
      })}
      {contributions.length > 0 ? '.' : ''}
    </p>
  );
}

function Graph({ model, layout, byId, step, focus, replay, backwardIndex, out, onPick }: {
  out: number | null; model: GraphModel; layout: Layout; byId: Map<number, TapeNodeView>; step: Step; focus: number | null;
  replay: ReturnType<typeof replayBackward> | null; backwardIndex: number; onPick: (key: string) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const focusKey = focus === null ? null : graphKeyOf(model, focus);
  // The graph fills its box: a small one drawn up to half again as large (for a projected slide), a
  // wide one shrunk down to 55% before the box scrolls instead.
  const [room, setRoom] = useState(0);
  useEffect(() => {
    const box = svg.current?.parentElement;
    if (!box) return;
    const observer = new ResizeObserver(() => setRoom(box.clientWidth));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  const scale = room > 0 && layout.width > 0 ? Math.max(0.55, Math.min(1.5, (room - 4) / layout.width)) : 1;
  useEffect(() => {
    if (!focusKey) return;
    const el = svg.current?.querySelector(`[data-node-key="${focusKey}"]`);
    // Keep the current node in view inside the scrolling box, without moving the page.
    const box = svg.current?.parentElement;
    if (el && box) {
      const b = (el as SVGGElement).getBBox();
      const r = { x: b.x * scale, y: b.y * scale, width: b.width * scale, height: b.height * scale };
      if (r.x < box.scrollLeft || r.x + r.width > box.scrollLeft + box.clientWidth) box.scrollLeft = Math.max(0, r.x - box.clientWidth / 2);
      if (r.y < box.scrollTop || r.y + r.height > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, r.y - box.clientHeight / 2);
    }
  }, [focusKey, scale]);
  // Edges into the current node light up in the forward sweep; out of it (backward) as its adjoint flows to its arguments.
  const currentKey = step.id === null ? null : graphKeyOf(model, step.id);
  const flowing = new Map<string, number>();
  if (step.phase === 'backward' && replay && backwardIndex >= 0) for (const c of replay.contributions[backwardIndex] ?? []) flowing.set(`${graphKeyOf(model, c.to)}>${currentKey}`, c.amount);
  return (
    <svg ref={svg} className="tape-svg" width={layout.width * scale} height={layout.height * scale} viewBox={`0 0 ${layout.width} ${layout.height}`} data-node-count={model.nodes.length} data-edge-count={model.edges.length} role="group" aria-label={`Tape graph: ${model.nodes.length} nodes, ${model.edges.length} edges`}>
      <defs>
        <marker id="ddx-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" className="arrow" /></marker>
      </defs>
      {layout.edges.map((e) => {
        const key = `${e.from}>${e.to}`;
        const active = step.phase === 'forward' && e.to === currentKey;
        const flow = flowing.has(key);
        const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
        const mid = e.points[Math.floor(e.points.length / 2)];
        return (
          <g key={key}>
            <path d={d} className={`edge ${active ? 'active' : ''} ${flow ? 'flow' : ''}`} markerEnd="url(#ddx-arrow)" />
            {flow && mid && <text x={mid.x} y={mid.y - 5} textAnchor="middle" className="edge-label" fontSize={11.5} fontWeight={700} fill="var(--poor)" stroke="var(--panel)" strokeWidth={3} paintOrder="stroke">{flowing.get(key)! >= 0 ? '+' : ''}{fmt(flowing.get(key)!, 4)}</text>}
          </g>
        );
      })}
      {model.nodes.map((g) => {
        const p = layout.nodes.get(g.key)!;
        const x = p.x - p.width / 2, y = p.y - p.height / 2;
        const isFocus = g.key === focusKey;
        if (g.kind === 'group') {
          const visited = g.ids.filter((id) => step.visited.has(id)).length;
          const swept = g.ids.filter((id) => step.swept.has(id)).length;
          const state = swept === g.ids.length && swept > 0 ? 'swept' : visited === g.ids.length && visited > 0 && step.phase !== 'backward' ? 'visited' : '';
          return (
            <g key={g.key} transform={`translate(${x},${y})`} className={`node group ${state} ${isFocus ? 'current' : ''}`} data-node-key={g.key} data-group-line={g.line ?? ''} data-group-size={g.ids.length}
              tabIndex={0} role="button" aria-label={`line ${g.line}: ${g.ids.length} operations, folded; press to expand`} onClick={() => onPick(g.key)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(g.key); } }}>
              <rect width={p.width} height={p.height} />
              <text x={10} y={19} className="op">line {g.line ?? '?'}</text>
              <text x={10} y={36} className="val">{g.ids.length} operations</text>
              <text x={10} y={51} className="id">{step.phase === 'backward' ? `${swept} swept` : `${visited} computed`}{g.ids.length <= EXPAND_MAX ? ' · click to expand' : ''}</text>
            </g>
          );
        }
        const n = byId.get(g.ids[0])!;
        if (g.kind === 'const') {
          return (
            <g key={g.key} transform={`translate(${x},${y})`} className="node const" data-node-key={g.key} data-node={n.id} data-op="const" data-value={n.value}>
              <rect width={p.width} height={p.height} />
              <text x={p.width / 2} y={p.height / 2 + 4} textAnchor="middle">{n.label ?? fmt(n.value)}</text>
            </g>
          );
        }
        const visited = step.visited.has(n.id);
        const swept = step.swept.has(n.id);
        const partial = step.adjoints?.get(n.id);
        const adjointShown = step.done ? n.adjoint : swept ? partial ?? n.adjoint : partial;
        const cls = ['node', n.op === 'input' ? 'input' : '', n.id === out ? 'output' : '', swept ? 'swept' : visited ? 'visited' : 'pending', isFocus ? 'current' : ''].join(' ');
        return (
          <g key={g.key} transform={`translate(${x},${y})`} className={cls} data-node-key={g.key} data-node={n.id} data-op={n.op} data-label={nameOf(n)}
            data-value={visited ? n.value : undefined} data-adjoint={adjointShown === undefined || adjointShown === null ? undefined : adjointShown} data-swept={swept || undefined}
            tabIndex={0} role="button" aria-label={`${nameOf(n)}: ${opLabel(n)}, value ${fmt(n.value)}${n.adjoint !== null ? `, adjoint ${fmt(n.adjoint)}` : ''}`}
            onClick={() => onPick(g.key)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(g.key); } }}>
            <title>{`${nameOf(n)} = ${opLabel(n)}${n.span ? `, line ${n.span.line}` : ''}`}</title>
            <rect width={p.width} height={p.height} />
            <text x={8} y={18} className="op">{opLabel(n)}</text>
            <text x={p.width - 7} y={16} textAnchor="end" className="id">{n.op === 'input' ? 'input' : `v${n.id}`}</text>
            <text x={8} y={35} className="val">{visited ? `v = ${fmt(n.value, 5)}` : ''}</text>
            <text x={8} y={51} className="adj" opacity={adjointShown === undefined || adjointShown === null ? 0 : swept || step.done ? 1 : 0.55}>
              {adjointShown === undefined || adjointShown === null ? '' : `v̄ = ${fmt(adjointShown, 5)}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
