import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { fnv1a64 } from '../../src/core/hash.js';
import { idKey, keepLast } from '../../src/core/dedupe.js';
import { isCursorError } from '../../src/core/errors.js';

const binding: CursorBinding = { provider: 'illumio', query: queryFingerprint({ since: '2026-11-01' }), kind: 'time-window' };
const identity = (state: unknown) => state;

function fnvReference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('cursor', () => {
  it('round-trips any JSON state through a URL-safe string (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (state) => {
        const cursor = encodeCursor(binding, state);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor, binding, identity)).toEqual(JSON.parse(JSON.stringify(state)));
      }),
    );
  });

  it('binds to the canonical query: key order, undefined members and Dates do not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: undefined } })).toBe('{"a":{"d":[1,null]},"b":1}');
    expect(queryFingerprint({ since: new Date('2026-11-01T00:00:00Z'), type: 'x' })).toBe(
      queryFingerprint({ type: 'x', since: '2026-11-01T00:00:00.000Z', until: undefined }),
    );
    expect(queryFingerprint({ type: 'x' })).not.toBe(queryFingerprint({ type: 'y' }));
  });

  it('binds to the canonical query within lists too, and reads a bigint as its decimal digits', () => {
    expect(queryFingerprint({ types: [{ b: 1, a: new Date('2026-11-01T00:00:00Z') }] })).toBe(
      queryFingerprint({ types: [{ a: '2026-11-01T00:00:00.000Z', b: 1 }] }),
    );
    expect(canonicalJson({ sinceId: 9007199254740993n })).toBe('{"sinceId":"9007199254740993"}');
  });

  it('refuses a state the strategy rejects, naming why', () => {
    const cursor = encodeCursor(binding, { f: 1 });
    let error: unknown;
    try {
      decodeCursor(cursor, binding, () => {
        throw 'f: expected string';
      });
    } catch (e) {
      error = e;
    }
    expect(isCursorError(error)).toBe(true);
    expect((error as Error).message).toBe('Invalid cursor: bad state: f: expected string');
  });

  it('refuses an oversized cursor', () => {
    expect(() => decodeCursor('A'.repeat(MAX_CURSOR_LENGTH + 1), binding, identity)).toThrow(/longer than/);
  });
});

describe('fnv1a64', () => {
  it('matches a BigInt reference implementation (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        expect(fnv1a64(text)).toBe(fnvReference(text));
      }),
    );
    expect(fnv1a64('')).toBe('cbf29ce484222325');
  });
});

describe('dedupe keys', () => {
  it('keeps short ids and fingerprints long ones', () => {
    expect(idKey('79240')).toBe('79240');
    expect(idKey('/orgs/1/events/0d0e6a9a-3b39-4f6b-a3c4-5b8e6f0d0a11')).toMatch(/^#[0-9a-f]{16}$/);
  });

  it('keepLast keeps the most recent entries within the limit', () => {
    expect(keepLast(['a', 'b', 'c'], ['d'], 3)).toEqual(['b', 'c', 'd']);
    expect(keepLast(['a'], ['b', 'c', 'd', 'e'], 3)).toEqual(['c', 'd', 'e']);
    expect(keepLast([], [], 3)).toEqual([]);
  });
});
