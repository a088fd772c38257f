// The right column: f as LaTeX with its value, the agreement table (every engine's gradient against
// the exact reference, at a glance) and the engine cards, with the hidden ones one click away.

import { EngineCard } from '../cards/EngineCard.tsx';
import { bandOf, componentOf, digitsOfAgreement, formatDigits, formatShort, formatValue, partialRows } from '../format.ts';
import { orderedIds } from '../store/slices.ts';
import { useStore } from '../store/index.ts';
import { Latex } from './Latex.tsx';
import type { GradResponse } from '../../src/run.ts';

function useOk(): GradResponse | null {
  const outcome = useStore((s) => s.answer?.outcome);
  return outcome && !('error' in outcome) ? outcome : null;
}

function FormulaBar() {
  const ok = useOk();
  const symbolic = useStore((s) => s.answer?.outcome && !('error' in s.answer.outcome) ? s.answer.outcome.engines.symbolic : undefined);
  const own = useStore((s) => s.answer?.fLatex ?? null);
  // The symbolic engine's f along the path taken at the point, else f's own single expression.
  const fLatex = symbolic?.ok && typeof symbolic.f_latex === 'string' ? symbolic.f_latex : own;
  if (!ok) return null;
  const name = ok.function.length > 1 ? `\\mathit{${ok.function.replace(/_/g, '\\_')}}` : ok.function;
  const args = ok.params.map((p) => (p.length > 1 ? `\\mathit{${p.replace(/_/g, '\\_')}}` : p)).join(', ');
  return (
    <section className="formula-bar" aria-label="The function">
      <div className="formula" data-f-latex={fLatex ?? ''}>
        <Latex tex={`${name}(${args})${fLatex ? ` = ${fLatex}` : ''}`} display />
      </div>
      <p className="f-value">
        value at the point: <span className="mono" data-f-value={formatValue(ok.value)}>{formatValue(ok.value)}</span>
        {fLatex === null && <span className="muted"> (a program with statements: the symbolic card shows the expression it computes)</span>}
      </p>
    </section>
  );
}

const MAX_COLUMNS = 8;

function AgreementTable({ ids }: { ids: string[] }) {
  const ok = useOk();
  const engines = useStore((s) => s.engines) ?? [];
  if (!ok) return null;
  const rows = partialRows(ok.at, ok.wrt);
  if (rows.length === 0) return <p className="muted">Nothing to differentiate: tick a parameter under the editor.</p>;
  const shown = rows.slice(0, MAX_COLUMNS);
  const rest = rows.slice(MAX_COLUMNS);
  const title = (id: string) => engines.find((e) => e.id === id)?.title ?? id;
  return (
    <section className="agreement" aria-label="Agreement with the exact reference">
      <div className="table-scroll" tabIndex={0}>
        <table className="agreement-table" data-agreement>
          <caption>Digits that agree with the exact reference ({ok.reference.digits}-digit arithmetic)</caption>
          <thead>
            <tr>
              <th scope="col">engine</th>
              {shown.map((r) => <th key={r.label} scope="col" className="mono">∂/∂{r.label}</th>)}
              {rest.length > 0 && <th scope="col">{rest.length} more (worst)</th>}
            </tr>
          </thead>
          <tbody>
            <tr className="reference-row">
              <th scope="row">exact</th>
              {shown.map((r) => {
                const v = componentOf(ok.reference.gradient, r.slot);
                return <td key={r.label} className="mono" title={formatValue(v)} data-reference={r.label}>{formatShort(v)}</td>;
              })}
              {rest.length > 0 && <td />}
            </tr>
            {ids.map((id) => {
              const result = ok.engines[id];
              if (!result) {
                return <tr key={id} data-agreement-engine={id}><th scope="row">{title(id)}</th><td colSpan={shown.length + (rest.length > 0 ? 1 : 0)} className="agreement-error">computing…</td></tr>;
              }
              return (
                <tr key={id} data-agreement-engine={id}>
                  <th scope="row">{title(id)}</th>
                  {!result.ok ? (
                    <td colSpan={shown.length + (rest.length > 0 ? 1 : 0)} className="agreement-error">{typeof result.template === 'string' ? 'no derivative written yet' : `error: ${result.error.kind}`}</td>
                  ) : (
                    <>
                      {shown.map((r) => {
                        const v = componentOf(result.gradient, r.slot);
                        const d = digitsOfAgreement(v, componentOf(ok.reference.gradient, r.slot));
                        return <td key={r.label} className={`digits-cell digits-${bandOf(d)}`} title={`${formatValue(v)}: ${formatDigits(d)} digits agree`}>{formatDigits(d)}</td>;
                      })}
                      {rest.length > 0 && (() => {
                        const d = Math.min(...rest.map((r) => digitsOfAgreement(componentOf(result.gradient, r.slot), componentOf(ok.reference.gradient, r.slot))));
                        return <td className={`digits-cell digits-${bandOf(d)}`}>{formatDigits(d)}</td>;
                      })()}
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {ok.reference.note && <p className="reference-note" role="note" data-reference-note>{ok.reference.note}</p>}
    </section>
  );
}

function HiddenBar({ hidden }: { hidden: string[] }) {
  const engines = useStore((s) => s.engines) ?? [];
  const setHidden = useStore((s) => s.setHidden);
  if (hidden.length === 0) return null;
  return (
    <div className="hidden-bar" aria-label="Hidden cards">
      <span className="muted">Hidden:</span>
      {hidden.map((id) => (
        <button key={id} type="button" className="button small" data-show-engine={id} onClick={() => setHidden(id, false)} aria-label={`Show the ${engines.find((e) => e.id === id)?.title ?? id} card`}>
          + {engines.find((e) => e.id === id)?.title ?? id}
        </button>
      ))}
    </div>
  );
}

export function Results() {
  const engines = useStore((s) => s.engines);
  const cardOrder = useStore((s) => s.cardOrder);
  const hiddenIds = useStore((s) => s.hidden);
  const failure = useStore((s) => s.failure);
  // For tests and scripts: which state the page last asked for, and the last one fully answered.
  const scheduled = useStore((s) => s.scheduled);
  const settled = useStore((s) => s.settled);
  const settling = useStore((s) => s.settling);
  if (engines === null) return <section className="results" aria-label="Results"><p className="muted">Starting the engines…</p></section>;
  const all = engines.map((e) => e.id);
  const order = orderedIds(all, cardOrder);
  const visible = order.filter((id) => !hiddenIds.includes(id));
  const hidden = order.filter((id) => hiddenIds.includes(id));
  return (
    <section className="results" aria-label="Results" data-scheduled={scheduled} data-settled={settled} data-settling={settling.join(' ')}>
      <FormulaBar />
      {failure && <p className="run-failure" role="alert" data-run-failure={failure.kind}>{failure.message}</p>}
      <AgreementTable ids={visible} />
      <HiddenBar hidden={hidden} />
      {engines.length === 0 ? (
        <p className="muted">No engines are registered yet (src/engines/registry.ts).</p>
      ) : (
        <div className="cards">
          {visible.map((id, i) => (
            <EngineCard key={id} info={engines.find((e) => e.id === id)!} index={i} count={visible.length} order={order} />
          ))}
        </div>
      )}
    </section>
  );
}
