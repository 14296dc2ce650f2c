import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validationIssues } from '../../../src/core/validation.js';
import { informaticaEventListSchema, informaticaEventSchema } from '../../../src/providers/informatica/schemas.js';
import { seedExample } from './fixtures.js';

describe('informatica schemas', () => {
  it('parses the seed example with its nested child and keeps it as received', () => {
    const parsed = informaticaEventSchema.parse(seedExample);
    expect(parsed).toEqual(seedExample);
    expect(parsed.childEvents?.[0]?.parentEventId).toBe(32010);
  });

  it('accepts a bare object or a list as a search result, each as received', () => {
    expect(informaticaEventListSchema.parse(seedExample)).toEqual(seedExample);
    expect(informaticaEventListSchema.parse([seedExample, seedExample])).toHaveLength(2);
    expect(informaticaEventListSchema.parse([])).toEqual([]);
  });

  it('checks child events nested deeper than the unrolled levels with the recursive schema', () => {
    const nest = (depth: number, leaf: Record<string, unknown>): Record<string, unknown> =>
      depth === 0 ? leaf : { eventId: depth, createTime: '2023-04-20T02:45:58Z', childEvents: [nest(depth - 1, leaf)] };
    const good = nest(7, { eventId: 99, createTime: '2023-04-20T02:45:58Z' });
    expect(informaticaEventListSchema.parse([good])).toEqual([good]);
    const bad = informaticaEventListSchema.safeParse([nest(7, { eventId: 'x', createTime: '2023-04-20T02:45:58Z' })]);
    expect(bad.success).toBe(false);
    expect(validationIssues(bad.error as z.ZodError)).toEqual([
      '[0].childEvents[0].childEvents[0].childEvents[0].childEvents[0].childEvents[0]: a child event nested more than 4 levels deep does not match the event schema',
    ]);
  });

  it('keeps unknown fields and accepts null or missing documented fields', () => {
    const drifted = { eventId: 7, createTime: '2023-04-20T02:45:58Z', eventStatus: null, childEvents: null, newField: { a: 1 } };
    expect(informaticaEventSchema.parse(drifted)).toEqual(drifted);
  });

  it('accepts eventHistory as one object (the seed syntax) and runID (its spelling)', () => {
    const single = {
      eventId: '32012',
      createTime: '2023-04-20T02:45:58.094Z',
      runID: 12,
      eventHistory: { eventId: 32012, timeStamp: '2023-04-20T02:45:58.095Z', eventStatusName: 'Pending', comments: '' },
    };
    expect(informaticaEventSchema.parse(single)).toEqual(single);
  });

  it('passes eventHistory and run ids through as received, whatever their form', () => {
    const odd = { eventId: 8, createTime: '2023-04-20T02:45:58Z', eventHistory: ['x', { comments: 3 }], runId: { id: 1 } };
    expect(informaticaEventSchema.parse(odd)).toEqual(odd);
    expect(informaticaEventListSchema.parse(odd)).toEqual(odd);
  });

  it('rejects an id that is not a Long, in an event or a child, naming the path', () => {
    // Past 2^53 a number was rounded by JSON.parse (2^53 + 1 reads as 2^53): two events could share it.
    for (const eventId of [1.5, 'x1', '', null, true, -1, JSON.parse('9007199254740993') as number]) {
      const result = informaticaEventSchema.safeParse({ eventId, createTime: '2023-04-20T02:45:58Z' });
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['eventId']);
    }
    // The issues name the field in the form that was sent, not the union that holds both forms.
    const issuePaths = (value: unknown): string[] => {
      const result = informaticaEventListSchema.safeParse(value);
      return validationIssues(result.error as z.ZodError).map((line) => line.slice(0, line.indexOf(':')));
    };
    expect(issuePaths([{ ...seedExample, parentEventId: 'none' }])).toEqual(['[0].parentEventId']);
    expect(issuePaths([{ ...seedExample, childEvents: [{ eventId: 'x1', createTime: 't' }] }])).toEqual(['[0].childEvents[0].eventId']);
    expect(issuePaths({ ...seedExample, createTime: 5 })).toEqual(['createTime']);
    expect(validationIssues(informaticaEventListSchema.safeParse('busy').error as z.ZodError)).toEqual([
      '(root): Invalid input: expected one of array, object',
    ]);
  });

  it('accepts the largest safe integer as a number and a larger id as its string', () => {
    for (const eventId of [Number.MAX_SAFE_INTEGER, '9007199254740993']) {
      expect(informaticaEventSchema.safeParse({ eventId, createTime: '2023-04-20T02:45:58Z' }).success).toBe(true);
    }
  });

  it('rejects an event without an id or a createTime, naming the field', () => {
    const noId = informaticaEventSchema.safeParse({ createTime: '2023-04-20T02:45:58.094Z' });
    expect(noId.success).toBe(false);
    expect(noId.error?.issues.map((issue) => issue.path.join('.'))).toContain('eventId');
    const noTime = informaticaEventSchema.safeParse({ eventId: 1, createTime: null });
    expect(noTime.error?.issues.map((issue) => issue.path.join('.'))).toContain('createTime');
    const badChild = informaticaEventListSchema.safeParse([{ ...seedExample, childEvents: [{ eventId: 'x1' }] }]);
    expect(badChild.success).toBe(false);
  });
});
