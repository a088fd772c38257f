// Every gallery example in real Chromium: every card renders with no error and no console error.
// Prints (without asserting) the time from a keystroke to updated cards for each example, and the
// gzip size of the app code apart from Monaco.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXAMPLES } from '../../app/examples.ts';
import { ENGINES } from '../../src/engines/registry.ts';
import { cardStates, DESKTOP, loadExample, openBrowser, partialsOf, settle, waitForCards, waitForEditor, type Browser } from './harness.ts';

const baseUrl = inject('baseUrl');
const distDir = inject('distDir');
const registered = ENGINES.map((e) => e.id) as string[];

let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser(DESKTOP);
  await browser.page.goto(baseUrl);
  await waitForEditor(browser.page);
  await waitForCards(browser.page);
});

afterAll(async () => {
  await browser?.close();
});

describe('the examples gallery', () => {
  it('has at least 12 examples, each with a one-line lesson, the blog examples first', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(12);
    for (const e of EXAMPLES) expect(e.lesson, e.id).toMatch(/^[^\n]{20,220}$/);
    expect(EXAMPLES.slice(0, 4).map((e) => e.id)).toEqual(['sympy', 'autograd', 'tangent-wrt-y', 'tangent-source']);
  });

  it('renders every card of every example with no error and no console error; prints keystroke-to-cards times', async () => {
    const { page, errors } = browser;
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
    const rows = readdirSync(assets)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => ({ f, raw: readFileSync(join(assets, f)).length, gz: gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, monaco: monaco.test(f) }));
    const sum = (rs: typeof rows) => rs.reduce((a, r) => a + r.gz, 0);
    const app = rows.filter((r) => !r.monaco);
    const page = app.filter((r) => !/^engine\.worker/.test(r.f));
    console.log([
      'gzip sizes (level 9):',
      ...rows.map((r) => `  ${r.monaco ? '[monaco] ' : ''}${r.f.padEnd(40)} ${(r.raw / 1024).toFixed(1).padStart(8)} KiB raw ${(r.gz / 1024).toFixed(1).padStart(7)} KiB gzip`),
      `  app code apart from Monaco: ${(sum(app) / 1024).toFixed(1)} KiB gzip (the page's first load ${(sum(page) / 1024).toFixed(1)} KiB, the engine worker ${(sum(app) - sum(page)) / 1024 > 0 ? ((sum(app) - sum(page)) / 1024).toFixed(1) : '0'} KiB)`,
      `  Monaco (its own chunk, loaded after the shell paints): ${(sum(rows.filter((r) => r.monaco)) / 1024).toFixed(1)} KiB gzip`,
    ].join('\n'));
    expect(app.length).toBeGreaterThan(0);
  });
});
