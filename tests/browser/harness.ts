// Shared helpers for the browser tests: Debian's Chromium through playwright-core with a fresh
// profile per browser, console errors collected per page, and the few interactions the tests repeat
// (typing into Monaco, waiting for the cards, reading a card's partials).

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, per page, in order. */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A browser with a fresh, empty profile: no draft, no preferences. */
export async function openBrowser(viewport = DESKTOP): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'ddx-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    return page;
  };
  context.pages().forEach(watch);
  const page = context.pages()[0] ?? watch(await context.newPage());
  return {
    context,
    page,
    errors,
    newPage: async () => watch(await context.newPage()),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the page has answered the last state it asked for: every card done, none stale. */
/** A browser on the playground with the editor loaded and the first cards drawn. */
export async function openPlayground(baseUrl: string, viewport = DESKTOP): Promise<Browser> {
  const browser = await openBrowser(viewport);
  await browser.page.goto(baseUrl);
  await waitForEditor(browser.page);
  await waitForCards(browser.page);
  return browser;
}

export async function waitForCards(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(() => {
    const results = document.querySelector('[data-scheduled]');
    const scheduled = Number(results?.getAttribute('data-scheduled'));
    if (!results || !(scheduled > 0) || results.getAttribute('data-settled') !== String(scheduled)) return false;
    const cards = [...document.querySelectorAll('[data-engine]')];
    return cards.every((c) => c.getAttribute('data-state') !== 'pending' && c.getAttribute('aria-busy') !== 'true');
  }, undefined, { timeout, polling: 'raf' });
}

/** Waits until the cards' timings, taken again in the background after the cards settle, are in. */
export async function waitForTimings(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-settling]')?.getAttribute('data-settling') === '', undefined, { timeout });
}

async function scheduledCount(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector('[data-scheduled]')?.getAttribute('data-scheduled') ?? 0));
}

/**
 * Runs an action that changes what is computed, then waits for the page to ask for the new state
 * and to answer it. Returns the milliseconds from the start of the action to the settled cards.
 */
export async function settle(page: Page, action: () => Promise<unknown>, timeout = 20_000): Promise<number> {
  const before = await scheduledCount(page);
  const t0 = performance.now();
  await action();
  await page.waitForFunction((b) => Number(document.querySelector('[data-scheduled]')?.getAttribute('data-scheduled') ?? 0) > b, before, { timeout, polling: 'raf' });
  await waitForCards(page, timeout);
  return performance.now() - t0;
}

/** Waits for the app shell and for Monaco to be ready for typing. */
export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 15_000 });
}

/** Replaces the editor's text by typing it, as a person would (Monaco's auto-closing included). */
export async function typeSource(page: Page, text: string): Promise<void> {
  await waitForEditor(page);
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Replaces the editor's text in one input event, as a paste would (for long sources where typing is not the point). */
export async function pasteSource(page: Page, text: string): Promise<void> {
  await waitForEditor(page);
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

/**
 * The editor's text, read from what Monaco displays: the rendered rows in order, where a row with
 * no line number beside it continues the line above (word wrap) rather than starting a new one.
 */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const top = (el: Element) => Math.round(parseFloat((el as HTMLElement).style.top) || 0);
    const numbered = new Set([...document.querySelectorAll('.monaco-editor .margin-view-overlays > div')].filter((d) => /\d/.test(d.textContent ?? '')).map(top));
    const rows = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')].sort((a, b) => top(a) - top(b));
    let text = '';
    rows.forEach((row, i) => {
      const starts = i === 0 || numbered.has(top(row));
      // A wrapped row is drawn indented; the break itself falls after a space kept on the row above.
      const line = (row as HTMLElement).innerText.replace(/\u00a0/g, ' ');
      text += starts ? (i > 0 ? '\n' : '') + line : line.replace(/^ +/, '');
    });
    return text.replace(/\u00a0/g, ' ');
  });
}

/** Every card's state, by engine id. */
export async function cardStates(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-engine]').evaluateAll((cards) =>
    Object.fromEntries(cards.map((c) => [c.getAttribute('data-engine')!, c.getAttribute('data-state')!])),
  );
}

/** One card's partials: data-partial -> data-value. */
export async function partialsOf(page: Page, engine: string): Promise<Record<string, string>> {
  return page.locator(`[data-engine="${engine}"] [data-partial]`).evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-partial')!, e.getAttribute('data-value')!])),
  );
}

/** Loads a gallery example and waits for its cards (the example must differ from the current state). */
export async function loadExample(page: Page, id: string): Promise<void> {
  await settle(page, async () => {
    await page.getByRole('button', { name: /^Examples/ }).click();
    await page.click(`[data-example="${id}"]`);
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Names the app's page has on window beyond what a blank same-origin document has. */
export async function extraGlobals(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const frame = document.createElement('iframe');
    document.body.appendChild(frame);
    const blank = new Set(Object.getOwnPropertyNames(frame.contentWindow!));
    frame.remove();
    return Object.getOwnPropertyNames(window).filter((k) => !blank.has(k));
  });
}

/**
 * One playground shared by a test file's tests: opened before the first (then `prepare`, if
 * given), closed after the last. Read `.browser` inside the tests.
 */
export function sharedPlayground(baseUrl: string, prepare?: (browser: Browser) => Promise<unknown>): { browser: Browser } {
  const shared = {} as { browser: Browser };
  beforeAll(async () => {
    shared.browser = await openPlayground(baseUrl);
    await prepare?.(shared.browser);
  });
  afterAll(async () => {
    await shared.browser?.close();
  });
  return shared;
}

