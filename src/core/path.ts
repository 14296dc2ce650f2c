/**
 * Path templates with encoded parameters. A vendor identifier (a tenant locator, an href segment, an
 * event id) must stay inside its own segment: `path` percent-encodes `/`, `?`, `#` and `%`, and refuses
 * values that would still move the request elsewhere (`.`, `..`, empty).
 *
 * @example path`/event/${tenant}/events/${locator}` // '/event/acme/events/01J...'
 */
import { ConfigurationError } from './errors.js';

export type PathParameter = string | number;

export function path(strings: TemplateStringsArray, ...values: readonly PathParameter[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += encodeParameter(value, strings, index) + (strings[index + 1] ?? '');
  });
  // A parameter may sit next to literal text in one segment (`/jobs/${id}.json`): check the result too.
  if (out.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new ConfigurationError(`Path ${describe(strings)} would resolve to a different path: a segment is "." or ".."`);
  }
  return out;
}

function encodeParameter(value: unknown, strings: TemplateStringsArray, index: number): string {
  const where = `parameter ${index + 1} of path ${describe(strings)}`;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else throw new ConfigurationError(`${where} must be a string or a finite number, got ${typeOf(value)}`);
  if (text === '' || text === '.' || text === '..') {
    throw new ConfigurationError(`${where} must not be ${text === '' ? 'empty' : `"${text}"`}`);
  }
  // `encodeURIComponent` would throw a bare `URIError`.
  if (!text.isWellFormed()) throw new ConfigurationError(`${where} must not hold a lone surrogate (U+D800 to U+DFFF)`);
  return encodeURIComponent(text);
}

/** The template with `{n}` placeholders, so an error names the path without echoing values. */
function describe(strings: TemplateStringsArray): string {
  return strings.reduce((acc, part, i) => (i === 0 ? part : `${acc}{${i}}${part}`), '');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  return typeof value;
}
