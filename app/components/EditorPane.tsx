// The left column's top: the lesson of the loaded example, the editor (Monaco, loaded after the
// shell has painted; the plain text shows until then) and the error that stops every engine.

import { lazy, Suspense } from 'react';
import { EXAMPLES } from '../examples.ts';
import { useStore } from '../store/index.ts';

const MonacoEditor = lazy(() => import('../editor/MonacoEditor.tsx'));

function EditorFallback() {
  const source = useStore((s) => s.source);
  return (
    <div className="monaco-host editor-fallback" aria-busy="true">
      <pre>{source}</pre>
      <span className="loading-label">Loading the editor…</span>
    </div>
  );
}

export function EditorPane() {
  const source = useStore((s) => s.source);
  const outcome = useStore((s) => s.answer?.outcome);
  const lesson = EXAMPLES.find((e) => e.source === source)?.lesson;
  const error = outcome && 'error' in outcome ? outcome.error : null;
  return (
    <section className="editor-pane" aria-label="Function">
      <p className="lesson">{lesson ?? 'Write a JavaScript function, or a formula such as x^2 + 3*x*y + y^2.'}</p>
      <Suspense fallback={<EditorFallback />}>
        <MonacoEditor />
      </Suspense>
      <p className="editor-hint" id="editor-hint">Tab indents; Ctrl+M, then Tab, leaves the editor. Type <code>Math.</code> for the functions ddx knows.</p>
      {error && (
        <p className="source-error" role="alert" data-source-error={error.kind}>
          <strong>{error.kind}</strong>
          {error.line !== null && <span className="where"> at line {error.line}, column {error.column}</span>}: {error.message}
        </p>
      )}
    </section>
  );
}
