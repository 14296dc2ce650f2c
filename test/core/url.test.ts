import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../../src/core/request.js';
import { baseUrlText, parseBaseUrl, publicUrl, resolveUrl } from '../../src/core/url.js';
import { LINEAR_BOUND_MS, LONG_RUN, millisecondsOf } from '../support/linear-time.js';

/** The join as WHATWG URL setters do it, one step at a time: what `resolveUrl` must equal. */
function bySetters(base: URL, path: string, query: Record<string, QueryValue> | undefined): string {
  let url: URL;
  if (/^[a-z][a-z\d+.-]*:/i.test(path) || path.startsWith('//')) {
    url = new URL(path, base);
  } else {
    url = new URL(base.href);
    const at = path.indexOf('?');
    const pathname = at < 0 ? path : path.slice(0, at);
    url.pathname = `${base.pathname.replace(/\/+$/, '')}/${pathname.replace(/^\/+/, '')}`;
    if (at >= 0) url.search = path.slice(at + 1);
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url.href;
}

const BASES = ['https://pce.example.com', 'https://pce.example.com/', 'https://h.example.com:8443/api/v2/', 'http://127.0.0.1:4010/base//'];
const PATHS = [
  '',
  '/api/v1/events',
  'events/list',
  '//events',
  '/event/6a3e%2Fb52/events/list',
  '/orgs/1/events?max_results=10',
  '/a b/ü/[x]',
  '/path#fragment',
  '/a\\b/../c',
  '/x/%2e%2e/y',
  '/search?',
  'https://pce.example.com/other?x=1',
];
const QUERIES: Array<Record<string, QueryValue> | undefined> = [
  undefined,
  {},
  { pageSize: 100, startTimestamp: '2026-10-01T00:00:00.000Z' },
  { 'timestamp[gte]': '2026-11-01T00:00:00Z', empty: '', skip: undefined, none: null },
  { ids: [1, 2, 'a b&c'], flag: true, text: "é+/?#!'()*~" },
];

describe('resolveUrl', () => {
  it('joins a path and a query onto the base URL as the URL setters do, parsing once', () => {
    for (const baseText of BASES) {
      const base = parseBaseUrl(baseText, false);
      for (const path of PATHS) {
        for (const query of QUERIES) {
          expect(resolveUrl(base, path, query).href, `${baseText} + ${path} + ${JSON.stringify(query)}`).toBe(bySetters(base, path, query));
        }
      }
    }
  });

  it('writes any query text as URLSearchParams does (property)', () => {
    const base = parseBaseUrl('https://h.example.com/api/', false);
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...' !\'()*~-._%+&=?#/:;,@$[]é\ud800') }));
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer(), fc.boolean())), (query) => {
        const expected = new URL('https://h.example.com/api/events');
        for (const [key, value] of Object.entries(query)) {
          for (const item of Array.isArray(value) ? value : [value]) expected.searchParams.append(key, String(item));
        }
        expect(resolveUrl(base, '/events', query).href).toBe(expected.href);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the base path, collapses the slashes between it and the path, and writes the query form-encoded', () => {
    const base = parseBaseUrl('https://h.example.com/api/v2/', false);
    expect(resolveUrl(base, '/events', { q: 'a b', n: 1 }).href).toBe('https://h.example.com/api/v2/events?q=a+b&n=1');
    expect(resolveUrl(base, 'events', { skip: undefined }).href).toBe('https://h.example.com/api/v2/events');
    expect(resolveUrl(base, '/events?page=2', { per_page: 50 }).href).toBe('https://h.example.com/api/v2/events?page=2&per_page=50');
  });
});

describe('a base URL of long runs of slashes or white space', () => {
  // Each slash or space of a run inside the text was tried again to the run's end as its last: 200,000
  // took half a minute, at the factory's first look at the option and at every request.
  it('is trimmed in time linear in its length', () => {
    const text = `https://h.example.com/a${' '.repeat(LONG_RUN)}b `;
    let trimmed: unknown;
    expect(millisecondsOf(() => (trimmed = baseUrlText(text)))).toBeLessThan(LINEAR_BOUND_MS);
    expect(trimmed).toBe(text.slice(0, -1));
  });

  it('has a path joined in time linear in its length', () => {
    const base = parseBaseUrl(`https://h.example.com/a${'/'.repeat(LONG_RUN)}b/`, false);
    let url: URL | undefined;
    expect(millisecondsOf(() => (url = resolveUrl(base, '/events', undefined)))).toBeLessThan(LINEAR_BOUND_MS);
    expect(url?.pathname).toBe(`${base.pathname}events`);
  });
});

describe('a query written in the path', () => {
  it('is sent as written when no parameter is added: a next link the vendor encoded its own way is not re-encoded', () => {
    const base = parseBaseUrl('https://h.example.com/api/v2', false);
    expect(resolveUrl(base, '/events?q=a%20b&t=x~y', undefined).href).toBe('https://h.example.com/api/v2/events?q=a%20b&t=x~y');
    expect(resolveUrl(base, '/events?q=a%20b', { skip: undefined }).href).toBe('https://h.example.com/api/v2/events?q=a%20b');
  });
});

describe('publicUrl', () => {
  it('drops user info, a password alone included', () => {
    expect(publicUrl('https://:s3cret@h.example.com/events')).toBe('https://h.example.com/events');
    expect(publicUrl(new URL('https://user:s3cret@h.example.com/events'))).toBe('https://h.example.com/events');
  });
});

describe('parseBaseUrl', () => {
  it('refuses a password given without a user, without repeating it', () => {
    expect(() => parseBaseUrl('https://:s3cret@h.example.com/api', false)).toThrow(/must not contain credentials/);
    expect(() => parseBaseUrl('https://:s3cret@h.example.com/api', false)).not.toThrow(/s3cret/);
  });

  it('drops the query and fragment of a copied link: no request carries them, and every path joins the base path', () => {
    const base = parseBaseUrl('https://h.example.com/api/v2?org=1#/home', false);
    expect(base.href).toBe('https://h.example.com/api/v2');
    expect(resolveUrl(base, 'events', { max: 5 }).href).toBe('https://h.example.com/api/v2/events?max=5');
  });
});
