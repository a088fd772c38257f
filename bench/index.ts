// `npm run bench`: runs every bench module in bench/ (each *.ts here but this one), one after the
// other. A module exports its runner as the default export or as a named function; modules written
// by others are found by looking, so the runner works whichever of them exist.

import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
/** Run first when present; the rest follow in name order. */
const FIRST = ['ad-speed.ts'];

type Runner = () => unknown;

function runnerOf(mod: Record<string, unknown>): Runner | undefined {
  if (typeof mod.default === 'function') return mod.default as Runner;
  for (const name of ['run', 'main', 'bench']) if (typeof mod[name] === 'function') return mod[name] as Runner;
  const fns = Object.values(mod).filter((v): v is Runner => typeof v === 'function');
  return fns.length === 1 ? fns[0] : undefined;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .sort((a, b) => (FIRST.includes(b) ? 1 : 0) - (FIRST.includes(a) ? 1 : 0) || a.localeCompare(b))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));
  const started = performance.now();
  let failed = 0;
  for (const file of files) {
    console.log(`\n=== bench/${file} ${'='.repeat(Math.max(0, 60 - file.length))}\n`);
    try {
      const mod = (await import(pathToFileURL(join(here, file)).href)) as Record<string, unknown>;
      const run = runnerOf(mod);
      if (!run) {
        console.log(`(bench/${file} exports no runner: a default export or a function named run, main or bench)`);
        continue;
      }
      const out = await run();
      if (typeof out === 'string') console.log(out);
    } catch (err) {
      failed++;
      console.log(`bench/${file} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
  console.log(`\nbench: ${files.length} module${files.length === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}`);
  if (failed) process.exitCode = 1;
}

await main();
