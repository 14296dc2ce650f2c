import { describe, expect, it } from 'vitest';
import { responseCheck } from '../../../src/core/response-schema.js';
import { normalizeEvent, normalizeEvents } from '../../../src/providers/illumio/normalize.js';
import { eventListSchema, eventSchema } from '../../../src/providers/illumio/schemas.js';
import { FORMS, setTextFields, type Form } from '../../support/text-forms.js';

/** The documented strings that some PCEs send as arrays (VENDORS.md: general rules). */
const TEXTS = { event_type: 'user.sign_in', pce_fqdn: 'pce.example.com', severity: 'err', status: 'failure' };


/** One event with every text field in `form`; an array holds the text first. */
function eventIn(form: Form, index: number): Record<string, unknown> {
  const event: Record<string, unknown> = { href: `/orgs/7/events/${form}`, timestamp: `2026-11-23T10:00:0${String(index)}Z` };
  setTextFields(event, TEXTS, form, 'info');
  return event;
}

describe('illumio text fields that arrive as arrays', () => {
  it('accepts a page with each text field as an array, a string, null or missing, and reads the first string', () => {
    const page = FORMS.map(eventIn);
    const sent = structuredClone(page);
    // The check the client runs on a page, and zod's own parser, which must agree with it.
    expect(responseCheck(eventListSchema).run(page)).toEqual({ ok: true, data: page });
    expect(eventListSchema.safeParse(page).success).toBe(true);

    const [asArray, asString, asNull, asMissing] = normalizeEvents(eventListSchema.parse(page), '7');
    for (const event of [asArray, asString]) {
      expect(event).toMatchObject({
        type: 'user.sign_in',
        severity: 'error',
        status: 'failure',
        data: { pce_fqdn: 'pce.example.com' },
      });
    }
    for (const event of [asNull, asMissing]) {
      expect(event?.type).toBe('illumio.unknown');
      expect(event?.data['pce_fqdn']).toBeNull();
      expect(event).not.toHaveProperty('severity');
      expect(event).not.toHaveProperty('status');
    }
    // The raw events are the objects sent, untouched.
    expect([asArray?.raw, asString?.raw, asNull?.raw, asMissing?.raw]).toEqual(sent);
    expect(page).toEqual(sent);
  });

  it('reads a single event the same way', () => {
    const raw = eventSchema.parse(eventIn('array', 0));
    expect(normalizeEvent(raw, '7')).toMatchObject({ type: 'user.sign_in', severity: 'error', status: 'failure', raw });
  });
});
