/**
 * Long cursors are issued compressed (zlib behind a tag byte), short ones as the base64url JSON they
 * always were; both forms are read back, and a compressed cursor that is cut short, altered, followed
 * by something else or inflating beyond any envelope is a `CursorError` ('malformed') that says which.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cursorJson, decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, MAX_ENVELOPE_BYTES, queryFingerprint, type CursorBinding } from '../../src/core/cursor.js';
import { DEFLATED, PLAIN_UP_TO } from '../../src/core/cursor-pack.js';
import { CursorError } from '../../src/core/errors.js';
import { fnv1a64 } from '../../src/core/hash.js';
import { tokenStrategy } from '../../src/core/paginate/token.js';
import { paginate } from '../../src/core/paginate/paginate.js';

const binding: CursorBinding = { provider: 'illumio', query: queryFingerprint({ since: '2026-11-01' }), kind: 'time-window' };
const same = (state: unknown) => state;
/** Keys as `idKey` writes long ids: `#` and 16 hex digits, as random as fingerprints are. */
const fingerprints = (count: number, seed = 1) =>
  Array.from({ length: count }, (_, i) => `#${(BigInt(seed + i) * 0x9e3779b97f4a7c15n % 2n ** 64n).toString(16).padStart(16, '0')}`);
const largeState = { t: '2026-11-23T10:00:00.000Z', ti: fingerprints(2000), k: Array.from({ length: 1000 }, (_, i) => String(90_000 + 3 * i)) };
const plainOf = (state: unknown) =>
  Buffer.from(JSON.stringify({ v: 1, p: binding.provider, q: binding.query, k: binding.kind, s: state }), 'utf8').toString('base64url');
/** The plain cursor as written now: its JSON ending with its check, the FNV-1a 64 of the JSON without it. */
const checkedOf = (state: unknown) => {
  const json = JSON.stringify({ v: 1, p: binding.provider, q: binding.query, k: binding.kind, s: state });
  return Buffer.from(`${json.slice(0, -1)},"c":"${fnv1a64(json)}"}`, 'utf8').toString('base64url');
};
/** A compressed cursor of `bytes` (the tag, then the zlib stream). */
const tagged = (bytes: Buffer) => Buffer.concat([Buffer.of(DEFLATED), bytes]).toString('base64url');
const refusal = (cursor: string): CursorError => {
  try {
    decodeCursor(cursor, binding, same);
  } catch (error) {
    expect(error).toBeInstanceOf(CursorError);
    return error as CursorError;
  }
  throw new Error('the cursor was accepted');
};

