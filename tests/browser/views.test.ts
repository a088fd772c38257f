// The pictures (issue 6) in real Chromium, for the autograd example and the catastrophic-cancellation
// example: each renders with no console error, and each test says what it drew (series, axes and
// scales of every chart, nodes of the tape), checked against numbers worked out here in Node from
// the engines' own data or the maths. Stepping the tape of x**2 + 3*x*y + y**2 visits every node,
// forward then backward, and ends with the reverse card's gradient at the inputs. Screenshots of
// every picture go to tests/browser/screenshots/views-*.png.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import type { TapeView } from '../../src/engines/reverse/tape-view.ts';
import { runGradient, type GradResponse } from '../../src/run.ts';
import { EXAMPLES } from '../../app/examples.ts';
import { loadExample, partialsOf, SCREENSHOTS, settle, sharedPlayground, waitForCards, waitForEditor, waitForTimings } from './harness.ts';

const baseUrl = inject('baseUrl');
// Screenshots of a view element would otherwise have the sticky header over their top.
const shared = sharedPlayground(baseUrl, (b) => b.page.addStyleTag({ content: '.topbar { position: static !important; }' }));

/** Opens a view's tab; resolves once the view itself (not its loading placeholder) is drawn. */
async function openView(page: Page, id: string): Promise<void> {
  if ((await page.locator(`[data-view="${id}"]`).count()) === 0) await page.click(`[data-view-tab="${id}"]`);
  await page.waitForSelector(root(id));
}

/** The view's own element (inside the panel that carries data-view), which says what it shows. */
const root = (id: string) => `[data-view="${id}"] > .view`;

async function shoot(page: Page, id: string, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator(`[data-view="${id}"]`).screenshot({ path: join(SCREENSHOTS, `views-${name}.png`) });
}

