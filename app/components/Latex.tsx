// LaTeX rendered with KaTeX. A formula KaTeX cannot typeset shows as its source, never as an error.

import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

export function Latex({ tex, display = false, className }: { tex: string; display?: boolean; className?: string }) {
  const html = useMemo(() => {
    try {
      return katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: 'ignore', maxSize: 50, maxExpand: 2000 });
    } catch {
      return null;
    }
  }, [tex, display]);
  if (html === null) return <code className={className}>{tex}</code>;
  return <span className={`latex ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
