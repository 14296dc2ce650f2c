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
});
