// The link between the tape picture and the source editor: the tape puts the span of its current
// node here and the editor highlights it; a click in the editor is put here and the tape selects
// the node at that place. A small store of its own, so the editor needs no knowledge of the tape.

import { createStore } from 'zustand/vanilla';

export interface SourceSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface LinkState {
  /** The span to highlight in the editor (set by the tape view while it is open). */
  highlight: SourceSpan | null;
  /** The last place clicked in the editor; `seq` tells two clicks on the same place apart. */
  picked: { line: number; column: number; seq: number } | null;
}

export const editorLink = createStore<LinkState>(() => ({ highlight: null, picked: null }));

/** What the link needs of a Monaco editor (so this module does not import Monaco). */
interface Decorations {
  set(decorations: Decoration[]): void;
  clear(): void;
}
interface Decoration {
  range: { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number };
  options: { isWholeLine?: boolean; className?: string; inlineClassName?: string; description?: string };
}
export interface LinkableEditor {
  createDecorationsCollection(decorations?: Decoration[]): Decorations;
  onMouseDown(listener: (e: { target: { position: { lineNumber: number; column: number } | null } }) => void): { dispose(): void };
  revealLineInCenterIfOutsideViewport(line: number): void;
}

/** Wires an editor to the link; returns the function that unwires it. */
export function linkEditor(editor: LinkableEditor): () => void {
  const decorations = editor.createDecorationsCollection([]);
  let seq = 0;
  const show = (span: SourceSpan | null) => {
    if (!span) { decorations.clear(); return; }
    decorations.set([
      { range: { startLineNumber: span.line, startColumn: 1, endLineNumber: span.endLine, endColumn: 1 }, options: { isWholeLine: true, className: 'ddx-tape-line', description: 'ddx tape: current line' } },
      { range: { startLineNumber: span.line, startColumn: span.column, endLineNumber: span.endLine, endColumn: span.endColumn }, options: { inlineClassName: 'ddx-tape-span', description: 'ddx tape: current operation' } },
    ]);
    editor.revealLineInCenterIfOutsideViewport(span.line);
  };
  show(editorLink.getState().highlight);
  const unsubscribe = editorLink.subscribe((s, prev) => { if (s.highlight !== prev.highlight) show(s.highlight); });
  const mouse = editor.onMouseDown((e) => {
    const p = e.target.position;
    if (p) editorLink.setState({ picked: { line: p.lineNumber, column: p.column, seq: ++seq } });
  });
  return () => {
    unsubscribe();
    mouse.dispose();
    decorations.clear();
  };
}
