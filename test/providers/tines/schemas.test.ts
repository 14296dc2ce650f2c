import { describe, expect, it } from 'vitest';
import { responseCheck } from '../../../src/core/response-schema.js';
import { validationIssues } from '../../../src/core/validation.js';
import { tinesEventListSchema, tinesEventSchema } from '../../../src/providers/tines/schemas.js';
import { tinesErrorMessage } from '../../../src/providers/tines/errors.js';
import { canonicalId, compareIds, isCanonicalId } from '../../../src/providers/tines/ids.js';

const seedEvent = {
  id: 79240,
  user_id: 1,
  agent_id: 21,
  payload: { propagation_webhook: { username: 'joe.bloggs', age: 99 } },
  created_at: '2018-04-03T13:37:24.479Z',
  updated_at: '2018-04-03T13:37:24.479Z',
  expires_at: '2019-04-03T13:37:24.433Z',
};

describe('tines schemas', () => {
  it('accepts the seed bare array and keeps unknown fields', () => {
    const parsed = tinesEventListSchema.parse([{ ...seedEvent, surprise: [1, 2] }]);
    expect(Array.isArray(parsed)).toBe(true);
    expect((parsed as Array<Record<string, unknown>>)[0]?.['surprise']).toEqual([1, 2]);
  });

  it('accepts the current { events, meta } shape with action_id, missing user_id and null meta fields', () => {
    const parsed = tinesEventListSchema.parse({
      events: [
        {
          id: '2147483999',
          action_id: 21,
          payload: 'not an object',
          created_at: '2026-11-23T10:00:00Z',
          story_run_guid: 'd8b1b5c3-0000-4000-8000-000000000000',
          previous_event_ids: [2147483000],
          expires_at: null,
        },
      ],
      meta: { current_page: 'https://t.tines.com/api/v1/events?page=1', next_page: null, next_page_number: null, per_page: 20, pages: 1, count: 1 },
    });
    expect(Array.isArray(parsed)).toBe(false);
  });

  it('hands either list form on as received, without a copy on the fast path', () => {
    const check = responseCheck(tinesEventListSchema);
    for (const body of [[seedEvent, { ...seedEvent, id: '79241' }], { events: [seedEvent], meta: null }, { events: [] }]) {
      const checked = check.run(body);
      expect(checked.ok && checked.data).toBe(body);
      expect(tinesEventListSchema.parse(body)).toEqual(body);
    }
  });

  it('names the field of the form that was sent when a list does not match', () => {
    const issuesOf = (body: unknown) => {
      expect(responseCheck(tinesEventListSchema).run(body).ok).toBe(false);
      const result = tinesEventListSchema.safeParse(body);
      return result.success ? [] : validationIssues(result.error);
    };
    expect(issuesOf({ events: [seedEvent, { ...seedEvent, id: 'x1' }] })).toEqual([
      'events[1].id: expected a non-negative integer or a decimal id',
    ]);
    expect(issuesOf([{ ...seedEvent, created_at: '' }, { ...seedEvent, user_id: true }])).toEqual([
      '[0].created_at: Too small: expected string to have >=1 characters',
      '[1].user_id: Invalid input: expected one of number, string',
    ]);
    expect(issuesOf({ events: [seedEvent], meta: 'page 2' })).toEqual(['meta: Invalid input: expected object, received string']);
    expect(issuesOf({ data: [] })).toEqual(['events: Invalid input: expected array, received undefined']);
    expect(issuesOf('<html>')).toEqual(['(root): Invalid input: expected one of array, object']);
  });

  it('refuses what the SDK needs: an id and a created_at', () => {
    expect(tinesEventSchema.safeParse({ ...seedEvent, id: undefined }).success).toBe(false);
    expect(tinesEventSchema.safeParse({ ...seedEvent, id: -1 }).success).toBe(false);
    expect(tinesEventSchema.safeParse({ ...seedEvent, id: '12a' }).success).toBe(false);
    // Larger than 2^53: JSON.parse already lost digits, so the id is refused rather than mistaken.
    expect(tinesEventSchema.safeParse({ ...seedEvent, id: 2 ** 60 }).success).toBe(false);
    expect(tinesEventSchema.safeParse({ ...seedEvent, created_at: null }).success).toBe(false);
  });

  it('does not check the fields the SDK never reads: one drifted value does not fail its page', () => {
    for (const drift of [{ previous_event_ids: '5' }, { re_emitted: 'yes' }, { updated_at: 1712000000 }, { expires_at: {} }]) {
      const page = [seedEvent, { ...seedEvent, id: 79241, ...drift }];
      expect(tinesEventListSchema.safeParse(page).success).toBe(true);
      expect(responseCheck(tinesEventListSchema).run(page).ok).toBe(true);
    }
  });

  it('accepts ids as safe integers or decimal strings only, naming the id when refused', () => {
    for (const id of [0, 2147483999, '0', '2147483999', '18014398509481985']) {
      expect(tinesEventSchema.parse({ ...seedEvent, id }).id).toBe(id);
    }
    for (const id of [1.5, '', ' 12', '1e3', null, true, { id: 1 }]) {
      const result = tinesEventSchema.safeParse({ ...seedEvent, id });
      expect(result.error?.issues.map((issue) => issue.path)).toEqual([['id']]);
    }
  });
});

describe('tines error bodies', () => {
  it.each([
    [{ errors: [{ message: 'Bad since_id', details: 'must be an integer' }] }, 'Bad since_id'],
    [{ errors: [{ message: 'a' }, { message: 'b' }] }, 'a; b'],
    [['Not authorized'], 'Not authorized'],
    [{ error: 'Forbidden' }, 'Forbidden'],
    [{ message: 'Rate limit exceeded' }, 'Rate limit exceeded'],
    ['  Retry later  ', 'Retry later'],
    [{ errors: 'plain' }, 'plain'],
  ])('extracts the message from %j', (body, message) => {
    expect(tinesErrorMessage(body)).toBe(message);
  });

  it('returns undefined when there is no message', () => {
    expect(tinesErrorMessage({ errors: [] })).toBeUndefined();
    expect(tinesErrorMessage(42)).toBeUndefined();
    expect(tinesErrorMessage(null)).toBeUndefined();
  });
});

describe('tines ids', () => {
  it('canonicalizes and orders numerically, beyond 2^53', () => {
    expect(canonicalId(2147483647)).toBe('2147483647');
    expect(canonicalId('000123')).toBe('123');
    expect(canonicalId('0')).toBe('0');
    expect(compareIds('99', '100')).toBeLessThan(0);
    expect(compareIds('18014398509481985', '18014398509481984')).toBeGreaterThan(0);
    expect(compareIds('7', '7')).toBe(0);
    expect(isCanonicalId('12')).toBe(true);
    expect(isCanonicalId('012')).toBe(false);
    expect(isCanonicalId('1.5')).toBe(false);
  });
});
