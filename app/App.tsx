// The page: header, notices, the editor with the point under it on the left, the results on the
// right, and the views (pictures) below.

import { useEffect } from 'react';
import { EditorPane } from './components/EditorPane.tsx';
import { Header } from './components/Header.tsx';
import { NoticeBar } from './components/NoticeBar.tsx';
import { ParamControls } from './components/ParamControls.tsx';
import { Results } from './components/Results.tsx';
import { ViewsPanel } from './components/ViewsPanel.tsx';
import { useStore } from './store/index.ts';

export function App() {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <a className="skip-link" href="#results">Skip to the results</a>
      <Header />
      <NoticeBar />
      <main className="layout">
        <div className="left">
          <EditorPane />
          <ParamControls />
        </div>
        <div className="right" id="results" tabIndex={-1}>
          <Results />
        </div>
      </main>
      <ViewsPanel />
    </div>
  );
}
