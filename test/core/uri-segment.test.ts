import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uriSegment } from '../../src/core/uri-segment.js';

/** Lone surrogates, found apart from the code under test. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

describe('uriSegment', () => {
  it('percent-encodes a segment as encodeURIComponent does', () => {
    expect(uriSegment('db-instance')).toBe('db-instance');
    expect(uriSegment('a b/c?d#e%')).toBe('a%20b%2Fc%3Fd%23e%25');
    expect(uriSegment('バックアップ 😀')).toBe(encodeURIComponent('バックアップ 😀'));
  });

  it('writes a lone surrogate as U+FFFD rather than throw a URIError', () => {
    expect(uriSegment('a\ud800')).toBe('a%EF%BF%BD');
    expect(uriSegment('\udc00b')).toBe('%EF%BF%BDb');
    expect(uriSegment('\ude00\ud83d')).toBe('%EF%BF%BD%EF%BF%BD');
  });

  it('encodes any mix of paired and lone surrogates, as encodeURIComponent does once well formed (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '/', '%', 'é', 'バ', '😀', '\ud83d', '\ude00', '\ud800', '\udfff') }), (text) => {
        const wellFormed = text.replace(LONE_SURROGATE, '\ufffd');
        const segment = uriSegment(text);
        expect(decodeURIComponent(segment)).toBe(wellFormed);
        if (wellFormed === text) expect(segment).toBe(encodeURIComponent(text));
      }),
    );
  });
});
