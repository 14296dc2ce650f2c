import { describe, expect, it } from 'vitest';
import { responseCheck } from '../../../src/core/response-schema.js';
import { socotraNormalizer } from '../../../src/providers/socotra/normalize.js';
import { toTokenPage } from '../../../src/providers/socotra/pagination.js';
import {
  socotraEventArraySchema,
  socotraEventStreamSchema,
  socotraFailedJobArraySchema,
  socotraScheduledPolicyEventArraySchema,
} from '../../../src/providers/socotra/schemas.js';
import { FORMS, setTextFields, type Form } from '../../support/text-forms.js';

const TENANT = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';
/** The optional documented strings, which some responses send as arrays (VENDORS.md: general rules). */
const TEXTS = { userLocator: 'b8ffcd42-15a0-48b8-be6c-00b6c830b402', requestId: '01JD3W5X8V0000000000000001' };


/** One event with every optional text field in `form`; an array holds the text first. */
function eventIn(form: Form, index: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    locator: `01JD3W5X8V6Q9Z2K4M7N1P3R5${String(index)}`,
    type: 'policy.issue',
    timestamp: '2026-11-23T10:00:00.123Z',
    data: {},
  };
  setTextFields(event, TEXTS, form);
  return event;
}

describe('socotra text fields that arrive as arrays', () => {
  it('accepts a page with each optional text field as an array, a string, null or missing, and reads the first string', () => {
    const page = { pagingToken: 'token-1', events: FORMS.map(eventIn) };
    const sent = structuredClone(page);
    // The check the client runs on a page, and zod's own parser, which must agree with it.
    expect(responseCheck(socotraEventStreamSchema).run(page)).toEqual({ ok: true, data: page });
    expect(socotraEventStreamSchema.safeParse(page).success).toBe(true);
    expect(responseCheck(socotraEventArraySchema).run(page.events).ok).toBe(true);

    const { items } = toTokenPage(socotraEventStreamSchema.parse(page));
    const [asArray, asString, asNull, asMissing] = socotraNormalizer(TENANT, 'events.list')(items);
    for (const event of [asArray, asString]) {
      expect(event?.subject).toBe(TEXTS.requestId);
      expect(event?.actor).toEqual({ kind: 'user', id: TEXTS.userLocator });
    }
    for (const event of [asNull, asMissing]) {
      expect(event).not.toHaveProperty('subject');
      expect(event).not.toHaveProperty('actor');
    }
    // The raw events are the objects sent, untouched.
    expect([asArray?.raw, asString?.raw, asNull?.raw, asMissing?.raw]).toEqual(sent.events);
    expect(page).toEqual(sent);
  });
});

describe('socotra failed jobs and scheduled events whose text fields arrive as arrays', () => {
  // The whole call failed with a ResponseValidationError for one drifted field the SDK never reads.
  it('accepts each documented text field as an array, a string, null or missing, as sent', () => {
    const job = { triggerName: 't1', triggerGroup: 'g1', failedJobState: 'quit', failureCount: 3 };
    const scheduled = { triggerState: 'NORMAL' };
    const withTexts = (object: Record<string, unknown>, texts: Record<string, string>, form: Form) => {
      setTextFields(object, texts, form);
      return object;
    };
    const jobs = FORMS.map((form) => withTexts({ ...job }, { createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-02T00:00:00Z' }, form));
    const schedules = FORMS.map((form) =>
      withTexts({ ...scheduled }, { policyLocator: 'p1', transactionLocator: 't1', customEventId: 'c1', nextEventTime: '2026-12-01T00:00:00Z' }, form),
    );
    for (const [schema, body] of [
      [socotraFailedJobArraySchema, jobs],
      [socotraScheduledPolicyEventArraySchema, schedules],
    ] as const) {
      expect(responseCheck(schema).run(body)).toEqual({ ok: true, data: body });
      expect(schema.safeParse(body).success).toBe(true);
    }
  });
});
