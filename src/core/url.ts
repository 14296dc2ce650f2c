/**
 * URLs of the pipeline: the base URL's security rules, joining a request path onto it, and the
 * credential-free form that errors and hooks show.
 */
import { invalidOption } from './config.js';
import type { QueryValue } from './request.js';
import { redact } from './redact.js';
import { isSlash, stripEnd, stripEnds } from './strip.js';

/**
 * `localhost`, `127.0.0.0/8` and `::1`: traffic that never leaves the machine. Not `localhost.`: a
 * fully qualified name is not answered by the hosts file but by whatever DNS server the network names.
 * `hostname` is a URL's, which writes an IPv6 address in brackets.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The schemes a base URL's error names. Any text with a colon parses as a URL of the scheme before it,
 * so a password given as the base URL by mistake (swapped variables) had its start up to the colon
 * named; only the URL standard's other special schemes, which a credential spells by chance alone.
 */
const NAMED_SCHEMES: ReadonlySet<string> = new Set(['ftp:', 'ws:', 'wss:', 'file:']);

/**
 * Parses the base URL and enforces DESIGN.md's rule: `https:`, unless the host is loopback or the caller
 * opted in with `allowInsecureHttp`. Credentials in the URL are refused (fetch would refuse them too,
 * later and less clearly); the message never repeats the URL, which may hold one.
 */
export function parseBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean, option = 'baseUrl'): URL {
  const fail = (message: string): never => invalidOption(option, message);
  if (typeof baseUrl !== 'string' && !(baseUrl instanceof URL)) return fail('expected a URL string or a URL');
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    return fail('not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail(`expected an http(s) URL${NAMED_SCHEMES.has(url.protocol) ? `, got "${url.protocol}"` : ''}`);
  }
  if (url.username !== '' || url.password !== '') return fail('must not contain credentials; pass them as options');
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    return fail(
      `https: is required for ${url.hostname} (credentials would travel in clear text); set allowInsecureHttp: true to accept that`,
    );
  }
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * A base URL as text without its query and fragment, which `parseBaseUrl` drops as well, so that a
 * provider can trim the path suffix a copied URL ends in (`/dih-console/api/v1`) from its end: left
 * on, the query or fragment (a console's `#/home`) hid the suffix, and every request went to the
 * suffix twice. A value that is not a string or a `URL` is returned as it is, for `parseBaseUrl` to
 * refuse. The white space and control characters the URL parser strips from the ends go too.
 */
export function baseUrlText(baseUrl: unknown): unknown {
  const text = baseUrl instanceof URL ? baseUrl.href : baseUrl;
  if (typeof text !== 'string') return text;
  return stripEnds(text, isControlOrSpace).replace(/[?#][^]*$/, '');
}

/** What the URL parser strips from the ends of a URL: the C0 controls and the space. */
const isControlOrSpace = (code: number): boolean => code <= 0x20;

/**
 * The base URL without the API path its provider adds to every request, which a URL copied from the
 * vendor's documentation or console ends in: left on, every request went to that path twice and
 * failed with a 404 only once sent. A value that is not a string or a `URL` is returned as it is,
 * for `parseBaseUrl` to refuse.
 */
export function withoutApiPath<T>(baseUrl: T, apiPath: RegExp): T | string {
  const text = baseUrlText(baseUrl);
  return typeof text === 'string' ? text.replace(apiPath, '') : baseUrl;
}

/** `path` is relative to the base URL's own path, or an absolute URL (the caller checks its origin). */
export function resolveUrl(base: URL, path: string, query: Readonly<Record<string, QueryValue>> | undefined): URL {
  if (/^[a-z][a-z\d+.-]*:/i.test(path) || path.startsWith('//')) return withQuery(new URL(path, base), query);
  const [pathname = '', search] = splitOnce(path, '?');
  // The URL's text is built first and parsed once: the `pathname` and `search` setters each parse and
  // serialize the URL again, on the way from one page's body to the next request. A `#`, which would
  // end the path in the text while the setter encodes it, and a query in the path (rare) take the
  // setters' way.
  if (search === undefined && !pathname.includes('#')) {
    // The base has no query or fragment (`parseBaseUrl`): its text ends in its path.
    const text = base.href.slice(0, base.href.length - base.pathname.length) + joinPath(base.pathname, pathname);
    const encoded = formEncoded(query);
    return new URL(encoded === '' ? text : `${text}?${encoded}`);
  }
  const url = new URL(base.href);
  url.pathname = joinPath(base.pathname, pathname);
  if (search !== undefined) url.search = search;
  return withQuery(url, query);
}

function joinPath(basePath: string, path: string): string {
  return `${stripEnd(basePath, isSlash)}/${path.replace(/^\/+/, '')}`;
}

/** Calls `visit` for every parameter of the query that has a value, each item of a list apart. */
function eachParam(query: Readonly<Record<string, QueryValue>> | undefined, visit: (key: string, value: string) => void): void {
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) visit(key, String(item));
  }
}

/**
 * The query as `URLSearchParams` writes it (`application/x-www-form-urlencoded`), without building one
 * (Node serializes it in JavaScript, parameter by parameter): `encodeURIComponent` is one native call,
 * and leaves `!'()~` as they are and writes a space `%20`, so those are changed after.
 */
function formEncoded(query: Readonly<Record<string, QueryValue>> | undefined): string {
  let text = '';
  eachParam(query, (key, value) => {
    text += `${text === '' ? '' : '&'}${formEncode(key)}=${formEncode(value)}`;
  });
  return text;
}

const FORM_EXTRA = /[!'()~]|%20/g;

function formEncode(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    // A lone surrogate: `URLSearchParams` writes U+FFFD for it, where `encodeURIComponent` throws.
    return new URLSearchParams([['', text]]).toString().slice(1);
  }
  return encoded.replace(FORM_EXTRA, formEscape);
}

const formEscape = (match: string): string => (match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`);

/** `url` with the query's parameters after those it has. */
function withQuery(url: URL, query: Readonly<Record<string, QueryValue>> | undefined): URL {
  // One assignment of the whole query: `url.searchParams.append` re-serializes the URL on every call.
  const params = new URLSearchParams(url.search);
  let added = false;
  eachParam(query, (key, value) => {
    params.append(key, value);
    added = true;
  });
  if (added) url.search = params.toString();
  return url;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The URL as errors and hooks may show it: no user info, no registered or credential-like values. */
export function publicUrl(url: URL | string): string {
  const copy = new URL(String(url));
  copy.username = '';
  copy.password = '';
  return redact(copy.href);
}
