// The `ddx` command line: `ddx grad` for one function, `ddx batch` for a JSON-lines file.
// Exit codes: 0 success, 1 a problem with the user's input, 2 bad usage.

import { readFileSync } from 'node:fs';
import { ENGINES } from '../engines/registry.ts';
import { isError, runGradient, type GradRequest } from '../run.ts';
import { formatTable } from './table.ts';

const USAGE = `usage:
  ddx grad FILE|- --at JSON|@FILE [--wrt a,b] [--engines id,id] [--manual FILE] [--option engine.key=value] [--json] [--time]
  ddx batch FILE.jsonl|-      one JSON object per line: {"source", "at", "wrt"?, "engines"?, "options"?}

engines: ${'manual, numeric, symbolic, reverse, forward'}
exit codes: 0 success, 1 a problem with the input, 2 bad usage`;

class UsageError extends Error {}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, 'utf8'),
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'grad') return grad(rest, io);
    if (command === 'batch') return batch(rest, io);
    if (command === 'help' || command === '--help' || command === '-h' || command === undefined) {
      (command === undefined ? io.stderr : io.stdout)(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${command}`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ddx: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

function readText(path: string, io: Io): string {
  if (path === '-') return io.readStdin();
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}

interface GradFlags {
  file?: string;
  at?: string;
  wrt?: string[];
  engines?: string[];
  manual?: string;
  options: Record<string, Record<string, unknown>>;
  json: boolean;
  time: boolean;
}

function parseFlags(args: string[]): GradFlags {
  const flags: GradFlags = { options: {}, json: false, time: false };
  const value = (i: number, name: string) => {
    if (i >= args.length) throw new UsageError(`${name} needs a value`);
    return args[i];
  };
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') flags.json = true;
    else if (a === '--time') flags.time = true;
    else if (a === '--at') flags.at = value(++i, a);
    else if (a === '--wrt') flags.wrt = list(value(++i, a));
    else if (a === '--engines') flags.engines = list(value(++i, a));
    else if (a === '--manual') flags.manual = value(++i, a);
    else if (a === '--option') {
      const m = /^(\w+)\.(\w+)=(.*)$/.exec(value(++i, a));
      if (!m) throw new UsageError('--option takes engine.key=value, as in --option numeric.method=central');
      let v: unknown = m[3];
      try { v = JSON.parse(m[3]); } catch { /* a bare word stays a string */ }
      (flags.options[m[1]] ??= {})[m[2]] = v;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (flags.file === undefined) flags.file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  return flags;
}

function checkEngines(ids: string[] | undefined): void {
  if (!ids) return;
  const known = ENGINES.map((e) => e.id as string);
  for (const id of ids) if (!known.includes(id)) throw new UsageError(`unknown engine ${id}; the engines are ${known.join(', ') || '(none registered)'}`);
}

function grad(args: string[], io: Io): number {
  const flags = parseFlags(args);
  if (flags.file === undefined) throw new UsageError('grad needs a FILE (or - for standard input)');
  if (flags.at === undefined) throw new UsageError('grad needs --at with the point, as in --at \'{"x": 2}\'');
  checkEngines(flags.engines);
  const source = readText(flags.file, io);
  const atText = flags.at.startsWith('@') ? readText(flags.at.slice(1), io) : flags.at;
  let at: unknown;
  try {
    at = JSON.parse(atText);
  } catch (err) {
    const outcome = { error: { kind: 'input', message: `--at is not valid JSON: ${(err as Error).message}`, line: null, column: null } };
    io.stdout(flags.json ? JSON.stringify(outcome) + '\n' : `error (input): ${outcome.error.message}\n`);
    return 1;
  }
  if (flags.manual !== undefined) (flags.options.manual ??= {}).source = readText(flags.manual, io);
  const request: GradRequest = { source, at, wrt: flags.wrt, engines: flags.engines, options: flags.options, time: flags.time };
  const outcome = runGradient(request);
  if (flags.json) io.stdout(JSON.stringify(outcome, jsonNumbers) + '\n');
  else io.stdout(formatTable(outcome));
  return isError(outcome) ? 1 : 0;
}

function batch(args: string[], io: Io): number {
  if (args.length !== 1) throw new UsageError('batch needs exactly one FILE.jsonl (or - for standard input)');
  const text = readText(args[0], io);
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    io.stdout(JSON.stringify(batchLine(line, i + 1), jsonNumbers) + '\n');
  });
  return 0;
}

function batchLine(line: string, lineNumber: number): unknown {
  const inputError = (message: string) => ({ error: { kind: 'input', message: `batch line ${lineNumber}: ${message}`, line: null, column: null } });
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(line);
  } catch (err) {
    return inputError(`not valid JSON: ${(err as Error).message}`);
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return inputError('must be a JSON object');
  if (typeof request.source !== 'string') return inputError('needs "source", a string');
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (request.wrt !== undefined && !strings(request.wrt)) return inputError('"wrt" must be a list of parameter names');
  if (request.engines !== undefined && !strings(request.engines)) return inputError('"engines" must be a list of engine ids');
  return runGradient({
    source: request.source,
    at: request.at,
    wrt: request.wrt as string[] | undefined,
    engines: request.engines as string[] | undefined,
    options: (request.options ?? {}) as Record<string, Record<string, unknown>>,
    time: request.time === true,
  });
}

/** JSON has no NaN or Infinity: write them as strings so a reader sees what happened. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
