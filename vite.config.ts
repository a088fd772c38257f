// Vite build for the playground: the React app in app/ (entry index.html), the engines in a module
// worker, and Monaco in its own chunk, loaded after the shell has painted.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Monaco finds its editor worker through a `MonacoEnvironment` global unless the bundler resolves
 * the worker's own `new URL(..., import.meta.url)`, which Vite does not bundle outside
 * `new Worker(...)`. This points that URL at the worker Vite builds, so the page needs no global.
 * monaco-editor is pinned; the build fails loudly if the line this rewrites ever changes.
 */
function monacoEditorWorker(): Plugin {
  const target = "new URL('../../common/services/editorWebWorkerMain.js', import.meta.url)";
  return {
    name: 'ddx-monaco-editor-worker',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').includes('monaco-editor/esm/vs/editor/browser/services/editorWorkerService.js')) return null;
      if (!code.includes(target)) this.error('monaco-editor changed: editorWorkerService.js no longer names its worker as ddx expects (see vite.config.ts)');
      return {
        code: `import __ddxEditorWorkerUrl from 'monaco-editor/editor/common/services/editorWebWorkerMain?worker&url';\n${code.replace(target, 'new URL(__ddxEditorWorkerUrl, import.meta.url)')}`,
        map: null,
      };
    },
  };
}

export default defineConfig({
  plugins: [react(), monacoEditorWorker()],
  worker: { format: 'es' },
  // Imported only from the engine worker: pre-bundle them so the dev server does not re-optimise mid-run.
  optimizeDeps: { include: ['acorn', 'mathjs', 'decimal.js'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Monaco in one chunk of its own, loaded lazily after the shell. Only Monaco's own modules:
            // were its dependencies pulled in too, Vite's shared preload helper would land there and
            // the page's entry would import all of Monaco eagerly.
            { name: 'monaco', test: /node_modules[\\/]monaco-editor[\\/]/, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
});
