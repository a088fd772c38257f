// Engine-specific parts of the cards, keyed by engine id: options (numeric's method and h), views
// (symbolic's raw / simplified / CSE stages, reverse's generated code or tape) and extra detail
// (manual's verdict). An engine without an entry gets the generic card. Each part reads the engine's
// extra output keys defensively (read.ts), since the Engine interface leaves them open.

import { useEffect, useState, type FC } from 'react';
import type { EngineSuccess } from '../../src/engines/types.ts';
import type { Gradient } from '../../src/point.ts';
import { formatValue, type PartialRow } from '../format.ts';
import { useStore } from '../store/index.ts';
import { Latex } from '../components/Latex.tsx';
import { Cost, Notes, Partials, Source } from './sections.tsx';
import { isObject, num, readStages, readTape, str, type Stage } from './read.ts';

export interface CardContext {
  engineId: string;
  result: EngineSuccess;
  rows: PartialRow[];
  reference: Gradient;
  /** The differentiated function's name, for ∂f/∂x. */
  fn: string;
}

export interface CardExtension {
  /** Controls under the heading, for engine options and views; shown even while computing. */
  Options?: FC<{ engineId: string; result?: EngineSuccess }>;
  /** Replaces the generic body. */
  Body?: FC<CardContext>;
}

/** A row of radio buttons, styled as a segmented control. */
export function Segmented({ name, label, value, choices, onChange }: { name: string; label: string; value: string; choices: { id: string; label: string; disabled?: boolean }[]; onChange: (id: string) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {choices.map((c) => (
        <label key={c.id} className={`segment ${value === c.id ? 'selected' : ''} ${c.disabled ? 'disabled' : ''}`}>
          <input type="radio" name={name} value={c.id} checked={value === c.id} disabled={c.disabled} onChange={() => onChange(c.id)} data-option={`${name}=${c.id}`} />
          {c.label}
        </label>
      ))}
    </div>
  );
}

// ---- numeric -------------------------------------------------------------------------------

/** The numeric engine's methods (its `method` option); the engine's own default is used when unset. */
export const NUMERIC_METHODS = [
  { id: 'forward', label: 'forward difference' },
  { id: 'backward', label: 'backward difference' },
  { id: 'central', label: 'central difference' },
  { id: 'five-point', label: '5-point stencil' },
  { id: 'richardson', label: 'Richardson extrapolation' },
  { id: 'complex-step', label: 'complex step' },
];

