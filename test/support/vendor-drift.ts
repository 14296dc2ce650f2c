/**
 * Seeded drift of vendor objects, as VENDORS.md describes real responses: unknown fields (named
 * `__proto__`, `constructor`, in any script, very long), documented fields missing or `null`, a
 * documented string sent as an array, and every form of a time the vendors send or are known to
 * send for one instant (with or without milliseconds, more fractional digits, offsets, no zone,
 * `+hhmm`, minute precision). For `test/providers/normalize.property.test.ts`.
 */
import type { Rng } from '../../src/testing/rng.js';

/** Sets `key` as an own, enumerable property, also `__proto__`, which assignment would not create. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Characters from several scripts and planes, as vendor text carries them. */
const ALPHABET = ['a', 'Z', '0', ' ', '-', '_', '/', '%', '"', '\\', 'é', 'ß', 'я', '中', 'バ', 'ث', '😀', '𝔘', '\u200d', '\n', '\t', '\u0000', '\ud800', '\ufffe'];

/** Text of up to `max` characters, now and then very long. */
export function randomText(rng: Rng, max = 12): string {
  let text = '';
  for (let i = rng.int(0, max); i > 0; i--) text += rng.pick(ALPHABET);
  // A very long one repeats a short one: as long, and cheap to make.
  return rng.chance(0.03) ? `${text}x`.repeat(rng.int(300, 1_500)) : text;
}

/** A JSON value (what `JSON.parse` can give back unchanged), nested up to `depth`. No `-0`: JSON writes it as `0`. */
export function randomJson(rng: Rng, depth = 2): unknown {
  const kind = rng.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, 1, -7, 2_147_483_647, 9_007_199_254_740_991, 1.5, -0.25, 1e21, 3.0e-7]);
    case 3:
    case 4:
      return randomText(rng);
    case 5:
      return Array.from({ length: rng.int(0, 3) }, () => randomJson(rng, depth - 1));
    default:
      return randomObject(rng, depth - 1);
  }
}

/** Names an unknown field may have: prototype members, other scripts, an empty name, a long one. */
const FIELD_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '', 'x-trace', 'データ', 'ключ', '😀', 'a'.repeat(300), '0', '12', 'new_field', 'nested'];

export function randomObject(rng: Rng, depth = 1): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let n = rng.int(0, 3); n > 0; n--) setOwn(object, rng.pick(FIELD_NAMES), randomJson(rng, depth));
  return object;
}

/** Adds up to four unknown fields to `event`, none of the names in `documented`. */
export function addUnknownFields(rng: Rng, event: Record<string, unknown>, documented: readonly string[], extraNames: readonly string[] = []): void {
  const names = [...FIELD_NAMES, ...extraNames].filter((name) => !documented.includes(name));
  for (let n = rng.int(0, 4); n > 0; n--) setOwn(event, rng.pick(names), randomJson(rng, 3));
}

/**
 * A documented text field in one of the forms it arrives in: as sent, an array holding it first (then
 * anything), an array with something else before it, an empty string, `null`, or missing (`undefined`);
 * the text itself is now and then replaced by random text.
 */
export function textForm(rng: Rng, sent: string): unknown {
  // Now and then text of any script, controls, lone surrogates and noncharacters included.
  const text = rng.chance(0.25) ? randomText(rng, 20) : sent;
  switch (rng.int(0, 7)) {
    case 0:
      return [text, ...Array.from({ length: rng.int(0, 2) }, () => randomJson(rng, 1))];
    case 1:
      // Non-text items first: the text read is the first string.
      return [rng.pick([1, null, { a: 1 }, [text]]), text];
    case 2:
      return rng.pick(['', null, undefined, [], [''], [2]]);
    default:
      return text;
  }
}

