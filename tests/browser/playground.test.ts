// The playground in real Chromium: typing, controls, permalinks (both forms), hostile links, the
// time budget, drafts, globals and screenshots. Expected numbers come from the maths (the blog's
// values, hand derivatives), never from another engine.

import { describe, expect, inject, it } from 'vitest';
import { ENGINES } from '../../src/engines/registry.ts';
import { encodePermalink, MAX_HASH_LENGTH } from '../../app/permalink.ts';
import {
  cardStates, DESKTOP, editorText, extraGlobals, loadExample, openBrowser, partialsOf, pasteSource, PHONE, screenshot, settle, typeSource,
  sharedPlayground, waitForCards, waitForEditor, waitForTimings } from './harness.ts';
import type { Page } from 'playwright-core';

/** Types a value into a labelled number field, waiting for the cards when it changes anything. */
async function setField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  if ((await field.inputValue()) === value) return;
  await settle(page, () => field.fill(value));
}

const baseUrl = inject('baseUrl');
const registered = ENGINES.map((e) => e.id);
/** Globals that libraries put on window themselves: Monaco's base/browser/window.js sets this one. */
const LIBRARY_GLOBALS = ['vscodeWindowId'];

const shared = sharedPlayground(baseUrl);

describe('the playground', () => {
  it('shows 7 for d/dx of the typed autograd example, and LaTeX in the symbolic card', async () => {
    const { page, errors } = shared.browser;
    expect(await page.locator('[data-engine]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-engine')))).toEqual(
      ['manual', 'numeric', 'symbolic', 'reverse', 'forward'].filter((id) => registered.includes(id as never)),
    );

    await settle(page, () => typeSource(page, 'function fun(x, y) { return x**2 + 3*x*y + y**2; }'));
    expect(await editorText(page)).toBe('function fun(x, y) { return x**2 + 3*x*y + y**2; }');
    await setField(page, 'Value of x', '2');
    await setField(page, 'Value of y', '1');

    // The reverse card must show exactly 7 once the reverse engine is registered; until then every
    // exact engine present must, and the numeric one must come within its truncation error.
    const exact = ['reverse', 'forward', 'symbolic'].filter((id) => registered.includes(id as never));
    for (const id of exact) expect((await partialsOf(page, id)).x, id).toBe('7');
    if (registered.includes('numeric' as never)) expect(Math.abs(Number((await partialsOf(page, 'numeric')).x) - 7)).toBeLessThan(1e-6);
    if (registered.includes('symbolic' as never)) {
      const tex = await page.locator('[data-engine="symbolic"] .partial-formula annotation').first().textContent();
      expect(tex).toMatch(/=.*x.*y|=.*y.*x/);
      expect(await page.locator('[data-engine="symbolic"] .partial-formula .katex-html').count()).toBeGreaterThan(0);
    }
    await screenshot(page, 'desktop-autograd');
    expect(errors).toEqual([]);
  });

  it('times the reverse and forward cards again in the background, at length, and shows those figures with the same values', async () => {
    const { page, errors } = shared.browser;
    const timed = ['reverse', 'forward'].filter((id) => registered.includes(id as never));
    const timing = (id: string) => page.locator(`[data-engine="${id}"] [data-cost="timing"] dd`).textContent();
    const settling = () => page.evaluate(() => document.querySelector('[data-settling]')?.getAttribute('data-settling') ?? null);
    await loadExample(page, 'rosenbrock');
    // The cards come with quick figures, and say they are being timed again.
    expect((await settling())!.split(' ').sort()).toEqual([...timed].sort());
    const before: Record<string, Record<string, string>> = {};
    for (const id of timed) {
      expect(await timing(id), id).toBe('quick; settling…');
      before[id] = await partialsOf(page, id);
    }
    await waitForTimings(page);
    for (const id of timed) {
      expect(await timing(id), id).toBe('settled');
      expect(await partialsOf(page, id), id).toEqual(before[id]);
      const notes = await page.locator(`[data-engine="${id}"] .notes`).textContent();
      expect(notes, id).toContain('settled figures');
      // Rosenbrock's f does real work: the settled figures give a ratio, not a bound.
      expect(await page.locator(`[data-engine="${id}"] [data-cost="gradient_over_f"] dd`).textContent(), id).toMatch(/^\d/);
    }
    expect(errors).toEqual([]);
  });

  it('updates every card when a parameter control moves', async () => {
    const { page, errors } = shared.browser;
    await loadExample(page, 'manual-check');
    const before: Record<string, string> = {};
    for (const id of registered) before[id] = (await partialsOf(page, id)).x;
    expect(Object.values(before).every((v) => v !== undefined)).toBe(true);

    const slider = page.getByLabel('Slider for x');
    await slider.focus();
    await settle(page, async () => {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
    });
    const x = Number(await page.getByLabel('Value of x', { exact: true }).inputValue());
    expect(x).not.toBe(0.3);
    const exact = Math.exp(x) * (Math.sin(x) + Math.cos(x)); // d/dx sin(x) e^x
    for (const id of registered) {
      const now = Number((await partialsOf(page, id)).x);
      expect(String(now), id).not.toBe(before[id]);
      expect(Math.abs(now - exact) / exact, id).toBeLessThan(id === 'numeric' ? 1e-6 : 1e-13);
    }
    expect(errors).toEqual([]);
  });

  it('restores source, point, wrt and engine options from a permalink in a fresh browser; the plain form works too', async () => {
    const { page } = shared.browser;
    await loadExample(page, 'sympy');
    const has = (id: string) => registered.includes(id as never);
    await settle(page, async () => {
      await page.getByLabel('Value of y', { exact: true }).fill('2.5');
      if (has('numeric')) {
        await page.locator('[data-option="numeric.method"]').selectOption('five-point');
        await page.locator('[data-option="numeric.h"]').fill('0.001');
      }
      if (has('symbolic')) await page.locator('[data-engine="symbolic"] label:has([data-option$="=cse"])').click();
      if (has('reverse')) await page.locator('[data-engine="reverse"] label:has([data-option$="=tape"])').click();
    });
    await page.waitForFunction(() => location.hash.startsWith('#v1/'));
    await page.waitForTimeout(400); // the hash follows the state after a short debounce
    await page.click('[data-share]');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await page.evaluate(() => location.href));

    const fresh = await openBrowser(DESKTOP);
    try {
      const p = fresh.page;
      await p.goto(copied);
      await waitForEditor(p);
      await waitForCards(p);
      expect(await editorText(p)).toBe('z = x**2 + y**2\n');
      expect(await p.getByLabel('Value of y', { exact: true }).inputValue()).toBe('2.5');
      expect(await p.locator('[data-wrt="x"]').isChecked()).toBe(false);
      expect(await p.locator('[data-wrt="y"]').isChecked()).toBe(true);
      if (has('numeric')) {
        expect(await p.locator('[data-option="numeric.method"]').inputValue()).toBe('five-point');
        expect(await p.locator('[data-option="numeric.h"]').inputValue()).toBe('0.001');
      }
      if (has('symbolic')) expect(await p.locator('[data-engine="symbolic"] [data-option$="=cse"]').isChecked()).toBe(true);
      if (has('reverse')) expect(await p.locator('[data-engine="reverse"] [data-option$="=tape"]').isChecked()).toBe(true);
      for (const id of ['forward', 'reverse', 'symbolic'].filter(has)) expect((await partialsOf(p, id)).y, id).toBe('5');
      expect(await p.locator('[data-notice="error"]').count()).toBe(0);

      // The plain form a teacher writes by hand.
      const src = 'function f(a, b) {\n  return a * Math.sin(b);\n}';
      const plain = await fresh.newPage();
      await plain.goto(`${baseUrl}#src=${encodeURIComponent(src)}&at=${encodeURIComponent('{"a":2,"b":0.5}')}&wrt=b`);
      await waitForEditor(plain);
      await waitForCards(plain);
      expect(await editorText(plain)).toBe(src);
      expect(await plain.getByLabel('Value of a', { exact: true }).inputValue()).toBe('2');
      expect(await plain.getByLabel('Value of b', { exact: true }).inputValue()).toBe('0.5');
      expect(await plain.locator('[data-wrt="a"]').isChecked()).toBe(false);
      for (const id of ['forward', 'reverse', 'symbolic'].filter(has)) {
        expect(Math.abs(Number((await partialsOf(plain, id)).b) - 2 * Math.cos(0.5)), id).toBeLessThan(1e-15);
      }
      expect(await plain.locator('[data-partial="a"]').count()).toBe(0);
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('says under the agreement table where rounding takes f down another path than the exact reference', async () => {
    // At x = 1e-17, (x + 1) - 1 is 0 in doubles (so f = 2x) but exactly x (so the reference is 3x).
    const src = 'function f(x) {\n  return (x + 1) - 1 < x ? 2 * x : 3 * x;\n}';
    const page = await shared.browser.newPage();
    try {
      await page.goto(`${baseUrl}#src=${encodeURIComponent(src)}&at=${encodeURIComponent('{"x":1e-17}')}`);
      await waitForEditor(page);
      await waitForCards(page);
      await expect.poll(() => page.locator('[data-reference-note]').textContent()).toMatch(/rounding decides a branch at this point: line 2, column 10, x \+ 1 - 1 < x, is true in floating point/);
      expect(await page.locator('[data-reference="x"]').textContent()).toBe('3');
      if (registered.includes('reverse')) expect((await partialsOf(page, 'reverse')).x).toBe('2');
      // An ordinary point has no note.
      await page.goto(`${baseUrl}#src=${encodeURIComponent(src)}&at=${encodeURIComponent('{"x":0.5}')}`);
      await waitForCards(page);
      await expect.poll(() => page.locator('[data-reference-note]').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('runs nothing from a hostile link and shows an error, keeping the work', async () => {
    const p = await shared.browser.newPage();
    try {
      const reached: string[] = [];
      // A payload that ran in the page or in the worker would set the flag or fetch this URL.
      await shared.browser.context.route('**/__ddx_pwned*', (route) => { reached.push(route.request().url()); return route.fulfill({ body: '' }); });
      const payload = "globalThis.__ddxPwned = 1; fetch('/__ddx_pwned')";
      const sources = [
        `function f(x) { ${payload}; return x; }`,
        `function f(x) { return x.constructor.constructor("${payload.replace(/"/g, '\\"')}")() + x; }`,
        `function f(x) { return eval("${payload.replace(/"/g, '\\"')}") + x; }`,
        `function f(x) { return Function("${payload.replace(/"/g, '\\"')}")() + x; }`,
        `const f = (x) => { window.__ddxPwned = 1; return x; };`,
        `function f(x) { return \`\${fetch('/__ddx_pwned')}\` + x; }`,
        `x + constructor.constructor("${payload.replace(/"/g, '\\"')}")()`,
      ];
      let first = true;
      for (const source of sources) {
        const link = `${baseUrl}${encodePermalink({ source, point: { x: 1 }, wrt: null, options: {}, views: {} })}`;
        await p.goto(link);
        if (first) { await waitForEditor(p); first = false; }
        await p.waitForSelector('[data-source-error]', { timeout: 10_000 });
        expect(await p.locator('[data-source-error]').textContent(), source).toMatch(/unsupported|unknown-name|syntax/);
        expect(Object.values(await cardStates(p)).every((s) => s === 'error'), source).toBe(true);
      }
      // A hand-written link whose point carries code is refused before anything reads it.
      const work = await editorText(p);
      await p.goto(`${baseUrl}#src=x&at=${encodeURIComponent(JSON.stringify({ x: payload }))}`);
      await p.waitForSelector('[data-notice="error"]');
      expect(await p.locator('[data-notice="error"]').textContent()).toMatch(/could not be opened.*neither a number nor an array.*unchanged/s);
      expect(await editorText(p)).toBe(work);
      // So are garbled, truncated, oversized and unknown-version links: a message, and the work stays.
      const good = encodePermalink({ source: 'x^5', point: { x: 1 }, wrt: null, options: {}, views: {} });
      const bad: [string, RegExp][] = [
        [`#v1/N4Ig${'%%%'}garbled`, /garbled|cut off|URI/],
        [good.slice(0, Math.floor(good.length / 2)), /cut off/],
        [`#v1/${'A'.repeat(MAX_HASH_LENGTH + 10)}`, /characters long/],
        [good.replace('#v1/', '#v7/'), /format v7/],
      ];
      for (const [hash, message] of bad) {
        await p.evaluate(() => document.querySelector<HTMLButtonElement>('[aria-label="Dismiss this message"]')?.click());
        await p.goto(`${baseUrl}${hash}`);
        await p.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-notice="error"]')?.textContent ?? ''), message.source, { timeout: 30_000 }).catch(async (err: unknown) => {
          throw new Error(`${hash.slice(0, 30)}: ${await p.locator('[data-notice]').textContent().catch(() => 'no notice')} (${String(err)})`);
        });
        expect(await p.locator('[data-notice="error"]').textContent(), hash.slice(0, 20)).toMatch(/Your current work is unchanged/);
        expect(await editorText(p)).toBe(work);
      }

      expect(await p.evaluate(() => (globalThis as Record<string, unknown>).__ddxPwned)).toBeUndefined();
      expect(reached).toEqual([]);
      expect(shared.browser.errors).toEqual([]);
    } finally {
      await shared.browser.context.unroute('**/__ddx_pwned*');
      await p.close();
    }
  });

  it('stops `while (true) {}` with the budget error while the editor keeps taking typing', async () => {
    const { page, errors } = shared.browser;
    await settle(page, () => typeSource(page, 'function f(x) { while (true) {} return x; }'));
    await page.waitForSelector('[data-engine] [data-error-kind="budget"]', { timeout: 10_000 });
    expect(await page.locator('[data-source-error="budget"]').count()).toBe(1);
    await screenshot(page, 'desktop-budget');
    await settle(page, () => typeSource(page, 'x**3'));
    expect(await editorText(page)).toBe('x**3');
    const x = Number(await page.getByLabel('Value of x', { exact: true }).inputValue());
    for (const id of ['forward', 'reverse', 'symbolic'].filter((e) => registered.includes(e as never))) {
      expect(Number((await partialsOf(page, id)).x), id).toBeCloseTo(3 * x * x, 12);
    }
    expect(errors).toEqual([]);
  });

  it('terminates and respawns the worker past the time budget, and stays usable', async () => {
    const p = await shared.browser.newPage();
    try {
      await p.goto(`${baseUrl}?budget=400`);
      await waitForEditor(p);
      await waitForCards(p);
      // Well inside the operation budget, but its 40-digit reference takes seconds.
      await settle(p, async () => {
        await pasteSource(p, 'function f(x) { let s = 0; for (let i = 0; i < 30000; i++) { s += Math.sin(x * i); } return s; }');
        await p.keyboard.type(' // typing on');
      });
      expect(await editorText(p)).toMatch(/\/\/ typing on$/);
      await p.waitForSelector('[data-run-failure="budget"]', { timeout: 15_000 });
      expect(await p.locator('[data-run-failure]').textContent()).toMatch(/stopped after 400 ms.*restarted/);
      expect(await p.locator('[data-engine] [data-error-kind="budget"]').count()).toBe(await p.locator('[data-engine]').count());
      await settle(p, () => pasteSource(p, 'function f(x) { return Math.exp(2 * x); }'));
      const x = Number(await p.getByLabel('Value of x', { exact: true }).inputValue());
      expect(Number((await partialsOf(p, 'forward')).x)).toBeCloseTo(2 * Math.exp(2 * x), 10);
    } finally {
      await p.close();
    }
    expect(shared.browser.errors).toEqual([]);
  });

  it('restores the draft on reload, and keeps it one click away when a link replaces it', async () => {
    const p = await shared.browser.newPage();
    try {
      await p.goto(baseUrl);
      await waitForEditor(p);
      await waitForCards(p);
      const draft = 'function g(t) { return t * Math.log(t); }';
      await settle(p, () => typeSource(p, draft));
      await p.waitForFunction(() => localStorage.getItem('ddx:draft:v1')?.includes('Math.log(t)'));
      // A plain visit (no link in the URL) and a reload both bring the draft back.
      await p.goto(baseUrl);
      await waitForEditor(p);
      expect(await editorText(p)).toBe(draft);
      await p.reload();
      await waitForEditor(p);
      expect(await editorText(p)).toBe(draft);

      // A link replaces the work, with the way back right there.
      await p.goto(`${baseUrl}${encodePermalink({ source: 'x^3 - x', point: { x: 2 }, wrt: null, options: {}, views: {} })}`);
      await p.waitForSelector('[data-restore-backup]');
      await waitForCards(p);
      expect(await editorText(p)).toBe('x^3 - x');
      await settle(p, () => p.click('[data-restore-backup]'));
      expect(await editorText(p)).toBe(draft);
      expect(shared.browser.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('marks fence errors in the editor at their line and column, and completes and explains Math.*', async () => {
    const { page, errors } = shared.browser;
    await settle(page, () => typeSource(page, 'function f(x) {\nreturn this.x;'));
    await page.waitForSelector('[data-source-error="unsupported"]');
    // Monaco indents the new line by two spaces, so `this` starts at column 10 of line 2.
    expect(await editorText(page)).toMatch(/^function f\(x\) \{\n  return this\.x;/);
    expect(await page.locator('[data-source-error]').textContent()).toMatch(/line 2, column 10.*this/s);
    await page.waitForSelector('.monaco-editor .squiggly-error');
    const squiggle = await page.locator('.monaco-editor .squiggly-error').boundingBox();
    const line2 = await page.locator('.monaco-editor .view-line').nth(1).boundingBox();
    expect(Math.abs(squiggle!.y - line2!.y)).toBeLessThan(line2!.height);

    await settle(page, () => typeSource(page, 'function f(x) {\nreturn Math.'));
    await page.waitForSelector('.monaco-editor .suggest-widget.visible');
    const labels = await page.locator('.monaco-editor .suggest-widget .monaco-list-row').allInnerTexts();
    expect(labels.join(' ')).toMatch(/abs|acos|asin/);
    await page.keyboard.type('sinh');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-editor .view-line span', { hasText: 'sinh' }).last().hover();
    await page.waitForSelector('.monaco-hover:not(.hidden) :text("Hyperbolic sine")', { timeout: 5000 });
    expect(errors).toEqual([]);
  });

  it('labels every control and reaches the cards from the keyboard', async () => {
    const { page } = shared.browser;
    await loadExample(page, 'autograd');
    const unlabelled = await page.locator('input, select, textarea, button').evaluateAll((els) =>
      els
        .filter((el) => !el.closest('.monaco-editor'))
        .filter((el) => {
          const e = el as HTMLInputElement;
          const text = (e.getAttribute('aria-label') ?? '') + (e.labels ? [...e.labels].map((l) => l.textContent).join('') : '') + (e.tagName === 'BUTTON' ? e.textContent : '');
          return text.trim() === '';
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    // From the value of x, Tab walks through the controls and into the cards' own options.
    await page.getByLabel('Value of x', { exact: true }).focus();
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return el.dataset.option ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
      }));
    }
    expect([...reached]).toContain('Slider for x');
    if (registered.includes('numeric' as never)) expect([...reached]).toContain('numeric.method');
    expect([...reached].some((r) => /Move the .* card later/.test(r))).toBe(true);
  });

  it('turns a number control into a list when f starts indexing that parameter, and back', async () => {
    const { page, errors } = shared.browser;
    await settle(page, () => pasteSource(page, 'function f(v) { return v * v; }'));
    await setField(page, 'Value of v', '3');
    expect(await page.locator('[data-param="v"].param-num').count()).toBe(1);
    // v becomes an array: the worker parses the new source and sends v's kind back with the answer.
    await settle(page, () => pasteSource(page, 'function f(v) { return v[0] * v[1] + v[2]; }'));
    expect(await page.locator('[data-param="v"].param-arr').count()).toBe(1);
    expect(await page.getByLabel('v[0]', { exact: true }).inputValue()).toBe('3');
    const exact = ['forward', 'reverse', 'symbolic'].filter((e) => registered.includes(e as never));
    const v = await Promise.all([0, 1, 2].map(async (i) => Number(await page.getByLabel(`v[${i}]`, { exact: true }).inputValue())));
    for (const id of exact) expect(await partialsOf(page, id), id).toEqual({ 'v[0]': String(v[1]), 'v[1]': String(v[0]), 'v[2]': '1' });
    await settle(page, () => page.getByRole('button', { name: 'Add an element to v' }).click());
    expect(await page.locator(`[data-engine="${exact[0]}"] [data-partial="v[3]"]`).getAttribute('data-value')).toBe('0');
    await settle(page, () => pasteSource(page, 'function f(v) { return v * v; }'));
    expect(await page.getByLabel('Value of v', { exact: true }).inputValue()).toBe('3');
    for (const id of exact) expect((await partialsOf(page, id)).v, id).toBe('6');
    expect(errors).toEqual([]);
  });

  it('hides, shows and reorders cards, copies generated source, and shows the tape', async () => {
    const { page, errors } = shared.browser;
    await loadExample(page, 'tangent-source');
    const order = () => page.locator('[data-engine]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-engine')));
    const start = await order();
    const [first, second] = start as string[];
    await page.getByRole('button', { name: new RegExp(`^Move the .* card later$`) }).first().click();
    expect((await order()).slice(0, 2)).toEqual([second, first]);
    await page.getByRole('button', { name: new RegExp(`^Move the .* card earlier$`) }).nth(1).click();
    expect(await order()).toEqual(start);

    const hidden = start[start.length - 1]!;
    await settle(page, () => page.locator(`[data-engine="${hidden}"] button[aria-label^="Hide"]`).click());
    expect(await order()).toEqual(start.slice(0, -1));
    expect(await page.locator(`[data-agreement-engine="${hidden}"]`).count()).toBe(0);
    await settle(page, () => page.click(`[data-show-engine="${hidden}"]`));
    expect(await order()).toEqual(start);

    if (registered.includes('reverse' as never)) {
      const card = page.locator('[data-engine="reverse"]');
      await card.locator('label:has([data-option$="=code"])').click();
      const code = (await card.locator('pre.code').first().innerText()).replace(/\u00a0/g, ' ');
      expect(code).toMatch(/function \w+\(x/);
      await card.getByRole('button', { name: /^Copy the generated gradient/ }).click();
      expect((await page.evaluate(() => navigator.clipboard.readText())).trim()).toBe(code.trim());
      await card.locator('label:has([data-option$="=tape"])').click();
      expect(await card.locator('[data-tape-node]').count()).toBeGreaterThan(0);
      await card.locator('label:has([data-option$="=code"])').click();
    }
    expect(errors).toEqual([]);
  });

  it('paints the shell and computes before Monaco has loaded', async () => {
    const p = await shared.browser.newPage();
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    // Hold Monaco's chunk back until the rest of the page has drawn.
    await p.route(/\/assets\/monaco-[^/]*\.js$/, async (route) => { await held; await route.continue(); });
    try {
      await p.goto(baseUrl, { waitUntil: 'commit' });
      await p.waitForSelector('.editor-fallback');
      await waitForCards(p);
      expect(await p.locator('.topbar h1').textContent()).toBe('ddx');
      expect(await p.locator('.monaco-editor').count()).toBe(0);
      release();
      await waitForEditor(p);
      expect(await p.locator('.editor-fallback').count()).toBe(0);
    } finally {
      release();
      await p.close();
    }
  });

  it('puts no globals on window', async () => {
    const { page } = shared.browser;
    await page.goto(baseUrl);
    await waitForCards(page);
    // Non-ASCII text makes Monaco start its editor worker (the unicode highlighter runs there).
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.type(' // café\u200b');
    await page.waitForTimeout(500);
    const extra = await extraGlobals(page);
    expect(extra.filter((k) => !LIBRARY_GLOBALS.includes(k))).toEqual([]);
  });

  it('lays out at desktop and phone size, in both themes (screenshots)', async () => {
    const { page, errors } = shared.browser;
    await loadExample(page, 'rosenbrock');
    await waitForTimings(page);
    await screenshot(page, 'desktop-rosenbrock');
    await page.getByRole('button', { name: /^Examples/ }).click();
    await screenshot(page, 'desktop-examples-menu');
    await page.keyboard.press('Escape');
    await page.click('[data-theme-toggle]');
    await loadExample(page, 'softmax-xent');
    await screenshot(page, 'desktop-dark-softmax');
    await page.click('[data-theme-toggle]');

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.width);

    await page.setViewportSize(PHONE);
    try {
      await loadExample(page, 'autograd');
      await screenshot(page, 'phone-autograd');
      // Nothing wider than the screen: the page never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await loadExample(page, 'tanh-net');
      await screenshot(page, 'phone-tanh-net');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
    expect(errors).toEqual([]);
  });
});
