// The tab strip for the views under the cards (app/views/registry.ts). Each tab carries
// data-view-tab="<id>" and its panel data-view="<id>"; only the open view is drawn.

import type { KeyboardEvent } from 'react';
import { useStore } from '../store/index.ts';
import { VIEWS } from '../views/registry.ts';

export function ViewsPanel() {
  const active = useStore((s) => s.activeView);
  const setActive = useStore((s) => s.setActiveView);
  if (VIEWS.length === 0) return null;
  const current = VIEWS.find((v) => v.id === active) ?? null;
  const onKeyDown = (e: KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length];
    setActive(next.id);
    document.getElementById(`view-tab-${next.id}`)?.focus();
  };
  return (
    <section className="views" aria-label="Pictures">
      <div className="view-tabs" role="tablist" aria-label="Pictures of how each method works">
        {VIEWS.map((v, i) => (
          <button
            key={v.id}
            id={`view-tab-${v.id}`}
            type="button"
            role="tab"
            className="view-tab"
            aria-selected={v.id === current?.id}
            aria-controls={`view-panel-${v.id}`}
            tabIndex={v.id === current?.id || (current === null && i === 0) ? 0 : -1}
            data-view-tab={v.id}
            onClick={() => setActive(v.id === current?.id ? null : v.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {v.title}
          </button>
        ))}
      </div>
      {current && (
        <div id={`view-panel-${current.id}`} role="tabpanel" aria-labelledby={`view-tab-${current.id}`} className="view-panel" data-view={current.id}>
          <current.Component />
        </div>
      )}
    </section>
  );
}