/** The first string of a field that is a string or an array, as the README's tables read such fields. */
export function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return (value as unknown[]).find((item): item is string => typeof item === 'string');
  return undefined;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYY-MM-DDTHH:mm:ss` of `ms` read `offsetMinutes` east of UTC. */
function local(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
}

function zone(offsetMinutes: number, style: 'colon' | 'compact' | 'hours'): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hours = pad(Math.floor(abs / 60));
  if (style === 'hours') return `${sign}${hours}`;
  return `${sign}${hours}${style === 'colon' ? ':' : ''}${pad(abs % 60)}`;
}

/** Offsets seen in the wild: zero written out, whole hours, half and three-quarter hours, both extremes. */
const OFFSETS = [0, 60, -300, 330, 345, -480, 540, 840, -720, -210];

/**
 * A time that denotes `ms` (to the millisecond) in one of the forms vendors send. The fraction is
 * written with as many digits as it needs or more (beyond milliseconds: any digits, which are cut).
 */
export function timeForm(rng: Rng, ms: number): string {
  const millis = ((ms % 1000) + 1000) % 1000;
  const trimmed = String(millis).padStart(3, '0').replace(/0+$/, '');
  const fraction = (): string => {
    const choice = rng.int(0, 3);
    if (choice === 0 && millis === 0) return '';
    if (choice === 1 && trimmed !== '') return `.${trimmed}`;
    if (choice === 2) return `.${pad(millis, 3)}${String(rng.int(0, 999_999)).padStart(rng.int(1, 6), '0').slice(0, 6)}`;
    return `.${pad(millis, 3)}`;
  };
  const offset = rng.pick(OFFSETS);
  const separator = rng.chance(0.85) ? 'T' : rng.pick(['t', ' ']);
  const body = (minutes: number): string => local(ms, minutes).replace('T', separator);
  switch (rng.int(0, 6)) {
    case 0:
      // No zone: UTC.
      return body(0) + fraction();
    case 1:
      return `${body(0)}${fraction()}${rng.chance(0.9) ? 'Z' : 'z'}`;
    case 2:
      return `${body(offset)}${fraction()}${zone(offset, 'colon')}`;
    case 3:
      // Java's `+0100`.
      return `${body(offset)}${fraction()}${zone(offset, 'compact')}`;
    case 4:
      return `${body(offset - (offset % 60))}${fraction()}${zone(offset - (offset % 60), 'hours')}`;
    case 5:
      // FUJITSU's documented minute precision (`2009-07-08T18:00Z`), where the instant has no seconds.
      if (ms % 60_000 === 0) return `${body(0).slice(0, 16)}${rng.pick(['Z', ''])}`;
      return `${body(0)}${fraction()}+00:00`;
    default:
      return new Date(ms).toISOString();
  }
}

/** Times a time field may hold that name no instant (a schema that checks only for text passes them). */
export const UNREADABLE_TIMES = ['2026-02-29T10:00:00Z', '2027-13-01T00:00:00Z', '2026-11-23T24:00:00Z', '2026-11-31T10:00:00', 'yesterday', '1732356000000', '2026-11-23T10:00:00+25:00'];

/** Instants around which a run's events lie: leap days, a year's end, an ordinary day. */
export const ANCHORS = [
  Date.parse('2028-02-29T00:20:00.000Z'),
  Date.parse('2028-03-01T00:10:00.000Z'),
  Date.parse('2024-02-29T23:59:30.000Z'),
  Date.parse('2027-01-01T00:05:00.000Z'),
  Date.parse('2026-11-23T10:00:00.000Z'),
];

/** The paths of `value`'s members at every depth (at most `limit`), each as its list of keys. */
function memberPaths(value: unknown, limit: number, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (out.length >= limit || typeof value !== 'object' || value === null) return out;
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_item, index) => index) : Object.keys(value);
  for (const key of keys) {
    if (out.length >= limit) break;
    const path = [...prefix, key];
    out.push(path);
    memberPaths((value as Record<string | number, unknown>)[key], limit, path, out);
  }
  return out;
}

/**
 * A copy of the JSON `value` changed at one member, at any depth: removed, replaced by random JSON,
 * `null`, its text as an array or an array as its first item, or an unknown field added beside it.
 * Only the containers on the way to the member are copied (spread keeps `__proto__` an own field).
 */
export function mutateJson(rng: Rng, value: unknown): unknown {
  const paths = memberPaths(value, 400);
  if (paths.length === 0) return rng.chance(0.5) ? randomJson(rng, 2) : [value];
  const path = rng.pick(paths);
  const copyOf = (container: unknown): Record<string | number, unknown> =>
    (Array.isArray(container) ? [...(container as unknown[])] : { ...(container as Record<string, unknown>) }) as Record<string | number, unknown>;
  const root = copyOf(value);
  let parent = root;
  for (const step of path.slice(0, -1)) parent = parent[step] = copyOf(parent[step]);
  const key = path[path.length - 1] as string | number;
  const current = parent[key];
  switch (rng.int(0, 5)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 1:
      setOwn(parent as Record<string, unknown>, String(key), null);
      break;
    case 2:
      setOwn(parent as Record<string, unknown>, String(key), Array.isArray(current) ? current[0] : [current]);
      break;
    case 3:
      if (!Array.isArray(parent)) setOwn(parent as Record<string, unknown>, rng.pick(['__proto__', 'constructor', 'extra', '']), randomJson(rng, 2));
      break;
    default:
      setOwn(parent as Record<string, unknown>, String(key), randomJson(rng, 2));
  }
  return root;
}
