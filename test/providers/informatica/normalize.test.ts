import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import {
  normalizeInformaticaEvent,
  normalizeInformaticaEvents,
  type InformaticaEventData,
} from '../../../src/providers/informatica/normalize.js';
import { informaticaEventSchema, type InformaticaEvent } from '../../../src/providers/informatica/schemas.js';
import { seedExample } from './fixtures.js';

const seed = informaticaEventSchema.parse(seedExample);

describe('normalizeInformaticaEvents', () => {
  it('maps the seed example field by field', () => {
    const [parent, child] = normalizeInformaticaEvents([seed], 'flatten');
    expect(parent).toEqual({
      provider: 'informatica',
      id: '32010',
      type: 'informatica.publication',
      time: '2023-04-20T02:45:58.094Z',
      source: 'informatica:/applications/DI_App/topics/DI_Topic',
      subject: 'DSS_Pub',
      status: 'Complete',
      severity: 'info',
      message: 'Publishing to topic completed successfully',
      data: {
        eventType: 'PUBLICATION',
        applicationName: 'DI_App',
        topicName: 'DI_Topic',
        completionTime: '2023-04-20T02:46:40.130Z',
        counts: { sourceSuccessCount: 1, sourceFailedCount: 0, targetSuccessCount: 1, targetFailedCount: 0 },
        history: seedExample.eventHistory,
        runId: '28',
        descendantState: 'ERROR',
        childEventIds: ['32011'],
      },
      raw: seed,
    });
    expect(child?.id).toBe('32011');
    expect(child?.type).toBe('informatica.subscription');
    expect(child?.severity).toBe('error');
    expect(child?.message).toBe('Subscription to topic failed. The job failed.');
    expect((child?.data as InformaticaEventData).parentEventId).toBe('32010');
    expect(child?.raw).toBe(seed.childEvents?.[0]);
  });

  it('keeps children inside their parent in nested mode', () => {
    const events = normalizeInformaticaEvents([seed], 'nested');
    expect(events).toHaveLength(1);
    const data = events[0]?.data as InformaticaEventData;
    expect(data.childEvents?.map((child) => child.id)).toEqual(['32011']);
    expect(data.childEventIds).toBeUndefined();
  });

  it('flattens grandchildren depth first and emits an id once per page', () => {
    const grandchild = { eventId: 3, createTime: '2023-04-20T02:47:00Z', parentEventId: 2 };
    const child = { eventId: 2, createTime: '2023-04-20T02:46:00Z', parentEventId: 1, childEvents: [grandchild] };
    const root = { eventId: 1, createTime: '2023-04-20T02:45:00Z', childEvents: [child] };
    const events = normalizeInformaticaEvents([root, { eventId: 4, createTime: '2023-04-20T02:44:00Z' }, child], 'flatten');
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4']);
    expect(events[2]?.time).toBe('2023-04-20T02:47:00.000Z');
  });

  it('emits a child once when its parent comes twice in a page, whatever its id next to the top-level ones', () => {
    const at = '2023-04-20T02:45:00Z';
    for (const childId of [7, 5_000]) {
      const parent = { eventId: 100, createTime: at, childEvents: [{ eventId: childId, createTime: at, parentEventId: 100 }] };
      const events = normalizeInformaticaEvents([parent, { eventId: 101, createTime: at }, parent], 'flatten');
      expect(events.map((event) => event.id)).toEqual(['100', String(childId), '101']);
    }
  });

  it('treats an id sent as a number and as a string that writes it (leading zeros too) as one id, and no other string', () => {
    const at = '2023-04-20T02:45:58Z';
    const page: InformaticaEvent[] = [
      { eventId: 7, createTime: at },
      { eventId: '7', createTime: at },
      { eventId: '07', createTime: at },
      { eventId: '9007199254740993', createTime: at },
      { eventId: '9007199254740992', createTime: at },
      { eventId: 9007199254740992, createTime: at },
    ];
    expect(normalizeInformaticaEvents(page, 'flatten').map((event) => event.id)).toEqual(['7', '9007199254740993', '9007199254740992']);
  });

  it('writes every id it emits without leading zeros: id, parentEventId, childEventIds', () => {
    const at = '2023-04-20T02:45:58Z';
    const child: InformaticaEvent = { eventId: '0032011', createTime: at, parentEventId: '032010' };
    const page: InformaticaEvent[] = [{ eventId: '032010', createTime: at, childEvents: [child] }, { eventId: 32010, createTime: at }, { eventId: '000', createTime: at }];
    const [parent, flatChild, zero, ...rest] = normalizeInformaticaEvents(page, 'flatten');
    expect(rest).toEqual([]);
    expect(parent?.id).toBe('32010');
    expect((parent?.data as InformaticaEventData).childEventIds).toEqual(['32011']);
    expect(flatChild?.id).toBe('32011');
    expect((flatChild?.data as InformaticaEventData).parentEventId).toBe('32010');
    expect(zero?.id).toBe('0');
    expect(normalizeInformaticaEvent({ eventId: '10', createTime: at, parentEventId: '007' }, 'nested').data['parentEventId']).toBe('7');
    // Past 2^53 a string is no number, and still one id however many zeros lead it.
    expect(normalizeInformaticaEvents([{ eventId: '009007199254740993', createTime: at }, { eventId: '9007199254740993', createTime: at }], 'flatten').map((event) => event.id)).toEqual(['9007199254740993']);
  });

  it('reads statuses in any case and keeps a list of history objects as sent', () => {
    const history = [{ comments: 'Started' }, { comments: '' }];
    const at = '2023-04-20T02:45:58Z';
    const events = normalizeInformaticaEvents(
      [
        { eventId: 1, createTime: at, eventStatus: 'ERROR', eventHistory: history },
        { eventId: 2, createTime: at, eventStatus: 'Error' },
        { eventId: 3, createTime: at, eventStatus: 'Delayed' },
        { eventId: 4, createTime: at, eventStatus: 'Archived' },
        { eventId: 5, createTime: at, eventStatus: 'ERROR' },
      ],
      'flatten',
    );
    expect(events.map((event) => event.severity)).toEqual(['error', 'error', 'warning', undefined, 'error']);
    expect(events[0]?.data.history).toBe(history);
    expect(events[0]?.message).toBe('Started');
  });

  it('accepts the other documented forms: eventHistory object, runID, string ids, missing names', () => {
    const raw: InformaticaEvent = {
      eventId: '99',
      createTime: '2023-04-20T04:45:58.094+02:00',
      runID: 7,
      eventStatus: 'Pending',
      topicName: 'T 1/x',
      eventHistory: { eventId: 99, timeStamp: '2023-04-20T02:45:58Z', eventStatusName: 'Pending', comments: 'Queued' },
    };
    const event = normalizeInformaticaEvent(raw, 'flatten');
    expect(event.time).toBe('2023-04-20T02:45:58.094Z');
    expect(event.type).toBe('informatica.unknown');
    expect(event.source).toBe('informatica:/topics/T%201%2Fx');
    expect(event.subject).toBeUndefined();
    expect(event.severity).toBe('info');
    expect(event.message).toBe('Queued');
    expect(event.data).toEqual({ counts: {}, history: [raw.eventHistory], runId: '7', topicName: 'T 1/x' });
  });

  it('types an event whose eventType is missing, empty or an empty list as informatica.unknown', () => {
    const at = '2023-04-20T02:45:58Z';
    for (const eventType of [undefined, null, '', [], [''], [3]]) {
      const event = normalizeInformaticaEvent({ eventId: 1, createTime: at, eventType }, 'flatten');
      expect(event.type, JSON.stringify(eventType)).toBe('informatica.unknown');
      expect(event.data, JSON.stringify(eventType)).not.toHaveProperty('eventType');
    }
  });

  it('takes the message from the newest comment of the history, the last entry that has one', () => {
    const history = [{ comments: 'Queued' }, { comments: 'Subscription to topic failed. Retry limit reached' }, { comments: '' }, {}];
    const event = normalizeInformaticaEvent({ eventId: 1, createTime: '2023-04-20T02:45:58Z', eventHistory: history }, 'flatten');
    expect(event.message).toBe('Subscription to topic failed. Retry limit reached');
  });

  it('keeps the history entries that are objects and reads only string comments and run ids', () => {
    const entry = { eventStatusName: 'Error', comments: 'Failed' };
    const raw: InformaticaEvent = {
      eventId: 5,
      createTime: '2023-04-20T02:45:58Z',
      runId: { nested: true },
      runID: '',
      eventHistory: [entry, 'noise', null, { comments: 42 }],
    };
    const event = normalizeInformaticaEvent(raw, 'flatten');
    expect(event.data.history).toEqual([entry, { comments: 42 }]);
    expect(event.message).toBe('Failed');
    expect(event.data).not.toHaveProperty('runId');
    expect(event.raw).toBe(raw);
    expect(normalizeInformaticaEvent({ ...raw, eventHistory: 'Pending' }, 'flatten').data.history).toEqual([]);
  });

  it('gives each event of a page its own type and source', () => {
    const at = '2023-04-20T02:45:58Z';
    const page: InformaticaEvent[] = [
      { eventId: 1, createTime: at, eventType: 'PUBLICATION', applicationName: 'A', topicName: 'T' },
      { eventId: 2, createTime: at, eventType: 'SUBSCRIPTION', applicationName: 'A', topicName: 'U' },
      { eventId: 3, createTime: at, eventType: 'PUBLICATION', applicationName: 'B', topicName: 'T' },
      { eventId: 4, createTime: at, applicationName: 'A', topicName: 'T' },
      { eventId: 5, createTime: at, eventType: 'SUBSCRIPTION', applicationName: 'A\u0000T' },
      { eventId: 6, createTime: at, applicationName: 'A\u0000', topicName: 'T' },
      { eventId: 7, createTime: at, applicationName: 'A', topicName: '\u0000T' },
    ];
    const events = normalizeInformaticaEvents(page, 'flatten');
    expect(events.map((event) => event.type)).toEqual([
      'informatica.publication',
      'informatica.subscription',
      'informatica.publication',
      'informatica.unknown',
      'informatica.subscription',
      'informatica.unknown',
      'informatica.unknown',
    ]);
    expect(events.map((event) => event.source)).toEqual([
      'informatica:/applications/A/topics/T',
      'informatica:/applications/A/topics/U',
      'informatica:/applications/B/topics/T',
      'informatica:/applications/A/topics/T',
      'informatica:/applications/A%00T',
      'informatica:/applications/A%00/topics/T',
      'informatica:/applications/A/topics/%00T',
    ]);
  });

  it('leaves a status beyond the documented ones without a severity', () => {
    const event = normalizeInformaticaEvent({ eventId: 1, createTime: '2023-04-20T02:45:58Z', eventStatus: 'Archived' }, 'flatten');
    expect(event.status).toBe('Archived');
    expect(event.severity).toBeUndefined();
    expect(event.source).toBe('informatica:/');
  });

  it('leaves a status named like a member of Object.prototype without a severity', () => {
    const at = '2023-04-20T02:45:58Z';
    const statuses = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    const events = normalizeInformaticaEvents(statuses.map((eventStatus, index) => ({ eventId: index, createTime: at, eventStatus })), 'flatten');
    expect(events.map((event) => event.status)).toEqual(statuses);
    for (const event of events) expect(event).not.toHaveProperty('severity');
  });

  it('writes a lone surrogate in an application or topic name as U+FFFD instead of failing the page with a URIError', () => {
    const at = '2023-04-20T02:45:58Z';
    const events = normalizeInformaticaEvents(
      [
        { eventId: 1, createTime: at, applicationName: 'A\ud800' },
        { eventId: 2, createTime: at, applicationName: 'A', topicName: ['\udc00T'] },
      ],
      'flatten',
    );
    expect(events.map((event) => event.source)).toEqual(['informatica:/applications/A%EF%BF%BD', 'informatica:/applications/A/topics/%EF%BF%BDT']);
    expect(events[0]?.data['applicationName']).toBe('A\ud800');
  });

  it('fails on an unusable createTime, naming it and keeping the raw event', () => {
    const raw = { eventId: 5, createTime: 'yesterday' };
    let caught: unknown;
    try {
      normalizeInformaticaEvents([raw], 'flatten');
    } catch (error) {
      caught = error;
    }
    expect(isResponseValidationError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/createTime/);
    expect((caught as { raw: unknown }).raw).toBe(raw);
    expect((caught as { operation: unknown }).operation).toBe('events.list');
    expect(() => normalizeInformaticaEvent(raw, 'flatten')).toThrow(expect.objectContaining({ operation: 'events.get' }));
  });

  it('reads a count sent as a numeric string, and lets any other drifted count not fail the page', () => {
    const raw = { ...seed, sourceSuccessCount: '5', sourceFailedCount: [1], targetSuccessCount: 3, targetFailedCount: null };
    expect(informaticaEventSchema.safeParse(raw).success).toBe(true);
    const [event] = normalizeInformaticaEvents([raw], 'flatten');
    expect(event?.data.counts).toEqual({ sourceSuccessCount: 5, targetSuccessCount: 3 });
  });

  it('leaves out a completionTime it cannot read, which only data carries, rather than fail the page', () => {
    const raw = { ...seed, completionTime: '0000-00-00T00:00:00.000Z' };
    const [event] = normalizeInformaticaEvents([raw], 'flatten');
    expect(event?.data).not.toHaveProperty('completionTime');
    expect(event?.raw).toBe(raw);
    expect(event?.data.eventType).toBe(seed.eventType);
  });

  it('leaves out exactly the fields derived from what an event does not send, whatever else it sends', () => {
    const full: InformaticaEvent = {
      eventId: 1,
      createTime: '2023-04-20T02:45:58Z',
      completionTime: '2023-04-20T02:46:00.5Z',
      eventType: 'PUBLICATION',
      eventStatus: 'Error',
      descendantState: 'NONE',
      applicationName: 'A',
      pubSubName: 'P',
      topicName: 'T',
      sourceSuccessCount: 1,
      sourceFailedCount: 2,
      targetSuccessCount: 3,
      targetFailedCount: 4,
      runId: '9',
      parentEventId: 7,
      eventHistory: [{ comments: 'Failed' }],
    };
    const derived: Record<string, { event?: string[]; data?: string[] }> = {
      completionTime: { data: ['completionTime'] },
      eventType: { data: ['eventType'] },
      eventStatus: { event: ['status', 'severity'] },
      descendantState: { data: ['descendantState'] },
      applicationName: { data: ['applicationName'] },
      pubSubName: { event: ['subject'] },
      topicName: { data: ['topicName'] },
      runId: { data: ['runId'] },
      parentEventId: { data: ['parentEventId'] },
      // Its history becomes the empty list, checked below.
      eventHistory: { event: ['message'] },
    };
    const whole = normalizeInformaticaEvent(full, 'flatten');
    expect(Object.keys(whole).sort()).toEqual(['data', 'id', 'message', 'provider', 'raw', 'severity', 'source', 'status', 'subject', 'time', 'type']);
    expect(Object.keys(whole.data).sort()).toEqual([
      'applicationName', 'completionTime', 'counts', 'descendantState', 'eventType', 'history', 'parentEventId', 'runId', 'topicName',
    ]);
    expect(whole.data.completionTime).toBe('2023-04-20T02:46:00.500Z');
    for (const [field, { event = [], data = [] }] of Object.entries(derived)) {
      const { [field]: _left, ...sent } = full as Record<string, unknown>;
      const normalized = normalizeInformaticaEvent(sent as InformaticaEvent, 'flatten');
      expect(Object.keys(normalized).sort(), field).toEqual(Object.keys(whole).filter((key) => !event.includes(key)).sort());
      expect(Object.keys(normalized.data).sort(), field).toEqual(Object.keys(whole.data).filter((key) => !data.includes(key)).sort());
      for (const key of Object.keys(normalized.data)) {
        if (field === 'eventHistory' && key === 'history') expect(normalized.data.history).toEqual([]);
        else expect((normalized.data as Record<string, unknown>)[key], `${field}: data.${key}`).toEqual((whole.data as Record<string, unknown>)[key]);
      }
    }
  });

  it('gives each event without counts or history an empty object and list of its own', () => {
    const events = normalizeInformaticaEvents(
      [
        { eventId: 1, createTime: '2023-04-20T02:45:58Z' },
        { eventId: 2, createTime: '2023-04-20T02:45:58Z', eventHistory: 'Pending', targetFailedCount: null },
      ],
      'flatten',
    );
    for (const event of events) {
      const data = event.data as InformaticaEventData;
      expect(data.counts).toEqual({});
      expect(Array.isArray(data.history)).toBe(true);
      expect(data.history).toHaveLength(0);
    }
    // A caller annotating one event changes no other.
    const [first, second] = events.map((event) => event.data as InformaticaEventData);
    first?.history.push({ comments: 'x' });
    Object.assign(first?.counts ?? {}, { sourceSuccessCount: 1 });
    expect(second?.history).toEqual([]);
    expect(second?.counts).toEqual({});
    const one = normalizeInformaticaEvent({ eventId: 3, createTime: '2023-04-20T02:45:58Z', targetFailedCount: 0 }, 'flatten');
    expect(one.data.counts).toEqual({ targetFailedCount: 0 });
  });

  it('returns a dense list of exactly the events kept, also when ids repeat in a page', () => {
    const at = '2023-04-20T02:45:58Z';
    const child = { eventId: 2, createTime: at, parentEventId: 1 };
    const page: InformaticaEvent[] = [{ eventId: 1, createTime: at, childEvents: [child, child] }, child, { eventId: 3, createTime: at }];
    for (const mode of ['flatten', 'nested'] as const) {
      const events = normalizeInformaticaEvents(page, mode);
      // Flattened, the second `2` and the repeated child are dropped; nested, the top-level `2` is new.
      const ids = ['1', '2', '3'];
      expect(events).toHaveLength(ids.length);
      expect(Object.keys(events)).toEqual(ids.map((_, index) => String(index)));
      expect(events.map((event) => event.id)).toEqual(ids);
    }
    expect(normalizeInformaticaEvents([], 'flatten')).toEqual([]);
  });

  it('keeps the first event of each id, in order, for ids in a narrow or a wide range, numbers or strings (property)', () => {
    const id = fc.oneof(
      fc.integer({ min: 1000, max: 1040 }),
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, 2 ** 32 + 1),
      fc.integer({ min: 1000, max: 1010 }).map(String),
    );
    const tree: fc.Arbitrary<InformaticaEvent> = fc.letrec<{ event: InformaticaEvent }>((self) => ({
      event: fc.record(
        { eventId: id, childEvents: fc.oneof({ depthSize: 'small' }, fc.constant<InformaticaEvent[]>([]), fc.array(self('event'), { maxLength: 3 })) },
      ).map((event) => ({ ...event, createTime: '2023-04-20T02:45:58Z' })),
    })).event;
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 12 }), fc.constantFrom('flatten' as const, 'nested' as const), (page, mode) => {
        const visited: InformaticaEvent[] = [];
        const visit = (event: InformaticaEvent) => {
          visited.push(event);
          if (mode === 'flatten') for (const child of event.childEvents ?? []) visit(child);
        };
        page.forEach(visit);
        // Ids meet when they write the same number, as `'5'` and `5` do.
        const key = (value: number | string) => (String(Number(value)) === String(value) ? Number(value) : value);
        const kept = new Map<number | string, InformaticaEvent>();
        for (const event of visited) if (!kept.has(key(event.eventId))) kept.set(key(event.eventId), event);
        const events = normalizeInformaticaEvents(page, mode);
        expect(events.map((event) => event.raw)).toEqual([...kept.values()]);
        expect(events.every((event, index) => event.raw === [...kept.values()][index])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
