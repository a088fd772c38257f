// The views under the cards (the pictures of issue 6: slice, step-lab, cost, tape, swell, steps,
// learn): each is a plugin with an id, a tab title and a component, listed here in tab order.
// The panel shows a tab strip only when at least one view is registered.

import type { FC } from 'react';
import { lazyView } from './lazy.tsx';

export interface ViewPlugin {
  /** The data-view / data-view-tab name. */
  id: string;
  title: string;
  /** Drawn only while its tab is open. It reads the store (the answer, the point) like the cards do. */
  Component: FC;
}

export const VIEWS: ViewPlugin[] = [
  { id: 'slice', title: 'f along a slice', Component: lazyView(() => import('./slice/SliceView.tsx')) },
  { id: 'step-lab', title: 'Step-size lab', Component: lazyView(() => import('./step-lab/StepLabView.tsx')) },
  { id: 'cost', title: 'Cost as n grows', Component: lazyView(() => import('./cost/CostView.tsx')) },
  { id: 'tape', title: 'Tape graph', Component: lazyView(() => import('./tape/TapeView.tsx')) },
  { id: 'swell', title: 'Swell meter', Component: lazyView(() => import('./swell/SwellView.tsx')) },
  { id: 'steps', title: 'Derivation steps', Component: lazyView(() => import('./steps/StepsView.tsx')) },
  { id: 'learn', title: 'Learn', Component: lazyView(() => import('./learn/LearnView.tsx')) },
];
