import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { STANDS_FOR, validationIssues } from '../../src/core/validation.js';

describe('validationIssues', () => {
  const event = z.looseObject({ id: z.string() });
  // A check that only says yes or no, standing for `event`, as Informatica's child events past the levels written out.
  const standIn = z.custom((value) => event.safeParse(value).success, { params: { [STANDS_FOR]: event } });

  it("explains a stand-in's failure by the issues of its schema, also within a union, each at its field", () => {
    const schema = z.looseObject({ page: z.union([z.array(standIn), z.looseObject({ events: z.array(standIn) })]) });
    const body = { page: { events: [{ id: 'a' }, { id: 7 }] } };
    const result = schema.safeParse(body);
    expect(validationIssues(result.error!, body)).toEqual(['page.events[1].id: Invalid input: expected string, received number']);
  });

  it('writes a key that is no identifier quoted, and the body itself as (root)', () => {
    const schema = z.looseObject({ '1st': z.string(), 'a-b': z.looseObject({ ok: z.boolean() }) });
    const body = { '1st': 1, 'a-b': {} };
    expect(validationIssues(schema.safeParse(body).error!, body)).toEqual([
      '["1st"]: Invalid input: expected string, received number',
      '["a-b"].ok: Invalid input: expected boolean, received undefined',
    ]);
    expect(validationIssues(z.string().safeParse(1).error!, 1)).toEqual(['(root): Invalid input: expected string, received number']);
  });

  it('keeps the message of a union of no options, which has no branch to list', () => {
    expect(validationIssues(z.union([]).safeParse(1).error!, 1)).toEqual(['(root): Invalid input']);
  });
});
