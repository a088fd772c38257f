// Browser tests' global setup: build the app with Vite's API, serve dist/ with `vite preview` on
// 127.0.0.1, and hand the URL to the tests through provide/inject. Closed again in teardown.

import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    distDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(import.meta.dirname, '../..');
  const outDir = resolve(root, 'dist');
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
  project.provide('baseUrl', url);
  project.provide('distDir', outDir);
  return async () => {
    await server.close();
  };
}
