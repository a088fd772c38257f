// Views load on first open, in their own chunk (uPlot, dagre and the views' code stay out of the
// app shell); each waits behind its own Suspense boundary.

import { lazy, Suspense, type ComponentType, type FC } from 'react';

export function lazyView(load: () => Promise<{ default: ComponentType }>): FC {
  const Lazy = lazy(load);
  return function LazyView() {
    return (
      <Suspense fallback={<p className="muted view-loading">Loading the picture…</p>}>
        <Lazy />
      </Suspense>
    );
  };
}
