// Derivation steps: the symbolic derivative worked rule by rule, as an online calculator's "show
// steps" does, one KaTeX line per rule applied (src/symbolic/steps.ts via the symbolic engine's
// `steps`), ending with the simplified result. Past a size the engine says it is too long to show.

import { useState } from 'react';
import type { Derivation } from '../../../src/symbolic/steps.ts';
import { Latex } from '../../components/Latex.tsx';
import { useStore } from '../../store/index.ts';
import { useEngineResult } from '../shared.ts';
import '../views.css';

type Steps = Record<string, Derivation> | { tooLong: string };

function readSteps(v: unknown): Steps | null {
  // tooLong is told apart by its type: a partial could be named tooLong, but its value is a Derivation.
  if (typeof v !== 'object' || v === null) return null;
  if (typeof (v as { tooLong?: unknown }).tooLong === 'string') return v as { tooLong: string };
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.every(([, d]) => typeof d === 'object' && d !== null && Array.isArray((d as Derivation).steps))) return v as Record<string, Derivation>;
  return null;
}

/** x_0 as x_{0} in LaTeX. */
function texName(name: string): string {
  const m = /^(.*)_(\d+)$/.exec(name);
  return m ? `${m[1]}_{${m[2]}}` : name.length > 1 ? `\\mathit{${name}}` : name;
}

export default function StepsView() {
  const symbolic = useEngineResult('symbolic');
  const fnName = useStore((s) => (s.answer?.outcome && !('error' in s.answer.outcome) ? s.answer.outcome.function : 'f'));
  const [chosen, setChosen] = useState<string | null>(null);
  if (!symbolic) return <p className="muted">The steps come from the symbolic card: show it, and let it finish.</p>;
  const steps = readSteps(symbolic.steps);
  if (!steps) return <p className="muted">The symbolic engine gave no derivation steps for this function.</p>;
  if (typeof steps.tooLong === 'string') {
    return (
      <div className="view steps-view" data-steps-too-long>
        <header className="view-head"><h2>Derivation steps</h2></header>
        <p className="view-error" role="status">Too long to show step by step: {steps.tooLong as string}. The symbolic card still has the derivative itself.</p>
      </div>
    );
  }
  const derivations = steps as Record<string, Derivation>;
  const names = Object.keys(derivations);
  if (names.length === 0) return <p className="muted">Nothing to differentiate: tick a parameter under the editor.</p>;
  const name = chosen !== null && names.includes(chosen) ? chosen : names[0];
  const d = derivations[name];
  const partials = ((symbolic.stages as { simplified?: { partials?: Record<string, { latex?: string | null }> } } | undefined)?.simplified?.partials) ?? {};
  const result = partials[name]?.latex ?? null;
  const many = names.length > 1;
  // ∂ when f has other inputs (as the engine writes its steps), d when it has one.
  const partial = many || d.steps.some((x) => x.latex.includes('\\partial'));
  const lhs = partial ? `\\frac{\\partial ${texName(fnName)}}{\\partial ${texName(name)}}` : `\\frac{d${texName(fnName)}}{d${texName(name)}}`;
  return (
    <div className="view steps-view" data-steps-count={d.steps.length} data-steps-truncated={d.truncated}>
      <header className="view-head">
        <h2>Derivation steps</h2>
        <p className="view-lede">
          The symbolic derivative worked from the outside in, one rule a line, the way a calculus student (or sympy) applies them. Each line rewrites
          one derivative still to do; the parts left in brackets are taken in the lines after it.
        </p>
      </header>
      {many && (
        <div className="view-controls">
          <div className="segmented" role="radiogroup" aria-label="Which partial derivative">
            {names.map((n) => (
              <label key={n} className={`segment ${n === name ? 'selected' : ''}`}>
                <input type="radio" name="steps-partial" value={n} checked={n === name} onChange={() => setChosen(n)} data-steps-partial={n} />
                ∂/∂{n}
              </label>
            ))}
          </div>
        </div>
      )}
      {d.steps.length === 0 ? (
        <p className="muted">No rule to apply: {fnName} does not depend on {name} along the path taken, so the derivative is 0.</p>
      ) : (
        <ol className="steps-list">
          {d.steps.map((s, i) => (
            <li key={i} data-step-rule={s.rule}>
              <span className="rule">{s.rule}</span>
              <div className="steps-line"><Latex tex={s.latex} display /></div>
            </li>
          ))}
        </ol>
      )}
      {d.truncated && <p className="view-error" role="status" data-steps-cut>Too long to show every step: the first {d.steps.length} are above. The symbolic card has the whole derivative.</p>}
      {result && (
        <div className="steps-result" data-steps-result>
          <Latex tex={`${lhs} = ${result}`} display />
          <span className="muted">after putting the steps together and simplifying</span>
        </div>
      )}
    </div>
  );
}
