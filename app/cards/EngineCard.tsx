// One engine's card: its heading and tools (move, hide), its options, and what it computed: each
// partial as LaTeX with its value and digits of agreement with the exact reference, the cost, the
// notes and the generated source. Engine-specific parts come from extensions.tsx.

import type { ErrorInfo } from '../../src/errors.ts';
import type { ReactNode } from 'react';
import { CodeBlock } from '../components/CodeBlock.tsx';
import { partialRows } from '../format.ts';
import { store, useStore } from '../store/index.ts';
import type { EngineInfo } from '../worker/protocol.ts';
import { EXTENSIONS, type CardContext } from './extensions.tsx';
import { manualTemplateOf } from './read.ts';
import { ErrorBox, GenericBody } from './sections.tsx';

export type CardState = 'ok' | 'error' | 'pending' | 'empty';

/** Errors that happen while evaluating f at the point, rather than in reading its text. */
const RUN_ERRORS: ErrorInfo['kind'][] = ['budget', 'runtime', 'input'];

export function EngineCard({ info, index, count, order }: { info: EngineInfo; index: number; count: number; order: string[] }) {
  const outcome = useStore((s) => s.answer?.outcome);
  const failure = useStore((s) => s.failure);
  const pending = useStore((s) => s.pending);
  const shown = useStore((s) => s.shown[info.id]);
  const fresh = useStore((s) => s.done.includes(info.id));
  const moveCard = useStore((s) => s.moveCard);
  const setHidden = useStore((s) => s.setHidden);
  const ext = EXTENSIONS[info.id];

  let state: CardState;
  let body: ReactNode;
  // An older answer stays on screen, dimmed, until this engine has answered for the current state.
  let stale = false;
  const result = shown?.result;
  if (failure) {
    state = 'error';
    body = <ErrorBox error={failure} />;
  } else if (outcome && 'error' in outcome) {
    state = 'error';
    // A refusal of the text is shown once, under the editor; a failure while running f is the card's news too.
    body = RUN_ERRORS.includes(outcome.error.kind)
      ? <ErrorBox error={outcome.error} />
      : <p className="card-blocked">Not run: the source has an error ({outcome.error.kind}{outcome.error.line !== null ? `, line ${outcome.error.line}` : ''}). See under the editor.</p>;
  } else if (!result) {
    state = 'pending';
    body = <p className="muted">Computing…</p>;
  } else {
    stale = !fresh && pending;
    if (!result.ok) {
      const template = info.id === 'manual' ? manualTemplateOf(result) : null;
      state = template !== null ? 'empty' : 'error';
      body = template !== null ? <ManualTemplate message={result.error.message} template={template} /> : <ErrorBox error={result.error} />;
    } else {
      state = 'ok';
      const r = shown.response;
      // The point, wrt and reference this answer was computed for, which may be an earlier state's.
      const ctx: CardContext = { engineId: info.id, result, rows: partialRows(r.at, r.wrt), reference: r.reference.gradient, fn: r.function };
      body = ext?.Body ? <ext.Body {...ctx} /> : <GenericBody {...ctx} />;
    }
  }

  return (
    <article className={`card card-${state} ${stale ? 'is-stale' : ''}`} data-engine={info.id} data-state={state} aria-labelledby={`card-title-${info.id}`} aria-busy={stale || state === 'pending'}>
      <header className="card-head">
        <h2 id={`card-title-${info.id}`}>{info.title}</h2>
        <div className="card-tools">
          <button type="button" className="tool" disabled={index === 0} aria-label={`Move the ${info.title} card earlier`} title="Move earlier" onClick={() => moveCard(info.id, -1, order)}>←</button>
          <button type="button" className="tool" disabled={index === count - 1} aria-label={`Move the ${info.title} card later`} title="Move later" onClick={() => moveCard(info.id, 1, order)}>→</button>
          <button type="button" className="tool" aria-label={`Hide the ${info.title} card`} title="Hide" onClick={() => setHidden(info.id, true)}>✕</button>
        </div>
      </header>
      <p className="card-summary">{info.summary}</p>
      {ext?.Options && <ext.Options engineId={info.id} result={state === 'ok' && result?.ok ? result : undefined} />}
      <div className="card-body">{body}</div>
    </article>
  );
}


function ManualTemplate({ message, template }: { message: string; template: string }) {
  const head = message.replace(/; the result's "template" is a start$/, '.');
  const insert = () => {
    const s = store.getState();
    s.setSource(`${s.source.replace(/\s*$/, '')}\n\n${template}\n`);
  };
  return (
    <div className="manual-empty">
      <p>{head}</p>
      <CodeBlock code={template} label="the template for your derivative" />
      <button type="button" className="button" onClick={insert}>Add this template to the source</button>
    </div>
  );
}

