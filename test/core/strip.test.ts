import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSlash, stripEnd, stripEnds } from '../../src/core/strip.js';

const isDash = (code: number): boolean => code === 0x2d;
const text = fc.string({ unit: fc.constantFrom('/', '-', 'a', ' ', '\u0000', 'é') });

describe('strip', () => {
  it('cuts what the patterns it replaces cut (property)', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(stripEnd(value, isSlash)).toBe(value.replace(/\/+$/, ''));
        expect(stripEnds(value, isDash)).toBe(value.replace(/^-+|-+$/g, ''));
        expect(stripEnds(value, (code) => code <= 0x20)).toBe(value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''));
      }),
      { numRuns: 500 },
    );
  });

  it('looks at each character once at most, however long the runs inside the text', () => {
    let looks = 0;
    const counted = (code: number): boolean => (looks++, isDash(code));
    const value = `-a${'-'.repeat(1_000)}b${'-'.repeat(1_000)}`;
    expect(stripEnds(value, counted)).toBe(value.slice(1, -1_000));
    expect(looks).toBeLessThanOrEqual(value.length);
  });
});
