import { describe, expect, it } from 'vitest';
import { informaticaEventListSchema, informaticaEventSchema } from '../../../src/providers/informatica/schemas.js';
import { seedExample } from './fixtures.js';

describe('informatica schemas', () => {
  it('parses the seed example with its nested child and keeps it as received', () => {
    const parsed = informaticaEventSchema.parse(seedExample);
    expect(parsed).toEqual(seedExample);
    expect(parsed.childEvents?.[0]?.parentEventId).toBe(32010);
  });

  it('accepts a bare object or a list as a search result', () => {
    expect(informaticaEventListSchema.parse(seedExample)).toHaveLength(1);
    expect(informaticaEventListSchema.parse([seedExample, seedExample])).toHaveLength(2);
    expect(informaticaEventListSchema.parse([])).toEqual([]);
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
    expect(informaticaEventListSchema.parse(odd)).toEqual([odd]);
  });

  it('rejects an id that is not a Long, in an event or a child, naming the path', () => {
    for (const eventId of [1.5, 'x1', '', null, true]) {
      const result = informaticaEventSchema.safeParse({ eventId, createTime: '2023-04-20T02:45:58Z' });
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['eventId']);
    }
    const badParent = informaticaEventListSchema.safeParse([{ ...seedExample, parentEventId: 'none' }]);
    expect(badParent.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['0.parentEventId']);
    const badChild = informaticaEventListSchema.safeParse([{ ...seedExample, childEvents: [{ eventId: 'x1', createTime: 't' }] }]);
    expect(badChild.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['0.childEvents.0.eventId']);
    const bare = informaticaEventListSchema.safeParse({ ...seedExample, createTime: 5 });
    expect(bare.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['0.createTime']);
    expect(informaticaEventListSchema.safeParse('busy').error?.issues[0]?.path).toEqual([]);
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
