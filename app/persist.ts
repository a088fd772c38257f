// Where the state comes from at start (a link, else the saved draft, else the first example) and
// where it goes as the user works (the draft in localStorage, the permalink in the URL hash via
// replaceState). A link never silently replaces the saved draft: the draft is set aside, one click away.

import { decodeHash, encodePermalink, MAX_HASH_LENGTH, sameState, stableJson, type SharedState } from './permalink.ts';
import { loadBackup, loadDraft, loadPrefs, saveBackup, saveDraft, savePrefs, type Backup } from './drafts.ts';
import { FIRST_EXAMPLE, EXAMPLES, type Example } from './examples.ts';
import { loadShared, sharedState, store } from './store/index.ts';

const SAVE_DEBOUNCE_MS = 300;

/** Sets up the store from the link, the draft and the preferences. Call once, before the first render. */
export function boot(): void {
  const prefs = loadPrefs();
  const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  store.setState({
    theme: prefs.theme ?? (prefersDark ? 'dark' : 'light'),
    cardOrder: prefs.cardOrder ?? [],
    hidden: prefs.hidden ?? [],
    backup: loadBackup(),
  });
  const draft = loadDraft();
  loadShared(draft ?? FIRST_EXAMPLE);
  openLink(location.hash);
  writeHash();
}

/** Opens a link over the current work: on success the work is set aside; on failure it stays. */
export function openLink(hash: string): void {
  const link = decodeHash(hash);
  if (link === null) return;
  if (!link.ok) {
    store.getState().setNotice({ kind: 'error', text: link.message });
    return;
  }
  const current = sharedState();
  if (sameState(current, link.state)) return;
  if (!isUntouchedExample(current)) setAside(current, 'link');
  loadShared(link.state);
  store.getState().setNotice({
    kind: 'info',
    text: link.form === 'plain' ? 'Opened a hand-written link.' : 'Opened a shared link.',
    offerBackup: store.getState().backup?.reason === 'link',
  });
}

export function loadExample(example: Example): void {
  const current = sharedState();
  if (!isUntouchedExample(current)) setAside(current, 'example');
  loadShared(example);
  store.getState().setNotice(null);
}

/** Swaps the current work with the work that was set aside, so the swap itself is undoable. */
export function restoreBackup(): void {
  const backup = store.getState().backup;
  if (!backup) return;
  const current = sharedState();
  const next: Backup | null = isUntouchedExample(current) ? null : { state: current, reason: backup.reason, savedAt: Date.now() };
  store.getState().setBackup(next);
  saveBackup(next);
  loadShared(backup.state);
  store.getState().setNotice(null);
}

function setAside(state: SharedState, reason: Backup['reason']): void {
  const backup: Backup = { state, reason, savedAt: Date.now() };
  store.getState().setBackup(backup);
  saveBackup(backup);
}

/** An example nobody has edited is one click away in the gallery anyway: no need to keep it. */
function isUntouchedExample(state: SharedState): boolean {
  return EXAMPLES.some((e) => sameState(e, state));
}

export function currentPermalink(): string {
  return encodePermalink(sharedState());
}

function writeHash(): void {
  const hash = currentPermalink();
  // A state too big for a link still saves as a draft; the hash keeps the last one that fit.
  if (hash.length - 1 > MAX_HASH_LENGTH) return;
  if (location.hash !== hash) history.replaceState(history.state, '', hash);
}

/** Saves the draft and keeps the hash current as the state changes; returns a stop function. */
export function startPersisting(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastShared = stableJson(sharedState());
  let lastPrefs = '';
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    saveDraft(sharedState());
    writeHash();
  };
  const unsubscribe = store.subscribe((s) => {
    const shared = stableJson(sharedState(s));
    if (shared !== lastShared) {
      lastShared = shared;
      clearTimeout(timer);
      timer = setTimeout(flush, SAVE_DEBOUNCE_MS);
    }
    const prefs = JSON.stringify([s.theme, s.cardOrder, s.hidden]);
    if (prefs !== lastPrefs) {
      lastPrefs = prefs;
      savePrefs({ theme: s.theme, cardOrder: s.cardOrder, hidden: s.hidden });
    }
  });
  const onPageHide = () => { if (timer !== undefined) flush(); };
  const onHashChange = () => openLink(location.hash);
  addEventListener('pagehide', onPageHide);
  addEventListener('hashchange', onHashChange);
  saveDraft(sharedState());
  return () => {
    unsubscribe();
    removeEventListener('pagehide', onPageHide);
    removeEventListener('hashchange', onHashChange);
  };
}
