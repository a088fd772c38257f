// The header: the name, the examples gallery, Share (copies the permalink) and the theme toggle.

import { useEffect, useRef, useState } from 'react';
import { EXAMPLES } from '../examples.ts';
import { currentPermalink, loadExample, restoreBackup } from '../persist.ts';
import { useStore } from '../store/index.ts';
import { copyText } from './CopyButton.tsx';

export function Header() {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">∂</span>
        <h1>ddx</h1>
        <span className="tagline">five ways to differentiate, side by side</span>
      </div>
      <nav className="actions" aria-label="Playground">
        <ExamplesMenu />
        <ShareButton />
        <ThemeToggle />
      </nav>
    </header>
  );
}

function ExamplesMenu() {
  const [open, setOpen] = useState(false);
  const backup = useStore((s) => s.backup);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { setOpen(false); button.current?.focus(); }
    };
    const onClick = (e: MouseEvent) => { if (!root.current?.contains(e.target as Node)) setOpen(false); };
    addEventListener('keydown', onKey);
    addEventListener('mousedown', onClick);
    root.current?.querySelector<HTMLButtonElement>('.example-item')?.focus();
    return () => { removeEventListener('keydown', onKey); removeEventListener('mousedown', onClick); };
  }, [open]);

  return (
    <div className="menu" ref={root}>
      <button ref={button} type="button" className="button" aria-haspopup="true" aria-expanded={open} aria-controls="examples-menu" onClick={() => setOpen(!open)}>
        Examples <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div id="examples-menu" className="menu-panel" role="region" aria-label="Examples">
          {backup && (
            <button type="button" className="example-item backup-item" data-backup onClick={() => { restoreBackup(); setOpen(false); }}>
              <span className="example-title">↶ Your previous work</span>
              <span className="example-lesson">What you had before {backup.reason === 'link' ? 'you opened a link' : 'you loaded an example'}; the current work takes its place here.</span>
            </button>
          )}
          <ul>
            {EXAMPLES.map((e) => (
              <li key={e.id}>
                <button type="button" className="example-item" data-example={e.id} onClick={() => { loadExample(e); setOpen(false); button.current?.focus(); }}>
                  <span className="example-title">{e.title}</span>
                  <span className="example-lesson">{e.lesson}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function ShareButton() {
  const [message, setMessage] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const onClick = async () => {
    const url = `${location.origin}${location.pathname}${location.search}${currentPermalink()}`;
    if (await copyText(url)) {
      setLink(null);
      setMessage('Link copied');
      setTimeout(() => setMessage(null), 2000);
    } else {
      setLink(url);
      setMessage(null);
    }
  };
  return (
    <div className="share">
      <button type="button" className="button primary" data-share onClick={onClick}>Share</button>
      <span className="share-status" role="status" aria-live="polite">{message}</span>
      {link && (
        <div className="share-fallback">
          <label>
            Copy this link:
            <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} autoFocus />
          </label>
          <button type="button" className="button" onClick={() => setLink(null)}>Close</button>
        </div>
      )}
    </div>
  );
}

function ThemeToggle() {
  const theme = useStore((s) => s.theme);
  const toggle = useStore((s) => s.toggleTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="button icon" onClick={toggle} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} data-theme-toggle>
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