describe('cursor packing', () => {
  it('keeps a short cursor as the base64url of its JSON, ending with its check, and reads one written before the check', () => {
    const state = { t: '2026-11-23T10:00:00.000Z', ti: ['a1', 'b2'] };
    const cursor = encodeCursor(binding, state);
    expect(cursor).toBe(checkedOf(state));
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toMatchObject({ v: 1, s: state, c: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(cursorJson(cursor)).toBe(Buffer.from(plainOf(state), 'base64url').toString('utf8'));
    expect(decodeCursor(plainOf(state), binding, same)).toEqual(state);
  });

  it('compresses a long one behind its tag, to less than half its plain length, and reads it back whole', () => {
    const cursor = encodeCursor(binding, largeState);
    const plain = plainOf(largeState);
    expect(Buffer.from(cursor, 'base64url')[0]).toBe(DEFLATED);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(plain.length).toBeGreaterThan(60_000);
    expect(cursor.length).toBeLessThan(plain.length / 2);
    expect(decodeCursor(cursor, binding, same)).toEqual(largeState);
    expect(cursorJson(cursor)).toBe(Buffer.from(plain, 'base64url').toString('utf8'));
  });

  it('reads a long cursor of the plain form, as issued before cursors were compressed', () => {
    expect(decodeCursor(plainOf(largeState), binding, same)).toEqual(largeState);
  });

  it('leaves plain an envelope at the threshold, and one that compressing would not shorten', () => {
    // The JSON and its check (`,"c":"`, 16 hex digits and `"` before the closing brace) at the threshold.
    const atThreshold = { x: 'a'.repeat(PLAIN_UP_TO - 23 - plainJsonLength({ x: '' })) };
    expect(Buffer.from(checkedOf(atThreshold), 'base64url')).toHaveLength(PLAIN_UP_TO);
    expect(encodeCursor(binding, atThreshold)).toBe(checkedOf(atThreshold));
    // README: a cursor is compressed once it passes 1024 characters.
    expect(encodeCursor(binding, atThreshold)).toHaveLength(1024);
    expect(encodeCursor(binding, { x: `${atThreshold.x}a` })).not.toBe(checkedOf({ x: `${atThreshold.x}a` }));
    // Base64 of random bytes: deflate finds little to shorten beyond its own framing.
    const random = { x: Buffer.from(fingerprints(120).join(''), 'utf8').toString('base64') };
    const cursor = encodeCursor(binding, random);
    expect(cursor.length).toBeLessThanOrEqual(checkedOf(random).length);
    expect(decodeCursor(cursor, binding, same)).toEqual(random);
  });

  describe('refuses a short cursor altered in storage, which it read as another state', () => {
    const state = { f: '2030-01-01T11:59:01.000Z', fi: ['#cfefb5f4769d3034'], n: '2030-01-01T12:00:01.000Z', ni: ['#cfefb5f4769d3034'] };
    const altered = (from: string, to: string) => {
      const json = Buffer.from(encodeCursor(binding, state), 'base64url').toString('utf8');
      expect(json).toContain(from);
      return Buffer.from(json.replace(from, to), 'utf8').toString('base64url');
    };

    it.each([
      // A FUJITSU key's `#` changed by one bit: read as the key ` cfef…`, the instant's event delivered again.
      ['a key changed', () => altered('["#cfef', '[" cfef'), /does not match its check \(altered\)/],
      ['an instant changed', () => altered('12:00:01.000Z', '12:00:09.000Z'), /does not match its check \(altered\)/],
      ['its check changed', () => altered('"c":"', '"c":"x'), /unknown member "c"/],
      ['its check renamed', () => altered('"c":"', '"d":"'), /unknown member "d"/],
    ])('%s', (_name, cursor, message) => {
      const error = refusal(cursor());
      expect(error.reason).toBe('malformed');
      expect(error.message).toMatch(message);
    });
  });

  describe('refuses a compressed cursor that does not inflate to an envelope', () => {
    const deflated = Buffer.from(encodeCursor(binding, largeState), 'base64url').subarray(1);

    it.each([
      ['cut short', () => tagged(deflated.subarray(0, deflated.length - 1)), /compressed content is cut short \(truncated\)/],
      ['cut to a tenth', () => tagged(deflated.subarray(0, deflated.length / 10)), /compressed content is cut short \(truncated\)/],
      ['cut a character short', () => encodeCursor(binding, largeState).slice(0, -1), /compressed content is cut short \(truncated\)/],
      ['the tag alone', () => tagged(Buffer.alloc(0)), /compressed content is cut short \(truncated\)/],
      ['altered in the middle', () => tagged(flipped(deflated, deflated.length >> 1)), /compressed content is corrupt/],
      ['altered in its checksum', () => tagged(flipped(deflated, deflated.length - 1)), /compressed content is corrupt \(incorrect data check\)/],
      ['not zlib at all', () => tagged(Buffer.from('{"v":1}')), /compressed content is corrupt/],
      ['followed by other bytes', () => tagged(Buffer.concat([deflated, Buffer.from('tail')])), /followed by 4 bytes of something else/],
      ['inflating to text that is not JSON', () => tagged(deflateSync('{oops')), /not a tributary cursor \(its content is not JSON\)/],
    ])('%s', (_name, cursor, message) => {
      const error = refusal(cursor());
      expect(error.reason).toBe('malformed');
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/zlib|Z_/);
    });

    it('inflating beyond the longest envelope (a decompression bomb), at once', () => {
      // 64 MiB of one byte deflate to some 64 KiB: a cursor far shorter than the length limit.
      const bomb = tagged(deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 }));
      expect(bomb.length).toBeLessThan(MAX_CURSOR_LENGTH / 64);
      const start = performance.now();
      const error = refusal(bomb);
      // Beyond a loaded machine's stall of a second or two.
      expect(performance.now() - start).toBeLessThan(10_000);
      expect(error.reason).toBe('malformed');
      expect(error.message).toBe(`Invalid cursor: its compressed content inflates to more than ${MAX_ENVELOPE_BYTES} bytes`);
    });

    it('through a listing, before any request', async () => {
      let calls = 0;
      const listing = paginate({
        provider: 'socotra',
        operation: 'events.list',
        query: {},
        pageSize: 10,
        strategy: tokenStrategy<string>({
          fetchPage: async () => {
            calls++;
            return { items: [], token: undefined };
          },
          id: (item) => item,
        }),
        normalize: (items: string[]) => items,
      });
      const error = await listing
        .byPage({ cursor: tagged(deflated.subarray(0, 100)) })
        [Symbol.asyncIterator]()
        .next()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CursorError);
      expect((error as CursorError).message).toMatch(/cut short/);
      expect(calls).toBe(0);
    });
  });
});

function plainJsonLength(state: unknown): number {
  return Buffer.byteLength(JSON.stringify({ v: 1, p: binding.provider, q: binding.query, k: binding.kind, s: state }));
}

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x10;
  return copy;
}
