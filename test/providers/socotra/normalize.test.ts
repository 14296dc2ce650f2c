import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { socotraNormalizer, socotraSource } from '../../../src/providers/socotra/normalize.js';
import { toTokenPage } from '../../../src/providers/socotra/pagination.js';
import {
  socotraEventSchema,
  socotraEventStreamSchema,
  socotraFailedJobSchema,
  socotraScheduledPolicyEventSchema,
} from '../../../src/providers/socotra/schemas.js';

const TENANT = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';

const event = {
  locator: '01JD3W5X8V6Q9Z2K4M7N1P3R5T',
  userLocator: 'b8ffcd42-15a0-48b8-be6c-00b6c830b402',
  requestId: '01JD3W5X8V0000000000000001',
  timestamp: '2026-11-23T10:00:00.123Z',
  type: 'policy.issue',
  data: { policyLocator: '01JD3W5X8V0000000000000002' },
};

describe('socotra schemas', () => {
  it('keeps unknown fields and accepts missing or null optional fields', () => {
    const parsed = socotraEventSchema.parse({ ...event, userLocator: null, requestId: undefined, extra: { a: 1 } });
    expect(parsed.extra).toEqual({ a: 1 });
    expect(parsed.userLocator).toBeNull();
  });

  it('refuses an event without the fields the SDK needs', () => {
    for (const field of ['locator', 'timestamp'] as const) {
      const { [field]: _omitted, ...rest } = event;
      const result = socotraEventSchema.safeParse(rest);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([field]);
    }
  });

  it('accepts data as an object (including a cut list) and refuses data that is not one', () => {
    const cut = { ...event, data: { listCompleted: false, items: ['a', 'b'] } };
    expect(socotraEventSchema.parse(cut).data).toEqual({ listCompleted: false, items: ['a', 'b'] });
    for (const data of [[1, 2], 'text', 3]) {
      const result = socotraEventSchema.safeParse({ ...event, data });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['data']);
    }
  });

  it('reads a stream page; a null or missing events array is an empty page; the token is required', () => {
    expect(socotraEventStreamSchema.parse({ pagingToken: 't', events: [event] }).events).toHaveLength(1);
    expect(toTokenPage(socotraEventStreamSchema.parse({ pagingToken: 't', events: null })).items).toEqual([]);
    expect(toTokenPage(socotraEventStreamSchema.parse({ pagingToken: 't' })).items).toEqual([]);
    expect(socotraEventStreamSchema.safeParse({ events: [] }).success).toBe(false);
    expect(socotraEventStreamSchema.safeParse({ pagingToken: '', events: [] }).success).toBe(false);
  });

  it('names the event field that did not match, and refuses events that are not a list', () => {
    const bad = socotraEventStreamSchema.safeParse({ pagingToken: 't', events: [event, { ...event, locator: '' }] });
    expect(bad.error?.issues.map((issue) => issue.path)).toEqual([['events', 1, 'locator']]);
    const notList = socotraEventStreamSchema.safeParse({ pagingToken: 't', events: 'none' });
    expect(notList.error?.issues.map((issue) => issue.path)).toEqual([['events']]);
  });

  it('accepts trigger states and job states beyond the documented enums', () => {
    const scheduled = socotraScheduledPolicyEventSchema.parse({ policyLocator: 'p', triggerState: 'WAITING', nextEventTime: null });
    expect(scheduled.triggerState).toBe('WAITING');
    expect(socotraScheduledPolicyEventSchema.safeParse({ triggerState: 3 }).success).toBe(false);
    const job = socotraFailedJobSchema.parse({ triggerName: 'n', triggerGroup: 'g', failedJobState: 'paused', failureCount: null });
    expect(job.failedJobState).toBe('paused');
    expect(socotraFailedJobSchema.safeParse({ triggerName: 'n' }).success).toBe(false);
  });
});

describe('socotra normalizer', () => {
  const normalize = socotraNormalizer(TENANT, 'events.list');

  it('maps every field as the README table says', () => {
    const raw = socotraEventSchema.parse(event);
    expect(normalize([raw])).toEqual([
      {
        provider: 'socotra',
        id: event.locator,
        type: 'policy.issue',
        time: '2026-11-23T10:00:00.123Z',
        source: `socotra:/tenants/${TENANT}`,
        subject: event.requestId,
        actor: { kind: 'user', id: event.userLocator },
        data: event.data,
        raw,
      },
    ]);
    expect(socotraSource(TENANT)).toBe(`socotra:/tenants/${TENANT}`);
  });

  it('normalizes timestamps without milliseconds, without a zone, or with an offset to UTC milliseconds', () => {
    const times = ['2026-11-23T10:00:00Z', '2026-11-23T10:00:00.5', '2026-11-23T11:00:00.500+01:00'];
    const out = normalize(times.map((timestamp) => socotraEventSchema.parse({ ...event, timestamp })));
    expect(out.map((e) => e.time)).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.500Z', '2026-11-23T10:00:00.500Z']);
  });

  it('leaves out actor and subject for a system event, and gives {} for missing data', () => {
    const [out] = normalize([socotraEventSchema.parse({ ...event, userLocator: null, requestId: '', data: undefined })]);
    expect(out).not.toHaveProperty('actor');
    expect(out).not.toHaveProperty('subject');
    expect(out?.data).toEqual({});
  });

  it('gives an event with only a user its actor and no subject, and one with only a request its subject and no actor', () => {
    const [byUser, byRequest] = normalize([
      socotraEventSchema.parse({ ...event, requestId: null }),
      socotraEventSchema.parse({ ...event, userLocator: undefined }),
    ]);
    expect(byUser?.actor).toEqual({ kind: 'user', id: event.userLocator });
    expect(byUser).not.toHaveProperty('subject');
    expect(byRequest?.subject).toBe(event.requestId);
    expect(byRequest).not.toHaveProperty('actor');
  });

  it('fails with a ResponseValidationError naming the timestamp and keeping the raw event', () => {
    const raw = socotraEventSchema.parse({ ...event, timestamp: 'yesterday' });
    let caught: unknown;
    try {
      normalize([raw]);
    } catch (error) {
      caught = error;
    }
    expect(isResponseValidationError(caught)).toBe(true);
    if (!isResponseValidationError(caught)) return;
    expect(caught.issues[0]).toMatch(/^timestamp:/);
    expect(caught.raw).toBe(raw);
    expect(caught.operation).toBe('events.list');
    expect(caught.provider).toBe('socotra');
  });
});
