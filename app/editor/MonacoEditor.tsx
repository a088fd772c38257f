// The source editor: a Monaco instance bound to the store's source, with ddx's errors as markers.
// This module and monaco-setup.ts form the lazily loaded Monaco chunk.

import { useEffect, useRef } from 'react';
import { store, useStore } from '../store/index.ts';
import { createEditor, setMarkers, setTheme, type EditorMarker } from './monaco-setup.ts';
import { linkEditor } from '../views/tape/editor-link.ts';
import type { State } from '../store/index.ts';

function markersOf(state: State): EditorMarker[] {
  const outcome = state.answer?.outcome;
  if (!outcome) return [];
  if ('error' in outcome) {
    const e = outcome.error;
    return e.line === null ? [] : [{ line: e.line, column: e.column ?? 1, message: `${e.kind}: ${e.message}`, severity: 'error' }];
  }
  // An engine that refuses a construct points at it too, as a warning.
  const markers: EditorMarker[] = [];
  for (const [id, result] of Object.entries(outcome.engines)) {
    if (!result.ok && result.error.line !== null) {
      markers.push({ line: result.error.line, column: result.error.column ?? 1, message: `${id}: ${result.error.message}`, severity: 'warning' });
    }
  }
  return markers;
}

const MIN_HEIGHT = 160;
const MAX_HEIGHT = 480;

export default function MonacoEditor() {
  const host = useRef<HTMLDivElement>(null);
  const theme = useStore((s) => s.theme);
  const editorRef = useRef<ReturnType<typeof createEditor> | null>(null);

  useEffect(() => {
    const editor = createEditor(host.current!, store.getState().source, store.getState().theme === 'dark');
    editorRef.current = editor;
    const model = editor.getModel()!;
    // The editor grows with its text, between a few lines and most of a laptop screen.
    const fit = () => {
      const height = Math.min(Math.max(editor.getContentHeight(), MIN_HEIGHT), MAX_HEIGHT);
      host.current!.style.height = `${height}px`;
    };
    const sizing = editor.onDidContentSizeChange(fit);
    fit();
    const typing = editor.onDidChangeModelContent(() => {
      const value = editor.getValue();
      if (value !== store.getState().source) store.getState().setSource(value);
    });
    // Source set from outside (an example, a link, a restored draft): replace the text as one undoable edit.
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.source !== prev.source && s.source !== editor.getValue()) {
        editor.pushUndoStop();
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text: s.source }], () => null);
        editor.pushUndoStop();
      }
      if (s.answer !== prev.answer) setMarkers(model, markersOf(s));
    });
    setMarkers(model, markersOf(store.getState()));
    // The tape picture highlights its current node's place here, and a click here picks a node there.
    const unlink = linkEditor(editor);
    return () => {
      unlink();
      unsubscribe();
      typing.dispose();
      sizing.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => setTheme(theme === 'dark'), [theme]);

  return <div ref={host} className="monaco-host" data-testid="editor" />;
}