function NumericOptions({ engineId }: { engineId: string }) {
  const options = useStore((s) => s.options[engineId]) ?? {};
  const setOption = useStore((s) => s.setOption);
  const method = typeof options.method === 'string' ? options.method : '';
  const h = typeof options.h === 'number' ? options.h : undefined;
  const [hText, setHText] = useState(h === undefined ? '' : String(h));
  useEffect(() => setHText((t) => (t.trim() !== '' && Number(t) === h ? t : h === undefined ? '' : String(h))), [h]);
  const hValid = hText.trim() === '' || (Number.isFinite(Number(hText)) && Number(hText) > 0);
  return (
    <div className="card-options">
      <label className="option">
        <span>method</span>
        <select value={method} data-option="numeric.method" onChange={(e) => setOption(engineId, 'method', e.target.value || undefined)}>
          <option value="">default (central)</option>
          {NUMERIC_METHODS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </select>
      </label>
      <label className="option">
        <span>step h</span>
        <input
          type="text"
          inputMode="decimal"
          className={`number-field small ${hValid ? '' : 'invalid'}`}
          placeholder="auto"
          value={hText}
          aria-invalid={!hValid}
          data-option="numeric.h"
          onChange={(e) => {
            setHText(e.target.value);
            const t = e.target.value.trim();
            if (t === '') setOption(engineId, 'h', undefined);
            else if (Number.isFinite(Number(t)) && Number(t) > 0) setOption(engineId, 'h', Number(t));
          }}
        />
      </label>
    </div>
  );
}

// ---- symbolic ------------------------------------------------------------------------------

const SYMBOLIC_STAGES = [
  { id: 'raw', label: 'raw' },
  { id: 'simplified', label: 'simplified' },
  { id: 'cse', label: 'CSE' },
];

function stageMatching(stages: Stage[], id: string): Stage | undefined {
  return stages.find((s) => s.id.toLowerCase() === id || s.label.toLowerCase() === id);
}

function SymbolicOptions({ engineId, result }: { engineId: string; result?: EngineSuccess }) {
  const view = useStore((s) => s.views[engineId]) ?? 'simplified';
  const setView = useStore((s) => s.setView);
  const stages = readStages(result?.stages);
  return (
    <div className="card-options">
      <Segmented
        name={`${engineId}-stage`}
        label="Which stage of the derivative to show"
        value={view}
        choices={SYMBOLIC_STAGES.map((c) => {
          const size = stageMatching(stages, c.id)?.size;
          return { id: c.id, label: size === undefined ? c.label : `${c.label} · ${size}` };
        })}
        onChange={(id) => setView(engineId, id)}
      />
    </div>
  );
}

function SymbolicBody(ctx: CardContext) {
  const view = useStore((s) => s.views[ctx.engineId]) ?? 'simplified';
  const stages = readStages(ctx.result.stages);
  const stage = stageMatching(stages, view);
  // A stage either gives a formula per partial (raw, simplified) or one block (CSE, with its
  // temporaries); with neither, the engine's own `derivatives` (the simplified stage) are shown.
  const perPartial = stage && Object.keys(stage.derivatives).length > 0;
  const block = !perPartial && stage?.latex ? stage.latex : null;
  const derivatives = perPartial ? stage.derivatives : block ? {} : ctx.result.derivatives;
  const sizes = stages.filter((s) => s.size !== undefined);
  return (
    <>
      {block && <div className="stage-latex" data-stage-latex={stage!.id}><StageLatex tex={block} /></div>}
      <Partials {...ctx} derivatives={derivatives} />
      {sizes.length > 0 && (
        <p className="stage-sizes" data-stage-sizes>
          size (operations): {sizes.map((s, i) => <span key={s.id} className={s === stage ? 'current' : ''}>{i > 0 ? ' → ' : ''}{s.label} {s.size}</span>)}
        </p>
      )}
      <Cost cost={ctx.result.cost} engineId={ctx.engineId} />
      <Notes notes={[...(stage?.notes ?? []), ...(Array.isArray(ctx.result.notes) ? ctx.result.notes : [])]} />
      <Source source={stage?.source && view !== 'cse' ? stage.source : ctx.result.source} title={view === 'cse' || !stage?.source ? 'Generated source (CSE)' : `Source (${stage.label})`} label="the symbolic engine's generated source" />
    </>
  );
}

function StageLatex({ tex }: { tex: string }) {
  return <Latex tex={tex} display />;
}

// ---- reverse -------------------------------------------------------------------------------

function ReverseOptions({ engineId }: { engineId: string }) {
  const view = useStore((s) => s.views[engineId]) ?? 'code';
  const setView = useStore((s) => s.setView);
  return (
    <div className="card-options">
      <Segmented
        name={`${engineId}-view`}
        label="Show the generated code or the tape"
        value={view}
        choices={[{ id: 'code', label: 'generated code' }, { id: 'tape', label: 'tape' }]}
        onChange={(id) => setView(engineId, id)}
      />
    </div>
  );
}

const TAPE_ROWS = 200;

function TapeTable({ tape }: { tape: unknown }) {
  const t = readTape(tape);
  if (!t) return <p className="muted">This engine did not return a tape.</p>;
  const shown = t.nodes.slice(0, TAPE_ROWS);
  return (
    <section className="card-section">
      <h3>Tape: {t.nodes.length} nodes, {t.edges} edges</h3>
      <div className="tape-scroll" tabIndex={0} aria-label="The tape: one row per recorded operation">
        <table className="tape">
          <thead><tr><th scope="col">#</th><th scope="col">op</th><th scope="col">inputs</th><th scope="col">value</th><th scope="col">adjoint</th><th scope="col">line</th></tr></thead>
          <tbody>
            {shown.map((n) => (
              <tr key={String(n.id)} data-tape-node={String(n.id)}>
                <td>{String(n.id)}</td>
                <td><code>{n.op}</code></td>
                <td>{n.inputs.join(', ')}</td>
                <td className="num">{n.value === undefined ? '' : formatValue(n.value)}</td>
                <td className="num">{n.adjoint === undefined ? '' : formatValue(n.adjoint)}</td>
                <td>{n.line ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {t.nodes.length > TAPE_ROWS && <p className="muted">… and {t.nodes.length - TAPE_ROWS} more nodes.</p>}
    </section>
  );
}

function ReverseBody(ctx: CardContext) {
  const view = useStore((s) => s.views[ctx.engineId]) ?? 'code';
  const stages = readStages(ctx.result.stages).filter((s) => s.source);
  // The stage whose code is the engine's own `source` is the one shown first.
  const final = stages.find((s) => s.source === ctx.result.source);
  const [codeStage, setCodeStage] = useState<string | null>(null);
  const chosen = stages.find((s) => s.id === codeStage) ?? final;
  const choices = final ? stages : [{ id: 'final', label: 'final' } as Stage, ...stages];
  return (
    <>
      <Partials {...ctx} />
      <Cost cost={ctx.result.cost} engineId={ctx.engineId} />
      <Notes notes={ctx.result.notes} />
      {view === 'tape' ? (
        <TapeTable tape={ctx.result.tape} />
      ) : (
        <>
          {stages.length > 1 && (
            <Segmented
              name={`${ctx.engineId}-code-stage`}
              label="Which stage of the generated code to show"
              value={chosen?.id ?? 'final'}
              choices={choices.map((s) => ({ id: s.id, label: s.label }))}
              onChange={(id) => setCodeStage(id === 'final' ? null : id)}
            />
          )}
          <Source source={chosen?.source ?? ctx.result.source} title={chosen ? `Generated gradient (${chosen.label})` : 'Generated gradient'} label="the generated gradient function" />
        </>
      )}
    </>
  );
}

// ---- manual --------------------------------------------------------------------------------

function ManualBody(ctx: CardContext) {
  const verdict = str(ctx.result.verdict);
  const ce = isObject(ctx.result.counterexample) ? ctx.result.counterexample : null;
  return (
    <>
      {verdict && <p className={`verdict verdict-${verdict}`} data-verdict={verdict}>{verdict === 'correct' ? '✓ correct' : verdict === 'partly' ? '◐ right only on part of the domain' : '✗ wrong'}</p>}
      <Partials {...ctx} />
      {ce && (
        <p className="counterexample">
          First disagreement at {JSON.stringify(ce.at)}: yours {String(num(ce.yours) ?? ce.yours)}, exact {String(num(ce.reference) ?? ce.reference)}.
        </p>
      )}
      <Cost cost={ctx.result.cost} engineId={ctx.engineId} />
      <Notes notes={ctx.result.notes} />
    </>
  );
}

export const EXTENSIONS: Record<string, CardExtension> = {
  numeric: { Options: NumericOptions },
  symbolic: { Options: SymbolicOptions, Body: SymbolicBody },
  reverse: { Options: ReverseOptions, Body: ReverseBody },
  manual: { Body: ManualBody },
};
