/**
 * Cursors: the opaque, versioned, URL-safe strings a `Page` carries. A cursor is the base64url of a
 * compact JSON envelope `{ v, p, q, k, s }`, compressed once it is long (`cursor-pack.ts`):
 * - `v` the format version (1),
 * - `p` the provider, `k` the strategy kind: a cursor of another provider or paging style is refused,
 * - `q` a fingerprint of the canonical JSON of the query: a cursor of another query is refused (resuming
 *   a listing of one Tines action with the cursor of another would silently skip or repeat events),
 * - `s` the strategy's state, checked by `strategy.validate`,
 * - `r`, only in a cursor whose state repeats a long list of ids: the members of `s` left out because
 *   they repeat another one (`cursor-repeats.ts`).
 * A plain cursor's JSON ends with a check, `c`, that `cursor-pack.ts` adds and takes off.
 *
 * Every check happens in `decodeCursor`, before any request is made.
 */
import { CursorError, type CursorErrorReason, type ProviderName } from './errors.js';
import { CursorPackError, packCursor, unpackCursor } from './cursor-pack.js';
import { foldRepeats, unfoldRepeats } from './cursor-repeats.js';
import { fnv1a64 } from './hash.js';
import type { Strategy } from './paginate/types.js';
import { dateEpoch } from './time.js';

export const CURSOR_VERSION = 1;

/** The decoded envelope of a cursor. */
export interface CursorEnvelope<S = unknown> {
  v: typeof CURSOR_VERSION;
  p: ProviderName;
  /** Fingerprint of the query (`queryFingerprint`). */
  q: string;
  k: Strategy<unknown, unknown>['kind'];
  s: S;
  /** Members of `s` written as the earlier member they repeat (`cursor-repeats.ts`); absent from most cursors. */
  r?: Record<string, string>;
}

/** What a cursor is bound to. */
export interface CursorBinding {
  provider: ProviderName;
  /** The fingerprint from `queryFingerprint(query)`. */
  query: string;
  kind: Strategy<unknown, unknown>['kind'];
}

/**
 * JSON with object keys sorted at every level, `undefined` members left out and `Date`s as ISO strings,
 * so that two equal queries written in a different key order have the same fingerprint.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'null';
}

function canonicalize(value: unknown): unknown {
  const epoch = dateEpoch(value);
  if (epoch !== undefined) return new Date(epoch).toISOString();
  if (Array.isArray(value)) return value.map((item) => canonicalize(item));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  // `undefined` and functions come back as they are, for `JSON.stringify` to leave out (or write as null in an array).
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = canonicalize((value as Record<string, unknown>)[key]);
  return out;
}

/** A short, stable fingerprint of a query: FNV-1a 64 of its canonical JSON, as 16 hex digits. */
export function queryFingerprint(query: unknown): string {
  return fnv1a64(canonicalJson(query));
}

/** Encodes a strategy state into a cursor bound to a provider, a query and a paging style. */
export function encodeCursor(binding: CursorBinding, state: unknown): string {
  const folded = foldRepeats(state);
  const envelope: CursorEnvelope =
    folded === undefined
      ? { v: CURSOR_VERSION, p: binding.provider, q: binding.query, k: binding.kind, s: state }
      : { v: CURSOR_VERSION, p: binding.provider, q: binding.query, k: binding.kind, s: folded.state, r: folded.repeats };
  return packCursor(JSON.stringify(envelope));
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ENVELOPE_MEMBERS: ReadonlySet<string> = new Set(['v', 'p', 'q', 'k', 's', 'r']);
/**
 * The longest cursor accepted: 8 MiB. Most states are small, but a time strategy's (marker, time window)
 * holds the id of every event delivered at up to three instants, and a burst of events at one instant
 * brings thousands of them, each some 27 characters in a plain cursor; beside them, up to 1000 ids of
 * its tail's overlap. `boundary.ts` bounds those ids by the bytes of this plain cursor's JSON
 * (`MAX_ENVELOPE_BYTES`), whatever their characters, which the compressed one never exceeds, so that every cursor the strategies issue is accepted back; anything
 * longer was not made by `encodeCursor`, and is refused before it is decoded.
 */
export const MAX_CURSOR_LENGTH = 8 * 1024 * 1024;
/**
 * The longest envelope JSON a cursor holds, in bytes: that of the longest plain cursor. A compressed
 * cursor inflating to more was not made by `encodeCursor` (the strategies' bounds keep every state
 * within it), and is refused before the JSON is parsed.
 */
export const MAX_ENVELOPE_BYTES = (MAX_CURSOR_LENGTH / 4) * 3;

/**
 * The JSON envelope of a cursor of any format the SDK has issued, unchecked; a `CursorPackError` when
 * a compressed cursor does not inflate.
 */
export function cursorJson(cursor: string): string {
  return unpackCursor(cursor, MAX_ENVELOPE_BYTES);
}

/**
 * Decodes and checks a cursor; the state comes back validated by `validate` (usually
 * `strategy.validate`). Throws a `CursorError` that says which check failed.
 */
export function decodeCursor<S>(
  cursor: string,
  binding: CursorBinding,
  validate: (state: unknown) => S,
  operation?: string,
): S {
  const fail = (detail: string, cause?: unknown, reason?: CursorErrorReason): never => {
    throw new CursorError(`Invalid cursor: ${detail}`, { provider: binding.provider, operation, cause, reason });
  };
  if (typeof cursor !== 'string' || cursor.length === 0) fail('expected a non-empty string');
  if (cursor.length > MAX_CURSOR_LENGTH) fail(`longer than ${MAX_CURSOR_LENGTH} characters`);
  // Node's base64url decoder skips characters outside the alphabet instead of failing, so check first.
  if (!BASE64URL.test(cursor)) fail('not base64url');
  let json = '';
  try {
    json = cursorJson(cursor);
  } catch (error) {
    if (!(error instanceof CursorPackError)) throw error;
    fail(error.message, error.cause);
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(json);
  } catch (error) {
    fail('not a tributary cursor (its content is not JSON)', error);
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return fail('not a tributary cursor (no envelope)');
  }
  const { v, p, q, k, s, r } = envelope as Partial<Record<keyof CursorEnvelope, unknown>>;
  if (v !== CURSOR_VERSION) fail(`unsupported version ${JSON.stringify(v) ?? 'undefined'} (expected ${CURSOR_VERSION})`);
  // No cursor of this version was written with other members: one left is a plain cursor's check that an
  // alteration kept from being read (`cursor-pack.ts`), or something not written by `encodeCursor`.
  const unknown = Object.keys(envelope).find((member) => !ENVELOPE_MEMBERS.has(member));
  if (unknown !== undefined) fail(`not a tributary cursor (unknown member ${JSON.stringify(unknown)})`);
  if (p !== binding.provider) fail(`it belongs to provider ${JSON.stringify(p) ?? 'undefined'}, not ${binding.provider}`, undefined, 'provider');
  if (k !== binding.kind) fail(`it belongs to ${JSON.stringify(k) ?? 'undefined'} paging, not ${binding.kind}`, undefined, 'paging');
  if (q !== binding.query) fail('it belongs to another query (resume with the same query that produced it)', undefined, 'query');
  try {
    return validate(unfoldRepeats(s, r));
  } catch (error) {
    const detail = typeof error === 'string' ? error : error instanceof Error ? error.message : 'bad state';
    return fail(`bad state: ${detail}`, error);
  }
}
