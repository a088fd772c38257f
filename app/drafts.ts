// Drafts and preferences in localStorage: the user's current work (saved as they type and restored
// on reload), the work a link or an example replaced (one click away), and UI preferences.
// Storage can be full, disabled or hold junk from an older version: every read and write is guarded.

import { checkState, type SharedState } from './permalink.ts';

const DRAFT_KEY = 'ddx:draft:v1';
const BACKUP_KEY = 'ddx:draft-before:v1';
const PREFS_KEY = 'ddx:prefs:v1';

export interface Backup {
  state: SharedState;
  /** Why it was set aside: shown on the button that brings it back. */
  reason: 'link' | 'example';
  savedAt: number;
}

export interface Prefs {
  theme: 'light' | 'dark';
  cardOrder: string[];
  hidden: string[];
}

function read(key: string): unknown {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Full or disabled storage: the work stays in the page and in the URL hash.
  }
}

export function loadDraft(): SharedState | null {
  return checkState(read(DRAFT_KEY));
}

export function saveDraft(state: SharedState): void {
  write(DRAFT_KEY, state);
}

export function loadBackup(): Backup | null {
  const stored = read(BACKUP_KEY) as Partial<Backup> | null;
  const state = checkState(stored?.state);
  if (!stored || !state) return null;
  return { state, reason: stored.reason === 'example' ? 'example' : 'link', savedAt: Number(stored.savedAt) || 0 };
}

export function saveBackup(backup: Backup | null): void {
  write(BACKUP_KEY, backup);
}

export function loadPrefs(): Partial<Prefs> {
  const stored = read(PREFS_KEY) as Partial<Prefs> | null;
  if (!stored || typeof stored !== 'object') return {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  return {
    theme: stored.theme === 'dark' || stored.theme === 'light' ? stored.theme : undefined,
    cardOrder: strings(stored.cardOrder),
    hidden: strings(stored.hidden),
  };
}

export function savePrefs(prefs: Prefs): void {
  write(PREFS_KEY, prefs);
}