/** A chart's own account of what it drew (set once uPlot has drawn it). */
async function chart(page: Page, name: string): Promise<Record<string, string>> {
  const el = page.locator(`[data-chart="${name}"][data-drawn]`);
  await el.waitFor({ timeout: 20_000 });
  return el.evaluate((e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
}

/** What the engines compute in Node for the same state: the tape the graph must draw, the step lab. */
function engines(source: string, at: Record<string, number>, wrt: string[]): GradResponse {
  const outcome = runGradient({ source, at, wrt, engines: ['numeric', 'reverse'] });
  if ('error' in outcome) throw new Error(outcome.error.message);
  return outcome;
}

const example = (id: string) => EXAMPLES.find((e) => e.id === id)!;

describe.each([
  { id: 'autograd', vees: ['forward'] },
  // (1 - cos x)/x² near 0: the central difference's V, and numeric differences straying on the slice near 0.
  { id: 'cancellation', vees: ['forward', 'central'] },
])('the pictures for the $id example', ({ id, vees }) => {
  const ex = example(id);
  const node = engines(ex.source, ex.point as Record<string, number>, ex.wrt ?? Object.keys(ex.point));
  const tape = (node.engines.reverse as unknown as { tape: TapeView }).tape;

  it('loads', async () => {
    const page = shared.browser.page;
    // The page opens on the autograd example.
    if (id !== 'autograd') await loadExample(page, id);
    await waitForCards(page);
  });

  it('draws f and every engine\'s derivative along the slice, with the point marked', async () => {
    const page = shared.browser.page;
    await openView(page, 'slice');
    const f = await chart(page, 'slice-f');
    expect(f.series).toBe('1');
    expect(f.axes).toBe('2');
    expect(f.scales).toBe('x:linear,y:linear');
    const d = await chart(page, 'slice-derivatives');
    // No hand-written derivative in these examples: manual draws nothing, the other four a curve each.
    expect(d.engines.split(',').sort()).toEqual(['forward', 'numeric', 'reverse', 'symbolic']);
    expect(d.series).toBe('4');
    expect(Number(d.points)).toBeGreaterThan(4 * 200);
    const spread = JSON.parse(d.spread) as Record<string, number>;
    // Forward mode lies on reverse mode everywhere; numeric differences stray near 0 in the cancellation.
    expect(spread.forward).toBeLessThan(1e-6);
    if (id === 'autograd') expect(spread.numeric).toBeLessThan(1e-6);
    else expect(spread.numeric).toBeGreaterThan(0.05);
    await shoot(page, 'slice', `${id}-slice`);
  });

  it('draws the step-size lab in log-log with the V of truncation against round-off', async () => {
    const page = shared.browser.page;
    await openView(page, 'step-lab');
    const lab = await chart(page, 'step-lab');
    expect(lab.scales).toBe('x:log,y:log');
    expect(lab.axes).toBe('2');
    const shown = (await page.locator(root('step-lab')).getAttribute('data-methods'))!.split(',');
    // A measured curve and a theory line per shown method.
    expect(Number(lab.series)).toBe(2 * shown.length);
    expect(shown).toEqual(expect.arrayContaining(['forward', 'central', 'five-point', 'richardson', 'complex-step']));
    for (const m of vees) expect(lab.v.split(','), m).toContain(m);
    // The V the picture shows is the engine's measurement: its bottom is far below both ends.
    const stepLab = (node.engines.numeric as unknown as { step_lab: { h: number[]; methods: { method: string; errors: (number | null)[]; best_error: number | null }[] } }).step_lab;
    for (const m of vees) {
      const e = stepLab.methods.find((x) => x.method === m)!;
      const ends = [e.errors.find((x) => x !== null)!, [...e.errors].reverse().find((x) => x !== null)!];
      for (const end of ends) expect(end, m).toBeGreaterThan(100 * e.best_error!);
    }
    await shoot(page, 'step-lab', `${id}-step-lab`);
  });

  it('measures the cost of a gradient for n = 1 … 1000, with progress, and plots both log-log', async () => {
    const page = shared.browser.page;
    await openView(page, 'cost');
    if (id === 'autograd') await page.locator('[data-view="cost"] [role="progressbar"]').waitFor({ timeout: 10_000 });
    await page.locator(`${root('cost')}[data-cost-rows="10"]`).waitFor({ timeout: 60_000 });
    const time = await chart(page, 'cost-time');
    const passes = await chart(page, 'cost-passes');
    expect(time.series).toBe('4'); // f alone, numeric, forward, reverse
    expect(passes.series).toBe('3');
    expect(time.scales).toBe('x:log,y:log');
    expect(passes.scales).toBe('x:log,y:log');
    expect(Number(time.points)).toBe(40);
    await shoot(page, 'cost', `${id}-cost`);
  });

  it('draws the tape as a graph, one node per record and per constant, and steps through it', async () => {
    const page = shared.browser.page;
    await openView(page, 'tape');
    const svg = page.locator('[data-view="tape"] svg[data-node-count]');
    await svg.waitFor();
    // Every record of the tape the engine exports, and each constant it uses, as its own node.
    expect(Number(await svg.getAttribute('data-node-count'))).toBe(tape.nodes.length);
    expect(await svg.locator('g.node').count()).toBe(tape.nodes.length);
    expect(Number(await svg.getAttribute('data-edge-count'))).toBe(tape.edges.length);
    const records = tape.nodes.filter((n) => n.op !== 'const').length;
    expect(Number(await page.locator(root('tape')).getAttribute('data-tape-steps'))).toBe(records + tape.order.backward.length);
    // Into the backward sweep: values everywhere, the output's adjoint, the current node in the editor.
    for (let i = 0; i < records + 2; i++) await page.click('[data-tape-step]');
    expect(await page.locator(root('tape')).getAttribute('data-tape-phase')).toBe('backward');
    expect(await svg.locator('g.node[data-value]').count()).toBe(tape.nodes.length);
    expect(await page.locator('.monaco-editor .ddx-tape-line').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-tape-code] [data-hit]').count()).toBeGreaterThan(0);
    await shoot(page, 'tape', `${id}-tape`);
    if (id === 'autograd') {
      // A click in the editor on the 3 of `3*x*y` picks the innermost operation there, 3 * x.
      await page.click('[data-tape-reset]');
      const three = page.locator('.monaco-editor .view-line span[class^="mtk"]', { hasText: /^3$/ }).first();
      await three.scrollIntoViewIfNeeded();
      await three.click();
      await page.waitForFunction(() => document.querySelector('[data-view="tape"] > .view')?.getAttribute('data-tape-selected') !== '');
      const chosen = await page.locator(root('tape')).getAttribute('data-tape-selected');
      expect(await svg.locator(`g.node[data-node="${chosen}"]`).getAttribute('data-op')).toBe('mul');
      expect(await svg.locator(`g.node[data-node="${chosen}"] title`).textContent()).toMatch(/line 2$/);
    }
  });

  it('draws the swell meter: sizes against nesting depth on a log scale', async () => {
    const page = shared.browser.page;
    await openView(page, 'swell');
    const swell = await chart(page, 'swell');
    expect(swell.series).toBe('7');
    expect(swell.scales).toBe('x:linear,y:log');
    await page.locator(`${root('swell')}[data-swell-rows="10"]`).waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-meter]').count()).toBe(6);
    await shoot(page, 'swell', `${id}-swell`);
    // The user's own function composed with itself.
    await page.selectOption('[data-swell-choice]', 'compose');
    await page.locator(`${root('swell')}[data-swell-family="compose"] [data-chart="swell"][data-drawn]`).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-view="swell"] > .view')?.getAttribute('data-swell-rows')) >= 4);
    await shoot(page, 'swell', `${id}-swell-compose`);
    await page.selectOption('[data-swell-choice]', 'sin');
  });

  it('shows the derivation steps, one KaTeX line per rule', async () => {
    const page = shared.browser.page;
    await openView(page, 'steps');
    const steps = page.locator('[data-view="steps"] li[data-step-rule]');
    await steps.first().waitFor();
    const rules = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-step-rule')));
    expect(rules[0]).toBe(id === 'autograd' ? 'sum rule' : 'quotient rule');
    expect(await page.locator('[data-view="steps"] li[data-step-rule] .katex').count()).toBe(rules.length);
    expect(await page.locator('[data-view="steps"] [data-steps-result] .katex').count()).toBe(1);
    await shoot(page, 'steps', `${id}-steps`);
  });

  it('has no console errors', () => {
    expect(shared.browser.errors).toEqual([]);
  });
});

