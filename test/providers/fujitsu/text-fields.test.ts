import { describe, expect, it } from 'vitest';
import { responseCheck } from '../../../src/core/response-schema.js';
import { keyEvents, normalizeEvents } from '../../../src/providers/fujitsu/normalize.js';
import { eventListSchema, type FujitsuEventList } from '../../../src/providers/fujitsu/schemas.js';
import { clientOf, createEmulator, TENANT } from './helpers.js';
import { FORMS, setTextFields, type Form } from '../../support/text-forms.js';

/** The documented strings that some responses send as arrays (VENDORS.md: general rules). */
const TEXTS = { sourceType: 'db-instance', sourceIdentifier: 'dbinst_678yuhyhih', message: 'Finished DB Instance backup' };


/** One event with every text field in `form`; an array holds the text first. */
function eventIn(form: Form, second: number): Record<string, unknown> {
  const event: Record<string, unknown> = { date: `2013-03-18T19:09:${String(10 + second)}`, eventCategories: ['backup'] };
  setTextFields(event, TEXTS, form);
  return event;
}

describe('fujitsu text fields that arrive as arrays', () => {
  it('accepts a page with each text field as an array, a string, null or missing, and reads the first string', () => {
    const page = { events: FORMS.map(eventIn) };
    const sent = structuredClone(page);
    // The check the client runs on a page, and zod's own parser, which must agree with it.
    expect(responseCheck(eventListSchema).run(page)).toEqual({ ok: true, data: page });
    expect(eventListSchema.safeParse(page).success).toBe(true);

    // Validated in place, as the client does: the events handed on are the objects sent.
    const { events } = page as unknown as FujitsuEventList;
    const [asArray, asString, asNull, asMissing] = normalizeEvents(TENANT)(keyEvents(events, 'events.list'));
    for (const event of [asArray, asString]) {
      expect(event).toMatchObject({
        type: 'fujitsu.dbaas.backup',
        source: `fujitsu:/${TENANT}/db-instance/dbinst_678yuhyhih`,
        subject: 'dbinst_678yuhyhih',
        message: 'Finished DB Instance backup',
        data: { categories: ['backup'], sourceType: 'db-instance', sourceIdentifier: 'dbinst_678yuhyhih' },
      });
    }
    for (const event of [asNull, asMissing]) {
      expect(event?.source).toBe(`fujitsu:/${TENANT}/unknown/unknown`);
      expect(event?.data).toEqual({ categories: ['backup'] });
      expect(event).not.toHaveProperty('subject');
      expect(event).not.toHaveProperty('message');
    }
    // The raw events are the objects sent, untouched.
    expect([asArray?.raw, asString?.raw, asNull?.raw, asMissing?.raw]).toEqual(sent.events);
    expect(asArray?.raw).toBe(page.events[0]);
    expect(page).toEqual(sent);
  });

  it('gives a one-item array the id of the same event sent with a string', () => {
    const single: Record<string, unknown> = { date: '2013-03-18T19:09:17', eventCategories: ['backup'] };
    for (const [field, text] of Object.entries(TEXTS)) single[field] = [text];
    const plain = { date: '2013-03-18T19:09:17', eventCategories: ['backup'], ...TEXTS };
    const [fromArray, fromString] = keyEvents(eventListSchema.parse({ events: [single, plain] }).events, 'events.list');
    expect(fromArray?.id).toBe(fromString?.id);
  });

  it('lists such events through the client, where the page used to fail validation', async () => {
    const emulator = createEmulator();
    const extra = { sourceType: ['db-snapshot'], sourceIdentifier: ['snap_1', 'snap_2'], message: [7, 'Snapshot taken'] };
    emulator.store.events.add(TENANT, { at: Date.now() - 60_000, categories: ['snapshot'], extra });
    const [event] = await clientOf(emulator).events.list().toArray();
    expect(event).toMatchObject({
      source: `fujitsu:/${TENANT}/db-snapshot/snap_1`,
      subject: 'snap_1',
      message: 'Snapshot taken',
      raw: extra,
    });
  });
});
