// Permalinks: the v1 round trip, the hand-written plain form, and every kind of bad link (garbled,
// truncated, oversized, unknown version) turned into a message instead of an exception.

import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { decodeHash, encodePermalink, MAX_HASH_LENGTH, MAX_SOURCE_LENGTH, sameState, type SharedState } from '../../app/permalink.ts';
import { MAX_SOURCE_LENGTH as PARSER_LIMIT } from '../../src/lang/parse.ts';

const state: SharedState = {
  source: 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n',
  point: { x: 2, y: 1, z: [1, -2.5, 1e-300] },
  wrt: ['x'],
  options: { numeric: { method: 'five-point', h: 0.001 } },
  views: { symbolic: 'cse', reverse: 'tape' },
};

describe('v1 links', () => {
  it('round-trip the whole shared state', () => {
    const hash = encodePermalink(state);
    expect(hash.startsWith('#v1/')).toBe(true);
    const back = decodeHash(hash);
    expect(back).toEqual({ ok: true, form: 'v1', state });
  });

  it('round-trip wrt = null (every parameter) and empty options', () => {
    const s = { ...state, wrt: null, options: {}, views: {} };
    expect(decodeHash(encodePermalink(s))).toEqual({ ok: true, form: 'v1', state: s });
  });

  it('use only URL-safe characters', () => {
    expect(encodePermalink(state)).toMatch(/^#v1\/[A-Za-z0-9+\-$]*$/);
  });

  it('refuse a truncated link with a message', () => {
    const hash = encodePermalink(state);
    for (const cut of [5, 20, Math.floor(hash.length / 2), hash.length - 3]) {
      const r = decodeHash(hash.slice(0, cut));
      expect(r?.ok, `cut at ${cut}`).toBe(false);
      if (r && !r.ok) expect(r.message).toMatch(/could not be opened.*Your current work is unchanged/s);
    }
  });

  it('refuse garbled text', () => {
    for (const body of ['!!!!', 'hello world', '%E0%A4%A', 'AAAAAAAAAAAAAAAAAAAAAAAA']) {
      const r = decodeHash(`#v1/${body}`);
      expect(r?.ok, body).toBe(false);
    }
  });

  it('refuse state of the wrong shape', () => {
    const enc = (o: unknown) => `#v1/${LZString.compressToEncodedURIComponent(JSON.stringify(o))}`;
    expect(decodeHash(enc([1, 2]))).toMatchObject({ ok: false });
    expect(decodeHash(enc({ source: 5, at: {} }))).toMatchObject({ ok: false, message: expect.stringMatching(/no source text/) });
    expect(decodeHash(enc({ source: 'x', at: { x: 'alert(1)' } }))).toMatchObject({ ok: false, message: expect.stringMatching(/neither a number nor an array/) });
    expect(decodeHash(enc({ source: 'x', at: {}, options: { numeric: { method: { evil: 1 } } } }))).toMatchObject({ ok: false });
    expect(decodeHash(enc({ source: 'x', at: {}, wrt: 'x' }))).toMatchObject({ ok: false });
  });

  it('refuse an unknown version, naming it', () => {
    const r = decodeHash(encodePermalink(state).replace('#v1/', '#v2/'));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/format v2/) });
  });

  it('refuse an oversized link before decompressing it', () => {
    const r = decodeHash(`#v1/${'A'.repeat(MAX_HASH_LENGTH + 1)}`);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/characters long/) });
  });

  it('refuse a source over the parser limit', () => {
    const r = decodeHash(encodePermalink({ ...state, source: 'x'.repeat(MAX_SOURCE_LENGTH + 1) }));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/ddx accepts up to/) });
  });

  it('share the parser limit (repeated in app/permalink.ts so the page does not load the parser)', () => {
    expect(MAX_SOURCE_LENGTH).toBe(PARSER_LIMIT);
  });
});

describe('the plain form', () => {
  it('reads src, at and wrt', () => {
    const hash = `#src=${encodeURIComponent('x^2 + 3*x*y')}&at=${encodeURIComponent('{"x":2,"y":1}')}&wrt=y`;
    expect(decodeHash(hash)).toEqual({ ok: true, form: 'plain', state: { source: 'x^2 + 3*x*y', point: { x: 2, y: 1 }, wrt: ['y'], options: {}, views: {} } });
  });

  it('keeps a raw + and && as typed by hand', () => {
    const r = decodeHash('#src=x>0&&y>0 ? x+y : 0&at={"x":1,"y":2}');
    expect(r).toMatchObject({ ok: true, state: { source: 'x>0&&y>0 ? x+y : 0', point: { x: 1, y: 2 }, wrt: null } });
  });

  it('allows at and wrt to be left out', () => {
    expect(decodeHash('#src=sin(x)')).toMatchObject({ ok: true, state: { source: 'sin(x)', point: {}, wrt: null } });
  });

  it('refuses bad JSON in at, bad encoding and a missing src', () => {
    expect(decodeHash('#src=x&at={x:1}')).toMatchObject({ ok: false, message: expect.stringMatching(/at= is not JSON/) });
    expect(decodeHash('#src=%E0%A4%A&at={}')).toMatchObject({ ok: false, message: expect.stringMatching(/URI encoding/) });
    expect(decodeHash('#at={"x":1}')).toMatchObject({ ok: false, message: expect.stringMatching(/no src=/) });
  });
});

describe('other hashes', () => {
  it('treat an empty hash as no link, and anything else as a bad one', () => {
    expect(decodeHash('')).toBeNull();
    expect(decodeHash('#')).toBeNull();
    expect(decodeHash('#hello')).toMatchObject({ ok: false });
  });

  it('compare states regardless of key order', () => {
    const reordered: SharedState = { ...state, point: { z: [1, -2.5, 1e-300], y: 1, x: 2 }, options: { numeric: { h: 0.001, method: 'five-point' } } };
    expect(sameState(state, reordered)).toBe(true);
    expect(sameState(state, { ...state, wrt: ['y'] })).toBe(false);
  });
});
