// Monaco, trimmed to what ddx needs and bundled locally: the core editor API, the JavaScript
// tokenizer (no TypeScript language service: ddx's own fence reports better errors, as markers),
// the editor worker only (wired in vite.config.ts), and Math.* completions and hover. Loaded lazily, in its own chunk.

import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
// Flags invisible and look-alike characters (a pasted link could hide them); runs in the editor worker.
import 'monaco-editor/editor/contrib/unicodeHighlighter/browser/unicodeHighlighter';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
// Ctrl+M makes Tab move focus out of the editor instead of indenting: the page stays keyboard-navigable.
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode';
import 'monaco-editor/editor/browser/coreCommands';
import { mathDoc, mathDocMarkdown, MATH_DOCS } from './math-docs.ts';

// No MonacoEnvironment global: vite.config.ts points Monaco's own worker URL at the editor worker
// Vite builds, so the page defines no globals.

export { monaco };

let providersRegistered = false;

/** Completions after `Math.` and hover text on `Math.name`, for the JavaScript language. */
function registerMathProviders(): void {
  if (providersRegistered) return;
  providersRegistered = true;
  monaco.languages.registerCompletionItemProvider('javascript', {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const m = /\bMath\.(\w*)$/.exec(before);
      if (!m) return { suggestions: [] };
      const range = new monaco.Range(position.lineNumber, position.column - m[1].length, position.lineNumber, position.column);
      return {
        suggestions: MATH_DOCS.map((d) => ({
          label: d.name,
          kind: d.kind === 'function' ? monaco.languages.CompletionItemKind.Function : monaco.languages.CompletionItemKind.Constant,
          detail: d.signature,
          documentation: { value: mathDocMarkdown(d) },
          insertText: d.name,
          range,
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider('javascript', {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const line = model.getLineContent(position.lineNumber);
      if (!line.slice(0, word.startColumn - 1).endsWith('Math.')) return null;
      const doc = mathDoc(word.word);
      if (!doc) return null;
      return {
        range: new monaco.Range(position.lineNumber, word.startColumn - 5, position.lineNumber, word.endColumn),
        contents: [{ value: mathDocMarkdown(doc) }],
      };
    },
  });
}

export function createEditor(element: HTMLElement, value: string, dark: boolean): monaco.editor.IStandaloneCodeEditor {
  registerMathProviders();
  return monaco.editor.create(element, {
    value,
    language: 'javascript',
    theme: dark ? 'vs-dark' : 'vs',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    lineNumbersMinChars: 3,
    scrollBeyondLastLine: false,
    // The editor column is narrow (and a phone narrower): wrap rather than scroll sideways.
    wordWrap: 'on',
    wrappingIndent: 'indent',
    padding: { top: 6, bottom: 6 },
    wordBasedSuggestions: 'off',
    tabSize: 2,
    fixedOverflowWidgets: true,
    ariaLabel: 'Function source: a JavaScript function or a formula such as x^2 + 3*x*y',
    scrollbar: { alwaysConsumeMouseWheel: false },
  });
}

export function setTheme(dark: boolean): void {
  monaco.editor.setTheme(dark ? 'vs-dark' : 'vs');
}

export interface EditorMarker {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Shows ddx's errors as markers, each underlining the word at its line and column. */
export function setMarkers(model: monaco.editor.ITextModel, markers: EditorMarker[]): void {
  monaco.editor.setModelMarkers(
    model,
    'ddx',
    markers.map((m) => {
      const line = Math.min(Math.max(1, m.line), model.getLineCount());
      const column = Math.min(Math.max(1, m.column), model.getLineMaxColumn(line));
      const word = model.getWordAtPosition({ lineNumber: line, column });
      const end = word && word.startColumn <= column ? word.endColumn : Math.min(column + 1, model.getLineMaxColumn(line));
      return {
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: Math.max(end, column + 1),
        message: m.message,
        severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        source: 'ddx',
      };
    }),
  );
}

/** Highlights generated JavaScript as HTML, with the same tokenizer and theme as the editor. */
export function colorize(code: string): Promise<string> {
  return monaco.editor.colorize(code, 'javascript', { tabSize: 2 });
}
