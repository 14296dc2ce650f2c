/**
 * A state member that repeats an earlier one, written once. A time strategy's tail at one instant keeps
 * that instant's ids twice, as its floor's (`fi`) and as its newest instant's (`ni`); zlib folds a
 * repeat only within 32 KB of its first copy (the deflate window), and 10,000 Illumio ids at one
 * instant, fingerprints of 20 characters of JSON each, are 200 KB a copy: such a cursor was 265,000
 * characters, half of them the second copy. A member whose earlier copy lies beyond that reach is
 * left out of the state and named in the envelope's `r` instead (`{ "ni": "fi" }`: `ni` is `fi`), and
 * put back before the state is checked. Nearer repeats are zlib's to fold: every cursor without so
 * distant a repeat is written as it always was, and a cursor written before is read as it was.
 */
import { isRecord } from './plain-object.js';

/** How far back (bytes of JSON) zlib finds a repeat: a copy farther away is written out again in full. */
export const ZLIB_WINDOW = 32 * 1024;

/** A state with its distant repeats left out, and which member each of them repeats. */
export interface FoldedState {
  state: Record<string, unknown>;
  repeats: Record<string, string>;
}

/** A member name `r` may put back: a state's own short names, never one an object literal would make a prototype of. */
const MEMBER = /^[A-Za-z][A-Za-z0-9]*$/;

/** Arrays of the same primitive items (the ids of an instant): nested values are never compared. */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const item = a[i];
    if (item !== b[i] || (typeof item === 'object' && item !== null)) return false;
  }
  return true;
}

/**
 * `state` with each array member that repeats an earlier one from farther than `ZLIB_WINDOW` left out;
 * `undefined` when none does (the state is written as it is). Only arrays the same length as an
 * earlier one are compared, and only a repeat found has the JSON between its copies measured.
 */
export function foldRepeats(state: unknown): FoldedState | undefined {
  if (!isRecord(state)) return undefined;
  const names = Object.keys(state);
  let repeats: Record<string, string> | undefined;
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i] as string;
    const value = state[name];
    if (!Array.isArray(value) || value.length === 0 || !MEMBER.test(name)) continue;
    // The first earlier member with the same items is never one left out: the copy it repeats comes before it.
    for (let j = 0; j < i; j += 1) {
      const source = names[j] as string;
      const earlier = state[source];
      if (!Array.isArray(earlier) || !sameItems(earlier, value)) continue;
      if (distance(state, names, j, i, repeats) > ZLIB_WINDOW) (repeats ??= {})[name] = source;
      break;
    }
  }
  if (repeats === undefined) return undefined;
  const kept: Record<string, unknown> = {};
  for (const name of names) if (repeats[name] === undefined) kept[name] = state[name];
  return { state: kept, repeats };
}

/**
 * Bytes of JSON from the value of member `from` to that of member `to`, the members left out already
 * not counted: about how far back zlib would have to reach. In bytes, as zlib counts: a CJK character
 * of an id takes 3, and counted as characters, a repeat zlib could not reach was written out again.
 */
function distance(state: Record<string, unknown>, names: readonly string[], from: number, to: number, left: Record<string, string> | undefined): number {
  let length = 0;
  for (let m = from; m < to; m += 1) {
    const name = names[m] as string;
    if (left?.[name] !== undefined) continue;
    // The value, then `,"name":` of the member after it.
    length += Buffer.byteLength(`${JSON.stringify(state[name]) ?? ''}${names[m + 1] as string}`) + 4;
  }
  return length;
}

/**
 * The state `s` of an envelope with the members its `repeats` (`r`) name put back; `s` as it is
 * without them (every cursor written before, and most since). Throws when `r` does not describe
 * members of `s`: a cursor altered, or not written by `encodeCursor`.
 */
export function unfoldRepeats(state: unknown, repeats: unknown): unknown {
  if (repeats === undefined) return state;
  if (!isRecord(repeats) || !isRecord(state)) throw new Error('its repeated members ("r") are not a map of member names');
  const whole: Record<string, unknown> = { ...state };
  for (const [name, source] of Object.entries(repeats)) {
    if (!MEMBER.test(name) || typeof source !== 'string' || Object.hasOwn(state, name) || !Object.hasOwn(state, source) || !Array.isArray(state[source])) {
      throw new Error(`its repeated member ${JSON.stringify(name)} does not name an array of the state`);
    }
    whole[name] = state[source];
  }
  return whole;
}
