// The engine registry: the one list of engines, in card order. Adding an engine is adding a line.

import type { Engine, EngineId } from './types.ts';
import { manualEngine } from './manual/index.ts';
import { numericEngine } from './numeric/index.ts';
import { symbolicEngine } from './symbolic/index.ts';
import { reverseEngine } from './reverse/index.ts';
import { forwardEngine } from './forward/index.ts';

export const ENGINES: Engine[] = [
  manualEngine,
  numericEngine,
  symbolicEngine,
  reverseEngine,
  forwardEngine,
];

export function engineById(id: string): Engine | undefined {
  return ENGINES.find((e) => e.id === id);
}

export function engineIds(): EngineId[] {
  return ENGINES.map((e) => e.id);
}