describe('stepping the tape of x**2 + 3*x*y + y**2', () => {
  it('visits every node, forward then backward, and ends with the reverse card\'s gradient at the inputs', async () => {
    // A teacher's hand-written link: the formula at (2, 1), both inputs differentiated.
    const page = await shared.browser.newPage();
    await page.goto(`${baseUrl}#src=${encodeURIComponent('x**2 + 3*x*y + y**2')}&at=${encodeURIComponent('{"x":2,"y":1}')}&wrt=x,y`);
    await waitForEditor(page);
    await waitForCards(page);
    await page.addStyleTag({ content: '.topbar { position: static !important; }' });
    await openView(page, 'tape');
    const view = page.locator(root('tape'));
    await view.locator('svg[data-node-count]').waitFor();
    const total = Number(await view.getAttribute('data-tape-steps'));
    const records = await view.locator('g.node:not(.const)').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-node'))));
    const visits: { phase: string; id: number }[] = [];
    for (let i = 0; i < total; i++) {
      await page.click('[data-tape-step]');
      visits.push({ phase: (await view.getAttribute('data-tape-phase'))!, id: Number(await view.getAttribute('data-tape-current')) });
    }
    expect(await view.getAttribute('data-tape-done')).toBe('true');
    // The cards' timings, taken again in the background, replace only the timings: the view keeps its place.
    await waitForTimings(page);
    expect(await page.locator('[data-engine="reverse"] [data-cost="timing"] dd').textContent()).toBe('settled');
    expect(await view.getAttribute('data-tape-done')).toBe('true');
    const forward = visits.filter((v) => v.phase === 'forward').map((v) => v.id);
    const backward = visits.filter((v) => v.phase === 'backward').map((v) => v.id);
    // Forward first, then backward; each sweep visits every record once, in opposite orders.
    expect(visits.map((v) => v.phase)).toEqual([...forward.map(() => 'forward'), ...backward.map(() => 'backward')]);
    expect([...forward].sort((a, b) => a - b)).toEqual([...records].sort((a, b) => a - b));
    expect([...backward].sort((a, b) => a - b)).toEqual([...records].sort((a, b) => a - b));
    expect(forward).toEqual([...forward].sort((a, b) => a - b));
    expect(backward).toEqual([...backward].sort((a, b) => b - a));
    // The inputs' adjoints are the gradient the reverse card shows (2x + 3y and 3x + 2y).
    const card = await partialsOf(page, 'reverse');
    const inputs = await view.locator('g.node.input').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-label')!, e.getAttribute('data-adjoint')!])));
    expect(Object.keys(inputs).sort()).toEqual(['x', 'y']);
    for (const name of ['x', 'y']) expect(Number(inputs[name]), name).toBe(Number(card[name]));
    const at = await page.evaluate(() => [...document.querySelectorAll('[data-view="tape"] g.node.input')].map((e) => Number(e.getAttribute('data-value'))));
    const [x, y] = at;
    expect([x, y]).toEqual([2, 1]);
    expect(Number(inputs.x)).toBe(7); // 2x + 3y
    expect(Number(inputs.y)).toBe(8); // 3x + 2y
    await shoot(page, 'tape', 'tape-stepped');

    // Linking: a click on a line of the generated code picks a node on that line of the source.
    const comment = view.locator('[data-tape-code] [data-code-line]', { hasText: 'grad of' }).first();
    await comment.click();
    const picked = Number(await view.getAttribute('data-tape-selected'));
    expect(records).toContain(picked);
    expect(await view.locator('[data-tape-caption]').textContent()).toMatch(/^Picked/);
    expect(shared.browser.errors).toEqual([]);
    await page.close();
  });
});

