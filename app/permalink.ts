// Permalinks: the whitelisted, shareable part of the state (source, point, wrt, engine options and
// card views) in the URL hash. `#v1/<lz-string>` is what Share copies; `#src=...&at=...&wrt=x,y` is
// the plain form a teacher can write by hand. Decoding never throws: a bad link becomes a message.

import LZString from 'lz-string';
import type { Point } from '../src/point.ts';

export interface SharedState {
  source: string;
  point: Point;
  /** null: every parameter. */
  wrt: string[] | null;
  /** Options passed to each engine, keyed by engine id. */
  options: Record<string, Record<string, unknown>>;
  /** Which view each card shows (symbolic stage, reverse code or tape), keyed by engine id. */
  views: Record<string, string>;
}

export const PERMALINK_VERSION = 1;
/**
 * The parser's own limit (src/lang/parse.ts MAX_SOURCE_LENGTH), repeated here because importing the
 * parser would pull acorn and mathjs into the page's first chunk; a unit test keeps the two equal.
 */
export const MAX_SOURCE_LENGTH = 100_000;
/** Longer hashes are refused before decompression: a link must not stall the page. */
export const MAX_HASH_LENGTH = 400_000;
const MAX_ARRAY_LENGTH = 100_000;

export type DecodedLink =
  | { ok: true; form: 'v1' | 'plain'; state: SharedState }
  | { ok: false; message: string };

export function encodePermalink(state: SharedState): string {
  const payload = { source: state.source, at: state.point, wrt: state.wrt, options: state.options, views: state.views };
  return `#v${PERMALINK_VERSION}/${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
}

/** Reads a location hash. Returns null when the hash holds no link at all. */
export function decodeHash(hash: string): DecodedLink | null {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text === '') return null;
  if (text.length > MAX_HASH_LENGTH) {
    return bad(`the link is ${text.length.toLocaleString('en-US')} characters long, over ddx's limit of ${MAX_HASH_LENGTH.toLocaleString('en-US')}`);
  }
  const versioned = /^v(\d+)\/(.*)$/s.exec(text);
  if (versioned) {
    const version = Number(versioned[1]);
    if (version !== PERMALINK_VERSION) {
      return bad(`the link is in format v${version}, which this version of ddx does not know (it reads v${PERMALINK_VERSION} links and the plain #src=...&at=... form)`);
    }
    return decodeV1(versioned[2]);
  }
  if (/^(src|at|wrt)=/.test(text)) return decodePlain(text);
  return bad('the part after # is neither a ddx link (#v1/...) nor the plain form #src=...&at=...&wrt=...');
}

function decodeV1(body: string): DecodedLink {
  if (body === '') return bad('the link is empty after #v1/: it was probably cut off when it was copied');
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(body);
  } catch {
    json = null;
  }
  if (!json) return bad('the link does not decompress: it is garbled or was cut off when it was copied');
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return bad('the link decompresses to something that is not ddx state: it is garbled or was cut off when it was copied');
  }
  if (!isObject(payload)) return bad('the link does not hold ddx state');
  const state = readState(payload.source, payload.at, payload.wrt, payload.options, payload.views);
  return typeof state === 'string' ? bad(state) : { ok: true, form: 'v1', state };
}

function decodePlain(text: string): DecodedLink {
  // Split only at `&key=`, so a hand-written `&&` inside the source survives unencoded.
  const fields: Record<string, string> = {};
  for (const part of text.split(/&(?=(?:src|at|wrt)=)/)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return bad(`the ${key}= part of the link is not valid URI encoding`);
    }
    if (key in fields) return bad(`the link gives ${key}= twice`);
    fields[key] = value;
  }
  if (fields.src === undefined) return bad('the plain link has no src=: write #src=<URI-encoded source>&at=<URI-encoded JSON>&wrt=x,y');
  let at: unknown = {};
  if (fields.at !== undefined && fields.at.trim() !== '') {
    try {
      at = JSON.parse(fields.at);
    } catch {
      return bad(`at= is not JSON: write it as an object such as at=${encodeURIComponent('{"x":2,"y":1}')}`);
    }
  }
  const wrt = fields.wrt === undefined ? null : fields.wrt.split(',').map((s) => s.trim()).filter(Boolean);
  const state = readState(fields.src, at, wrt, {}, {});
  return typeof state === 'string' ? bad(state) : { ok: true, form: 'plain', state };
}

/** Checks every field's shape; returns the state, or what is wrong with it. */
function readState(source: unknown, at: unknown, wrt: unknown, options: unknown, views: unknown): SharedState | string {
  if (typeof source !== 'string') return 'the link has no source text';
  if (source.length > MAX_SOURCE_LENGTH) return `the link's source is ${source.length.toLocaleString('en-US')} characters long; ddx accepts up to ${MAX_SOURCE_LENGTH.toLocaleString('en-US')}`;
  if (!isObject(at)) return 'the point in the link is not an object of parameter values such as {"x": 2}';
  const point: Point = {};
  for (const [name, v] of Object.entries(at)) {
    if (typeof v === 'number' && Number.isFinite(v)) point[name] = v;
    else if (Array.isArray(v) && v.length <= MAX_ARRAY_LENGTH && v.every((x) => typeof x === 'number' && Number.isFinite(x))) point[name] = v.slice();
    else return `the point in the link gives ${name} a value that is neither a number nor an array of numbers`;
  }
  if (wrt !== null && wrt !== undefined && !(Array.isArray(wrt) && wrt.every((w) => typeof w === 'string'))) return 'wrt in the link is not a list of parameter names';
  const cleanOptions: Record<string, Record<string, unknown>> = {};
  if (options !== undefined && options !== null) {
    if (!isObject(options)) return 'the engine options in the link are not an object';
    for (const [engine, opts] of Object.entries(options)) {
      if (!isObject(opts)) return `the options for ${engine} in the link are not an object`;
      const clean: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(opts)) {
        if (['string', 'number', 'boolean'].includes(typeof value)) clean[key] = value;
        else return `the option ${engine}.${key} in the link is not a plain value`;
      }
      cleanOptions[engine] = clean;
    }
  }
  const cleanViews: Record<string, string> = {};
  if (views !== undefined && views !== null) {
    if (!isObject(views)) return 'the card views in the link are not an object';
    for (const [engine, view] of Object.entries(views)) if (typeof view === 'string') cleanViews[engine] = view;
  }
  return { source, point, wrt: (wrt as string[] | null | undefined) ?? null, options: cleanOptions, views: cleanViews };
}

/** A stored state (a draft), checked as strictly as a link; null when it is not one. */
export function checkState(stored: unknown): SharedState | null {
  if (!isObject(stored)) return null;
  const state = readState(stored.source, stored.point, stored.wrt, stored.options, stored.views);
  return typeof state === 'string' ? null : state;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(reason: string): DecodedLink {
  return { ok: false, message: `This link could not be opened: ${reason}. Your current work is unchanged.` };
}

/** Whether two states would show the same thing (used to avoid pointless draft backups). */
export function sameState(a: SharedState, b: SharedState): boolean {
  return stableJson([a.source, a.point, a.wrt, a.options, a.views]) === stableJson([b.source, b.point, b.wrt, b.options, b.views]);
}

/** JSON with object keys sorted, so that key order never makes two equal states differ. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
