// Generated source, read-only: highlighted with Monaco's own tokenizer once Monaco has loaded (plain
// text until then), with a copy button.

import { useEffect, useState } from 'react';
import { CopyButton } from './CopyButton.tsx';

export function CodeBlock({ code, label, title }: { code: string; label: string; title?: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setHtml(null);
    import('../editor/monaco-setup.ts')
      .then((m) => m.colorize(code))
      .then((h) => { if (live) setHtml(h); })
      .catch(() => { /* stays plain text */ });
    return () => { live = false; };
  }, [code]);
  return (
    <div className="code-block">
      <div className="code-head">
        {title && <h3>{title}</h3>}
        <CopyButton text={code} label={`Copy ${label}`} />
      </div>
      {html === null ? (
        <pre className="code" tabIndex={0} aria-label={label}><code>{code}</code></pre>
      ) : (
        <pre className="code" tabIndex={0} aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </div>
  );
}