describe('the Learn panel', () => {
  it('has a section per style with a live example, the blog\'s examples with their printed output, and the abs conventions', async () => {
    const page = shared.browser.page;
    await openView(page, 'learn');
    await page.locator('[data-lesson]').first().waitFor();
    expect((await page.locator('[data-lesson]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lesson'))))).toEqual(['manual', 'numeric', 'symbolic', 'reverse', 'forward']);
    expect(await page.locator('[data-blog] [data-printed]').allTextContents()).toEqual(['2*y\n6', '7.0', '11', '10', expect.stringContaining('def ddfdx(x, bz=1.0):')]);
    const rows = await page.locator('[data-convention]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-convention'), e.querySelector('td')!.textContent])));
    expect(rows).toMatchObject({ autograd: '0', JAX: '1', 'TensorFlow.js': '−1', mathjs: 'NaN', sympy: '0', ddx: '0' });
    await shoot(page, 'learn', 'learn');
    // A lesson's example opens in the playground, with its picture.
    await settle(page, () => page.click('[data-lesson-open="cancellation"]'));
    await page.waitForSelector('[data-view="step-lab"]');
    expect(shared.browser.errors).toEqual([]);
  });
});

describe('the pictures in the dark theme', () => {
  it('renders the slice, the step lab and the tape with no console error', async () => {
    const page = shared.browser.page;
    await page.click('[data-theme-toggle]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    for (const id of ['slice', 'step-lab', 'tape']) {
      await openView(page, id);
      if (id !== 'tape') await chart(page, id === 'slice' ? 'slice-derivatives' : 'step-lab');
      await shoot(page, id, `dark-${id}`);
    }
    expect(shared.browser.errors).toEqual([]);
  });
});
