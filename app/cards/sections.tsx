// The sections a card is made of: the partials with their agreeing digits coloured, the cost, the
// notes, the generated source and errors. Cards put them together (EngineCard.tsx, extensions.tsx).

import type { ErrorInfo } from '../../src/errors.ts';
import type { EngineSuccess } from '../../src/engines/types.ts';
import { CodeBlock } from '../components/CodeBlock.tsx';
import { Latex } from '../components/Latex.tsx';
import { bandOf, componentOf, digitsOfAgreement, formatDigits, formatValue, partialLatex, splitAgreeing } from '../format.ts';
import type { CardContext } from './extensions.tsx';
import { useStore } from '../store/index.ts';

export function ErrorBox({ error }: { error: ErrorInfo }) {
  return (
    <div className="error-box" role="alert" data-error-kind={error.kind}>
      <strong className="error-kind">{error.kind === 'budget' ? 'stopped: over budget' : error.kind}</strong>
      {error.line !== null && <span className="where"> at line {error.line}, column {error.column}</span>}
      <p className="error-message">{error.message}</p>
    </div>
  );
}

/** The partials: ∂f/∂x = formula, then the value with its agreeing digits coloured. */
export function Partials({ rows, result, reference, fn, derivatives }: CardContext & { derivatives?: Record<string, { latex?: string }> }) {
  const formulas = derivatives ?? result.derivatives ?? {};
  return (
    <ul className="partials">
      {rows.map((row) => {
        const value = componentOf(result.gradient, row.slot);
        const exact = componentOf(reference, row.slot);
        const digits = digitsOfAgreement(value, exact);
        const band = bandOf(digits);
        const { agree, differ } = splitAgreeing(value, digits);
        const formula = formulas[row.key]?.latex;
        return (
          <li key={row.label} className="partial">
            <div className="partial-formula">
              <Latex tex={`${partialLatex(fn, row)}${formula ? ` = ${formula}` : ''}`} />
            </div>
            <div className="partial-value" data-partial={row.label} data-value={formatValue(value)}>
              <span className="value" title={`exact: ${formatValue(exact)}`}>
                <span className="agree">{agree}</span><span className="differ">{differ}</span>
              </span>
              <span className={`digits digits-${band}`} title={`${formatDigits(digits)} significant digits agree with the exact reference (${formatValue(exact)})`}>
                {formatDigits(digits)} digits
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

const COST_UNITS: [RegExp, string][] = [[/_?micros$/, ' µs'], [/_?millis$/, ' ms']];

function costLabel(key: string): { label: string; unit: string } {
  for (const [re, unit] of COST_UNITS) if (re.test(key)) return { label: key.replace(re, '') || 'time', unit };
  return { label: key, unit: '' };
}

/** What the `timing` cost entry says: quick figures (being re-taken at length, or not), or settled ones. */
function timingText(value: unknown, settling: boolean): string {
  if (value === 'quick') return settling ? 'quick; settling…' : 'quick';
  return String(value);
}

export function Cost({ cost, engineId }: { cost: EngineSuccess['cost']; engineId?: string }) {
  const settling = useStore((s) => engineId !== undefined && s.settling.includes(engineId));
  const entries = Object.entries(cost ?? {});
  if (entries.length === 0) return null;
  return (
    <section className="card-section">
      <h3>Cost</h3>
      <dl className="cost">
        {entries.map(([key, v]) => {
          const { label, unit } = costLabel(key);
          const text = key === 'timing' ? timingText(v, settling)
            : typeof v === 'number' ? `${Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toPrecision(3)).toString()}${unit}` : String(v);
          return (
            <div key={key} className="cost-item" data-cost={key}>
              <dt>{label.replace(/_/g, ' ')}</dt>
              <dd>{text}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

export function Notes({ notes }: { notes: unknown }) {
  if (!Array.isArray(notes) || notes.length === 0) return null;
  return (
    <section className="card-section">
      <h3>Notes</h3>
      <ul className="notes">
        {notes.filter((n): n is string => typeof n === 'string').map((n, i) => <li key={i}>{n}</li>)}
      </ul>
    </section>
  );
}

export function Source({ source, title = 'Generated source', label }: { source: unknown; title?: string; label: string }) {
  if (typeof source !== 'string' || source === '') return null;
  return (
    <section className="card-section">
      <CodeBlock code={source} label={label} title={title} />
    </section>
  );
}

export function GenericBody(ctx: CardContext) {
  return (
    <>
      <Partials {...ctx} />
      <Cost cost={ctx.result.cost} engineId={ctx.engineId} />
      <Notes notes={ctx.result.notes} />
      <Source source={ctx.result.source} label={`the ${ctx.engineId} engine's generated source`} />
    </>
  );
}
