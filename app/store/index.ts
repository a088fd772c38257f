// The one zustand store, made of the slices in slices.ts, plus the actions that span slices
// (loading a whole shared state at once).

import { createStore } from 'zustand/vanilla';
import { useStore as useZustand } from 'zustand';
import type { SharedState } from '../permalink.ts';
import type { ParamInfo } from '../worker/protocol.ts';
import { optionsSlice, pointSlice, resultsSlice, sourceSlice, uiSlice, wrtSlice, type State } from './slices.ts';

export type { State } from './slices.ts';

export const store = createStore<State>()((...a) => ({
  ...sourceSlice(...a),
  ...pointSlice(...a),
  ...wrtSlice(...a),
  ...optionsSlice(...a),
  ...uiSlice(...a),
  ...resultsSlice(...a),
}));

export function useStore<T>(selector: (state: State) => T): T {
  return useZustand(store, selector);
}

/** The shareable part of the current state. */
export function sharedState(s: State = store.getState()): SharedState {
  return { source: s.source, point: s.point, wrt: s.wrt, options: s.options, views: s.views };
}

/** Replaces the shareable state at once (an example, a link, a draft). */
export function loadShared(state: SharedState): void {
  store.setState({
    source: state.source,
    point: state.point,
    wrt: state.wrt,
    options: state.options,
    views: state.views,
    params: paramsFromPoint(state.point),
  });
}

/** A first guess at the parameters from a point alone, until the worker has parsed the source. */
export function paramsFromPoint(point: SharedState['point']): ParamInfo[] {
  return Object.entries(point).map(([name, v]) => ({ name, type: Array.isArray(v) ? 'arr' : 'num' }));
}
