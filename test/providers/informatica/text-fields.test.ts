import { describe, expect, it } from 'vitest';
import { responseCheck } from '../../../src/core/response-schema.js';
import { normalizeInformaticaEvent, normalizeInformaticaEvents } from '../../../src/providers/informatica/normalize.js';
import {
  informaticaEventListSchema,
  informaticaEventSchema,
  searchResults,
  type InformaticaEvent,
} from '../../../src/providers/informatica/schemas.js';
import { FORMS, setTextFields, type Form } from '../../support/text-forms.js';

/** The optional documented strings, which some responses send as arrays (VENDORS.md: general rules). */
const TEXTS = {
  eventType: 'SUBSCRIPTION',
  applicationName: 'DI_App',
  topicName: 'DI_Topic',
  pubSubName: 'DSS_Sub',
  completionTime: '2023-04-20T02:47:04.801Z',
  eventStatus: 'Error',
  descendantState: 'NONE',
};


/** One event with every optional text field in `form`; an array holds the text first. */
function eventIn(form: Form, eventId: number): Record<string, unknown> {
  const event: Record<string, unknown> = { eventId, createTime: '2023-04-20T02:46:40.157Z' };
  setTextFields(event, TEXTS, form, 'other');
  return event;
}

/** What the text fields normalize to, when sent as an array or a string. */
const read = {
  type: 'informatica.subscription',
  source: 'informatica:/applications/DI_App/topics/DI_Topic',
  subject: 'DSS_Sub',
  status: 'Error',
  severity: 'error',
  data: {
    eventType: 'SUBSCRIPTION',
    applicationName: 'DI_App',
    topicName: 'DI_Topic',
    completionTime: '2023-04-20T02:47:04.801Z',
    descendantState: 'NONE',
  },
};

describe('informatica text fields that arrive as arrays', () => {
  it('accepts a page with each optional text field as an array, a string, null or missing, and reads the first string', () => {
    const page = FORMS.map((form, index) => eventIn(form, 100 + index));
    const sent = structuredClone(page);
    // The check the client runs on a page, and zod's own parser, which must agree with it.
    expect(responseCheck(informaticaEventListSchema).run(page)).toEqual({ ok: true, data: page });
    expect(informaticaEventListSchema.safeParse(page).success).toBe(true);

    const events = searchResults(informaticaEventListSchema.parse(page));
    const [asArray, asString, asNull, asMissing] = normalizeInformaticaEvents(events, 'flatten');
    expect(asArray).toMatchObject(read);
    expect(asString).toMatchObject(read);
    for (const event of [asNull, asMissing]) {
      expect(event).toMatchObject({ type: 'informatica.unknown', source: 'informatica:/' });
      expect(event?.data).toEqual({ counts: {}, history: [] });
      for (const field of ['subject', 'status', 'severity']) expect(event).not.toHaveProperty(field);
    }
    // The raw events are the objects sent, untouched.
    expect([asArray?.raw, asString?.raw, asNull?.raw, asMissing?.raw]).toEqual(sent);
    expect(page).toEqual(sent);
  });

  it('reads child events the same way, flattened or nested, and a single bare event', () => {
    const parent = { ...eventIn('array', 1), childEvents: [eventIn('array', 2)] };
    expect(responseCheck(informaticaEventListSchema).run(parent).ok).toBe(true);
    const raw = informaticaEventSchema.parse(parent);
    const [, child] = normalizeInformaticaEvents([raw], 'flatten');
    expect(child).toMatchObject({ ...read, id: '2' });
    const nested = normalizeInformaticaEvent(raw, 'nested');
    expect(nested).toMatchObject({ ...read, raw: parent });
    expect(nested.data['childEvents']).toMatchObject([{ ...read, id: '2' }]);
    expect((raw.childEvents?.[0] as InformaticaEvent).eventType).toEqual(['SUBSCRIPTION', 'other']);
  });
});
