// Every gallery example in real Chromium: every card renders with no error and no console error.
// Prints (without asserting) the time from a keystroke to updated cards for each example, and the
// gzip size of the app code apart from Monaco.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { EXAMPLES } from '../../app/examples.ts';
import { ENGINES } from '../../src/engines/registry.ts';
import { cardStates, loadExample, partialsOf, settle, sharedPlayground } from './harness.ts';

const baseUrl = inject('baseUrl');
const distDir = inject('distDir');
const registered = ENGINES.map((e) => e.id) as string[];

const shared = sharedPlayground(baseUrl);

describe('the examples gallery', () => {
  it('has at least 12 examples, each with a one-line lesson, the blog examples first', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(12);
    for (const e of EXAMPLES) expect(e.lesson, e.id).toMatch(/^[^\n]{20,220}$/);
    expect(EXAMPLES.slice(0, 4).map((e) => e.id)).toEqual(['sympy', 'autograd', 'tangent-wrt-y', 'tangent-source']);
  });

  it('renders every card of every example with no error and no console error; prints keystroke-to-cards times', async () => {
    const { page, errors } = shared.browser;
    const times: [string, number][] = [];
    for (const example of EXAMPLES) {
      await loadExample(page, example.id);
      const states = await cardStates(page);
      expect(Object.keys(states).sort(), example.id).toEqual([...registered].sort());
      for (const [id, state] of Object.entries(states)) {
        // The manual card without a hand-written derivative offers a template: not an error.
        const allowed = id === 'manual' && !/\bd\w+_d\w+|grad_/.test(example.source) ? ['ok', 'empty'] : ['ok'];
        expect(allowed, `${example.id}: ${id} card is ${state}`).toContain(state);
      }
      // Every shown partial of an exact engine carries a full-precision number.
      for (const id of ['forward', 'reverse', 'symbolic'].filter((e) => registered.includes(e))) {
        const values = Object.values(await partialsOf(page, id));
        expect(values.length, `${example.id}: ${id}`).toBeGreaterThan(0);
        for (const v of values) expect(Number.isFinite(Number(v)), `${example.id}: ${id} ${v}`).toBe(true);
      }
      expect(await page.locator('[data-source-error]').count(), example.id).toBe(0);

      // One keystroke at the end of the source (a space), then wait for every card to update.
      await page.click('.monaco-editor .view-lines');
      await page.keyboard.press('ControlOrMeta+End');
      times.push([example.id, await settle(page, () => page.keyboard.type(' '))]);
    }
    console.log(`keystroke to updated cards (includes the ${200} ms typing debounce):\n${times.map(([id, ms]) => `  ${id.padEnd(16)} ${ms.toFixed(0).padStart(5)} ms`).join('\n')}`);
    expect(errors).toEqual([]);
  });

  it('prints the gzip size of the app code apart from Monaco', () => {
    const assets = join(distDir, 'assets');
    const monaco = /^(monaco|MonacoEditor|monaco-setup|editorWebWorkerMain|codicon)[-.]/;
    // A Monaco chunk must never be named in index.html: the shell paints first.
    const rows = readdirSync(assets)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => ({ f, raw: readFileSync(join(assets, f)).length, gz: gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, monaco: monaco.test(f) }));
    const sum = (rs: typeof rows) => rs.reduce((a, r) => a + r.gz, 0);
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const app = rows.filter((r) => !r.monaco);
    // What the first paint needs: the files index.html names (the entry and its CSS).
    const html = readFileSync(join(distDir, 'index.html'), 'utf8');
    const first = rows.filter((r) => html.includes(`/assets/${r.f}`));
    const worker = app.filter((r) => /^engine\.worker/.test(r.f));
    console.log([
      'gzip sizes (level 9):',
      ...rows.map((r) => `  ${r.monaco ? '[monaco] ' : ''}${r.f.padEnd(40)} ${kib(r.raw).padStart(11)} raw ${kib(r.gz).padStart(11)} gzip`),
      `  app code apart from Monaco: ${kib(sum(app))} gzip; the first paint loads ${kib(sum(first))} (${first.map((r) => r.f).join(', ')}), the engine worker ${kib(sum(worker))}, the rest loads on demand`,
      `  Monaco (its own chunk and worker, loaded after the shell paints): ${kib(sum(rows.filter((r) => r.monaco)))} gzip`,
    ].join('\n'));
    expect(first.some((r) => r.monaco), 'index.html must not load Monaco').toBe(false);
    expect(app.length).toBeGreaterThan(0);
  });
});
