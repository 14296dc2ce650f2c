import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { inPlaceCheck } from '../../src/core/check-in-place.js';
import { firstText, textOrList } from '../../src/core/text-or-list.js';

describe('textOrList', () => {
  const field = z.looseObject({ text: textOrList.nullish() });
  const values: readonly unknown[] = ['a', '', [], ['a'], [1, 'a'], [{}], null, undefined, 1, true, {}, { 0: 'a' }];

  it('takes a string, an array of anything, null or a missing value, and nothing else', () => {
    const accepted = values.filter((text) => field.safeParse({ text }).success);
    expect(accepted).toEqual(['a', '', [], ['a'], [1, 'a'], [{}], null, undefined]);
  });

  it('is checked in place, with the runtime parser’s verdicts, and passes the value through untouched', () => {
    const check = inPlaceCheck(field);
    expect(check).toBeDefined();
    for (const text of values) expect([text, check?.({ text })]).toEqual([text, field.safeParse({ text }).success]);
    const body = { text: ['a', 'b'] };
    expect(field.parse(body).text).toEqual(['a', 'b']);
  });
});

describe('firstText', () => {
  it('reads a string as it is, an empty one included', () => {
    expect(firstText('db-instance')).toBe('db-instance');
    expect(firstText('')).toBe('');
  });

  it('reads the first string of an array, past items that are not strings', () => {
    expect(firstText(['a', 'b'])).toBe('a');
    expect(firstText([null, 2, { a: 'x' }, ['y'], 'c', 'd'])).toBe('c');
    expect(firstText(['', 'b'])).toBe('');
  });

  it('answers undefined when there is no string to read', () => {
    for (const value of [undefined, null, [], [1, null], 0, true, { 0: 'a' }]) expect(firstText(value)).toBeUndefined();
  });

  it('leaves the array as it was', () => {
    const list = Object.freeze(['a', 'b']);
    expect(firstText(list)).toBe('a');
    expect(list).toEqual(['a', 'b']);
  });
});
