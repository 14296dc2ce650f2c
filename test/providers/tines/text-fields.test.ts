import { describe, expect, it } from 'vitest';
import { responseCheck } from '../../../src/core/response-schema.js';
import { normalizeEvent, normalizeEvents } from '../../../src/providers/tines/normalize.js';
import { tinesEventListSchema, tinesEventSchema, type TinesEvent } from '../../../src/providers/tines/schemas.js';
import { FORMS, setTextFields, type Form } from '../../support/text-forms.js';

const GUID = '6b9a3c1e-5e2f-4d8a-9c7b-0123456789ab';


/** One event with `story_run_guid` in `form`; an array holds the guid first. */
function eventIn(form: Form, index: number): Record<string, unknown> {
  const event: Record<string, unknown> = { id: 2_147_483_000 + index, created_at: '2026-11-23T10:00:00Z', payload: {} };
  setTextFields(event, { story_run_guid: GUID }, form, 'another-run');
  return event;
}

describe('tines text fields that arrive as arrays', () => {
  it('accepts both list forms with story_run_guid as an array, a string, null or missing, and reads the first string', () => {
    const events = FORMS.map(eventIn);
    const sent = structuredClone(events);
    // The check the client runs on a page, and zod's own parser, which must agree with it.
    for (const page of [events, { events, meta: { next_page: null } }]) {
      expect(responseCheck(tinesEventListSchema).run(page)).toEqual({ ok: true, data: page });
      expect(tinesEventListSchema.safeParse(page).success).toBe(true);
    }

    // Validated in place, as the client does: the events handed on are the objects sent.
    const [asArray, asString, asNull, asMissing] = normalizeEvents(events as TinesEvent[]);
    expect(asArray?.subject).toBe(GUID);
    expect(asString?.subject).toBe(GUID);
    expect(asNull).not.toHaveProperty('subject');
    expect(asMissing).not.toHaveProperty('subject');
    // The raw events are the objects sent, untouched.
    expect([asArray?.raw, asString?.raw, asNull?.raw, asMissing?.raw]).toEqual(sent);
    expect(events).toEqual(sent);
  });

  it('reads a single event the same way', () => {
    const raw = tinesEventSchema.parse(eventIn('array', 0));
    expect(normalizeEvent(raw)).toMatchObject({ subject: GUID, raw });
  });
});
