// The store's slices, one per concern (source, point, wrt, engine options, UI, results), each with
// its actions beside its state. index.ts combines them into the one store.

import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../../src/errors.ts';
import type { Point } from '../../src/point.ts';
import type { Backup } from '../drafts.ts';
import type { GradResponse } from '../../src/run.ts';
import type { EngineAnswer, EngineInfo, ParamInfo, PrepareAnswer } from '../worker/protocol.ts';

export interface SourceSlice {
  source: string;
  setSource: (source: string) => void;
}

export interface PointSlice {
  point: Point;
  /** The main function's parameters as the worker last parsed them. */
  params: ParamInfo[];
  setParamValue: (name: string, value: number | number[]) => void;
}

export interface WrtSlice {
  /** null: every parameter. */
  wrt: string[] | null;
  setWrt: (name: string, on: boolean) => void;
}

export interface OptionsSlice {
  /** Options passed to each engine, keyed by engine id. */
  options: Record<string, Record<string, unknown>>;
  /** Which view each card shows, keyed by engine id (symbolic stage, reverse code or tape). */
  views: Record<string, string>;
  /** Sets an engine option; undefined removes it, so the engine's default applies. */
  setOption: (engine: string, key: string, value: unknown) => void;
  setView: (engine: string, view: string) => void;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** Offer to bring back the work a link or an example replaced. */
  offerBackup?: boolean;
}

export interface UiSlice {
  theme: 'light' | 'dark';
  /** Engine ids in the order the user arranged their cards (engines not listed go last). */
  cardOrder: string[];
  hidden: string[];
  notice: Notice | null;
  /** The work a link or an example replaced, one click away. */
  backup: Backup | null;
  /** The open view tab under the cards (issue 6's pictures), or null. */
  activeView: string | null;
  toggleTheme: () => void;
  moveCard: (id: string, delta: -1 | 1, all: string[]) => void;
  setHidden: (id: string, hidden: boolean) => void;
  setNotice: (notice: Notice | null) => void;
  setBackup: (backup: Backup | null) => void;
  setActiveView: (view: string | null) => void;
}

/** An engine's latest answer together with what it was computed for (point, wrt, reference). */
export interface CardResult {
  result: EngineAnswer;
  response: GradResponse;
}

export interface ResultsSlice {
  /** The registered engines, from the worker; null until it has answered. */
  engines: EngineInfo[] | null;
  /** The current state's prepared function; its outcome.engines fills in as each engine answers. */
  answer: PrepareAnswer | null;
  /** Each engine's latest answer, kept on screen (dimmed) while a newer one is computed. */
  shown: Record<string, CardResult>;
  /** The engines whose answer in `shown` is for the current state. */
  done: string[];
  /** A failure of the whole run (the time budget, a crashed worker); the cards show it. */
  failure: ErrorInfo | null;
  /** A request is waiting or running for the current state. */
  pending: boolean;
  /** Numbers the states that needed computing; `settled` is the last one whose every card is done. */
  scheduled: number;
  settled: number;
  /** The engines of the settled state whose timings are being taken again, at length, in the background. */
  settling: string[];
}

export type State = SourceSlice & PointSlice & WrtSlice & OptionsSlice & UiSlice & ResultsSlice;
type Slice<T> = StateCreator<State, [], [], T>;

export const sourceSlice: Slice<SourceSlice> = (set) => ({
  source: '',
  setSource: (source) => set({ source }),
});

export const pointSlice: Slice<PointSlice> = (set) => ({
  point: {},
  params: [],
  setParamValue: (name, value) => set((s) => ({ point: { ...s.point, [name]: value } })),
});

export const wrtSlice: Slice<WrtSlice> = (set) => ({
  wrt: null,
  setWrt: (name, on) =>
    set((s) => {
      const names = s.params.map((p) => p.name);
      const current = s.wrt ?? names;
      const next = on ? names.filter((n) => n === name || current.includes(n)) : current.filter((n) => n !== name);
      return { wrt: next };
    }),
});

export const optionsSlice: Slice<OptionsSlice> = (set) => ({
  options: {},
  views: {},
  setOption: (engine, key, value) =>
    set((s) => {
      const mine = { ...(s.options[engine] ?? {}) };
      if (value === undefined) delete mine[key];
      else mine[key] = value;
      const options = { ...s.options, [engine]: mine };
      if (Object.keys(mine).length === 0) delete options[engine];
      return { options };
    }),
  setView: (engine, view) => set((s) => ({ views: { ...s.views, [engine]: view } })),
});

export const uiSlice: Slice<UiSlice> = (set) => ({
  theme: 'light',
  cardOrder: [],
  hidden: [],
  notice: null,
  backup: null,
  activeView: null,
  toggleTheme: () => set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' })),
  moveCard: (id, delta, all) =>
    set((s) => {
      const order = orderedIds(all, s.cardOrder);
      const i = order.indexOf(id);
      // Step over hidden cards, so a move always changes what the user sees.
      let j = i + delta;
      while (j >= 0 && j < order.length && s.hidden.includes(order[j])) j += delta;
      if (i < 0 || j < 0 || j >= order.length) return {};
      [order[i], order[j]] = [order[j], order[i]];
      return { cardOrder: order };
    }),
  setHidden: (id, hidden) => set((s) => ({ hidden: hidden ? [...new Set([...s.hidden, id])] : s.hidden.filter((h) => h !== id) })),
  setNotice: (notice) => set({ notice }),
  setBackup: (backup) => set({ backup }),
  setActiveView: (activeView) => set({ activeView }),
});

export const resultsSlice: Slice<ResultsSlice> = () => ({
  engines: null,
  answer: null,
  shown: {},
  done: [],
  failure: null,
  pending: false,
  scheduled: 0,
  settled: 0,
  settling: [],
});

/** Every engine id once: the user's order first, then the registry's order for the rest. */
export function orderedIds(all: string[], preferred: string[]): string[] {
  return [...preferred.filter((id) => all.includes(id)), ...all.filter((id) => !preferred.includes(id))];
}
