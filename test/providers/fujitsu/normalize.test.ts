import { hash } from 'node:crypto';

import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { toCloudEvent } from '../../../src/core/cloudevent.js';

import { isResponseValidationError } from '../../../src/core/errors.js';
import { fujitsuErrorMessage } from '../../../src/providers/fujitsu/errors.js';
import { categoriesOf, contentId } from '../../../src/providers/fujitsu/identity.js';
import { keyEvents, normalizeEvents, type FujitsuTributaryEvent } from '../../../src/providers/fujitsu/normalize.js';
import { eventListSchema, eventSchema, type FujitsuEvent } from '../../../src/providers/fujitsu/schemas.js';
import { toRfc3339Millis } from '../../../src/core/time.js';
import { toQueryTime } from '../../../src/providers/fujitsu/time.js';
import { LINEAR_BOUND_MS, LONG_RUN, millisecondsOf } from '../../support/linear-time.js';

const seedExample = {
  events: [
    {
      date: '2013-03-18T19:09:17',
      eventCategories: ['backup'],
      message: 'Finished DB Instance backup',
      sourceIdentifier: 'dbinst_678yuhyhih',
      sourceType: 'db-instance',
    },
  ],
};

describe('fujitsu schemas', () => {
  it('parses the seed example and keeps unknown fields', () => {
    const parsed = eventListSchema.parse({ ...seedExample, extra: 1 });
    expect(parsed.events[0]?.eventCategories).toEqual(['backup']);
    expect((parsed as Record<string, unknown>)['extra']).toBe(1);
    const withUnknown = eventSchema.parse({ date: '2013-03-18T19:09:17Z', region: 'uk-1' });
    expect(withUnknown['region']).toBe('uk-1');
  });

  it('accepts categories as a string, null fields and missing optional fields', () => {
    expect(eventSchema.parse({ date: '2013-03-18T19:09:17', eventCategories: 'backup' }).eventCategories).toBe('backup');
    expect(eventSchema.parse({ date: '2013-03-18 19:09', message: null, sourceType: null }).message).toBeNull();
  });

  it('rejects an event without a usable date and names the field', () => {
    const result = eventListSchema.safeParse({ events: [{ message: 'no date' }, { date: 'yesterday' }] });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['events.0.date', 'events.1.date']);
    expect(eventListSchema.safeParse([seedExample.events[0]]).success).toBe(false);
  });
});

describe('fujitsu time', () => {
  it.each([
    ['2013-03-18T19:09:17', '2013-03-18T19:09:17.000Z'],
    ['2013-03-18T19:09:17Z', '2013-03-18T19:09:17.000Z'],
    ['2013-03-18T19:09:17.5', '2013-03-18T19:09:17.500Z'],
    ['2013-03-18T19:09:17.123456Z', '2013-03-18T19:09:17.123Z'],
    ['2013-03-18 19:09', '2013-03-18T19:09:00.000Z'],
    ['2009-07-08T18:00Z', '2009-07-08T18:00:00.000Z'],
    ['2013-03-18T20:09:17+01:00', '2013-03-18T19:09:17.000Z'],
    ['2013-03-18T20:09:17+0100', '2013-03-18T19:09:17.000Z'],
    ['2013-03-18T20:09:17+01', '2013-03-18T19:09:17.000Z'],
  ])('reads %s as %s (zone-less is UTC)', (input, expected) => {
    expect(toRfc3339Millis(input)).toBe(expected);
  });

  it('refuses dates that are not instants', () => {
    expect(toRfc3339Millis('2013-13-45T99:99:99')).toBeUndefined();
    expect(toRfc3339Millis('2013-02-30T10:00:00+99:99')).toBeUndefined();
    expect(toRfc3339Millis('soon')).toBeUndefined();
  });

  it('formats query times as whole UTC seconds', () => {
    expect(toQueryTime(Date.UTC(2026, 10, 23, 10, 0, 5, 900))).toBe('2026-11-23T10:00:05Z');
  });
});

describe('fujitsu identity', () => {
  const event = seedExample.events[0]!;

  it('is the same for the same content in any representation', () => {
    const a = keyEvents([event], 'events.list')[0]!;
    const b = keyEvents(
      [{ ...event, date: '2013-03-18T19:09:17Z', eventCategories: 'backup', unrelated: true }],
      'events.list',
    )[0]!;
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(b.id).toBe(a.id);
  });

  it('differs when any identifying field differs', () => {
    const base = contentId(event, '2013-03-18T19:09:17.000Z', ['backup']);
    const variants = [
      contentId(event, '2013-03-18T19:09:18.000Z', ['backup']),
      contentId({ ...event, sourceType: 'db-snapshot' }, '2013-03-18T19:09:17.000Z', ['backup']),
      contentId({ ...event, sourceIdentifier: 'other' }, '2013-03-18T19:09:17.000Z', ['backup']),
      contentId(event, '2013-03-18T19:09:17.000Z', ['backup', 'notification']),
      contentId({ ...event, message: 'Started' }, '2013-03-18T19:09:17.000Z', ['backup']),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it('keeps the items of a text field sent as an array apart, and reads a one-item array as its text', () => {
    const at = (fields: Partial<FujitsuEvent>) => contentId({ ...event, ...fields }, '2013-03-18T19:09:17.000Z', ['backup']);
    for (const field of ['sourceType', 'sourceIdentifier', 'message'] as const) {
      expect(at({ [field]: ['a', 'b'] }), field).not.toBe(at({ [field]: 'a,b' }));
      expect(at({ [field]: ['a', { b: 1 }] }), field).not.toBe(at({ [field]: ['a', '[object Object]'] }));
      expect(at({ [field]: ['a'] }), field).toBe(at({ [field]: 'a' }));
    }
  });

  it('tells fields apart whatever text they hold, control characters included', () => {
    const id = (fields: Partial<FujitsuEvent>, categories = ['backup']) => contentId({ date: 'x', ...fields }, '2013-03-18T19:09:17.000Z', categories);
    const pairs: Array<[string, string]> = [
      [id({ sourceType: 'a\u0000b', sourceIdentifier: 'c' }), id({ sourceType: 'a', sourceIdentifier: 'b\u0000c' })],
      [id({ message: '\u0001' }), id({})],
      [id({ message: '' }), id({})],
      [id({}, ['a\u0002b']), id({}, ['a', 'b'])],
      [id({ sourceType: 'a', sourceIdentifier: 'b' }), id({ sourceType: 'a', message: 'b' })],
      [id({ message: ['a', 'b'] }), id({ message: '[2' + '1:a1:b' })],
      [id({ sourceType: 'ab', sourceIdentifier: 'c' }), id({ sourceType: 'a', sourceIdentifier: 'bc' })],
      [id({ message: '-' }), id({})],
    ];
    for (const [a, b] of pairs) expect(a).not.toBe(b);
  });

  it('tells apart texts that differ only in an unpaired surrogate, which UTF-8 writes as one replacement character', () => {
    // JSON may carry `\ud800` escapes; hashed as UTF-8, every lone surrogate and U+FFFD were the same bytes.
    const id = (message: string, categories = ['backup']) => contentId({ date: 'x', message }, '2013-03-18T19:09:17.000Z', categories);
    const ids = [id('a\ud800'), id('a\ud801'), id('a\udc00'), id('a\ufffd'), id('a\\ud800'), id('x', ['\ud800']), id('x', ['\ud801'])];
    expect(new Set(ids).size).toBe(ids.length);
    // Well-formed text keeps the id it always had: a cursor's remembered ids still match.
    expect(id('Finished DB Instance backup \u{1F600}')).toBe(hash('sha256', `2013-03-18T19:09:17.000Z--{16:backup${'Finished DB Instance backup \u{1F600}'.length}:Finished DB Instance backup \u{1F600}`, 'hex').slice(0, 32));
  });

  it('splits a comma-separated category string and drops blanks', () => {
    expect(categoriesOf({ date: 'x', eventCategories: 'backup, notification,' })).toEqual(['backup', 'notification']);
    expect(categoriesOf({ date: 'x', eventCategories: null })).toEqual([]);
  });
});

describe('fujitsu normalize', () => {
  it('maps every field as the README table says', () => {
    const [normalized] = normalizeEvents('tenant 1')(keyEvents([{ ...event(), zone: 'uk-1a' }], 'events.list'));
    expect(normalized).toEqual({
      provider: 'fujitsu',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      type: 'fujitsu.dbaas.low-storage',
      time: '2013-03-18T19:09:17.000Z',
      source: 'fujitsu:/tenant%201/db-instance/dbinst%2F1',
      subject: 'dbinst/1',
      message: 'Storage low',
      data: { categories: ['Low Storage', 'notification'], sourceType: 'db-instance', sourceIdentifier: 'dbinst/1', zone: 'uk-1a' },
      raw: { ...event(), zone: 'uk-1a' },
    });
  });

  it('takes an empty sourceIdentifier or message for a missing one, so its CloudEvent stays valid', () => {
    const [normalized] = normalizeEvents('t1')(keyEvents([{ ...event(), sourceIdentifier: '', message: '' }], 'events.list'));
    expect(normalized).not.toHaveProperty('subject');
    expect(normalized).not.toHaveProperty('message');
    expect(normalized?.source).toBe('fujitsu:/t1/db-instance/unknown');
    const json = toCloudEvent(normalized as FujitsuTributaryEvent);
    expect(new CloudEvent<unknown>(json as never, true).validate()).toBe(true);
    // An empty source type too, as the README's table says.
    const [untyped] = normalizeEvents('t1')(keyEvents([{ ...event(), sourceType: '' }], 'events.list'));
    expect(untyped?.source).toMatch(/^fujitsu:\/t1\/unknown\//);
  });

  it('keeps the letters of any script in a category type: two categories stay two types', () => {
    const types = normalizeEvents('t')(keyEvents(['バックアップ', 'フェイルオーバー', 'Récupération', 'Low Storage'].map((category) => ({ ...event(), eventCategories: [category] })), 'events.list')).map((e) => e.type);
    expect(types).toEqual(['fujitsu.dbaas.バックアップ', 'fujitsu.dbaas.フェイルオーバー', 'fujitsu.dbaas.récupération', 'fujitsu.dbaas.low-storage']);
  });

  it('drops the dashes a category begins or ends with from its type, and types a category of no letter or digit as an event', () => {
    const types = normalizeEvents('t')(keyEvents(['(Low Storage)!', '!!!'].map((category) => ({ ...event(), eventCategories: [category] })), 'events.list')).map((e) => e.type);
    expect(types).toEqual(['fujitsu.dbaas.low-storage', 'fujitsu.dbaas.event']);
  });

  it('types a category of a long run of dashes inside it in time linear in its length', () => {
    // Each dash of the run was tried again to the run's end as the category's last: 200,000 took half a minute.
    const category = `a${'-'.repeat(LONG_RUN)}b-`;
    const keyed = keyEvents([{ ...event(), eventCategories: [category] }], 'events.list');
    let type: string | undefined;
    expect(millisecondsOf(() => (type = normalizeEvents('t')(keyed)[0]?.type))).toBeLessThan(LINEAR_BOUND_MS);
    expect(type).toBe(`fujitsu.dbaas.${category.slice(0, -1)}`);
  });

  it('derives the same type and source for every event of a page, past any number of distinct values', () => {
    const normalize = normalizeEvents('t');
    const raws = Array.from({ length: 600 }, (_, i) => ({
      date: '2013-03-18T19:09:17',
      eventCategories: [`Cat ${i % 300}`],
      sourceType: i % 2 === 0 ? 'db-instance' : `kind/${i}`,
      sourceIdentifier: `id ${i}`,
    }));
    const events = normalize(keyEvents(raws, 'events.list'));
    const again = normalize(keyEvents(raws, 'events.list'));
    events.forEach((normalized, i) => {
      expect(normalized.type).toBe(`fujitsu.dbaas.cat-${i % 300}`);
      const sourceType = i % 2 === 0 ? 'db-instance' : `kind%2F${i}`;
      expect(normalized.source).toBe(`fujitsu:/t/${sourceType}/id%20${i}`);
      expect(again[i]).toEqual(normalized);
    });
  });

  it('keeps the shape when optional fields are missing', () => {
    const [normalized] = normalizeEvents('t')(keyEvents([{ date: '2013-03-18T19:09:17', message: null }], 'events.list'));
    expect(normalized?.type).toBe('fujitsu.dbaas.event');
    expect(normalized?.source).toBe('fujitsu:/t/unknown/unknown');
    expect(normalized).not.toHaveProperty('subject');
    expect(normalized).not.toHaveProperty('message');
    expect(normalized?.data).toEqual({ categories: [] });
  });

  it('keeps only the fields present when one of subject and message is missing', () => {
    const [onlyType, onlyId] = normalizeEvents('t')(
      keyEvents(
        [
          { date: '2013-03-18T19:09:17', sourceType: 'db-instance', message: 'm' },
          { date: '2013-03-18T19:09:17', sourceIdentifier: 'db1', extra: 2 },
        ],
        'events.list',
      ),
    );
    expect(onlyType).toHaveProperty('message', 'm');
    expect(onlyType).not.toHaveProperty('subject');
    expect(onlyType?.data).toEqual({ categories: [], sourceType: 'db-instance' });
    expect(onlyId).toHaveProperty('subject', 'db1');
    expect(onlyId).not.toHaveProperty('message');
    expect(onlyId?.data).toEqual({ categories: [], sourceIdentifier: 'db1', extra: 2 });
  });

  it('reads each date of a page, including one after a run of equal dates', () => {
    const keyed = keyEvents(
      [event(), event(), { ...event(), date: '2013-03-18T19:09:16Z' }, { ...event(), date: '2013-03-18T19:09:16' }],
      'events.list',
    );
    expect(keyed.map((k) => k.time)).toEqual([
      '2013-03-18T19:09:17.000Z',
      '2013-03-18T19:09:17.000Z',
      '2013-03-18T19:09:16.000Z',
      '2013-03-18T19:09:16.000Z',
    ]);
    expect(keyed[0]?.id).toBe(keyed[1]?.id);
    expect(keyed[2]?.id).toBe(keyed[3]?.id);
    expect(keyed[2]?.id).not.toBe(keyed[0]?.id);
    const bad = { ...event(), date: '2013-03-18T19:09:99' };
    expect(() => keyEvents([event(), event(), bad], 'events.list')).toThrow(/event at events\[2\] of its page has an unusable date/);
  });

  it('fails with a ResponseValidationError that keeps the raw event when a date is not an instant', () => {
    const bad = { date: '2013-02-30T25:00:00', message: 'x' };
    let caught: unknown;
    try {
      keyEvents([event(), bad], 'events.list');
    } catch (error) {
      caught = error;
    }
    expect(isResponseValidationError(caught)).toBe(true);
    const error = caught as { issues: string[]; raw: unknown; operation: string };
    expect(error.issues).toEqual(['date: not a date and time ("2013-02-30T25:00:00")']);
    expect(error.raw).toBe(bad);
    expect(error.operation).toBe('events.list');
  });

  it('writes a lone surrogate in a source segment as U+FFFD instead of failing the page with a URIError', () => {
    const [byType, byIdentifier] = normalizeEvents('t\ud800')(
      keyEvents([{ ...event(), sourceType: 'db\udc00' }, { ...event(), sourceIdentifier: ['i\ud800'] }], 'events.list'),
    );
    expect(byType?.source).toBe('fujitsu:/t%EF%BF%BD/db%EF%BF%BD/dbinst%2F1');
    expect(byIdentifier?.source).toBe('fujitsu:/t%EF%BF%BD/db-instance/i%EF%BF%BD');
    // Only the URI is made well formed: the other fields keep the text as sent.
    expect(byIdentifier?.subject).toBe('i\ud800');
  });

  it('copies the fields the service adds into data without replacing categories or setting its prototype', () => {
    // As the client passes it on (its schema checks in place): parsed JSON, whose `__proto__` is an own key.
    const raw = JSON.parse('{"date":"2013-03-18T19:09:17","eventCategories":["backup"],"categories":"oops","__proto__":{"injected":true},"region":"uk-1"}') as FujitsuEvent;
    expect(Object.hasOwn(raw, '__proto__')).toBe(true);
    const [normalized] = normalizeEvents('t')(keyEvents([raw], 'events.list'));
    const data = normalized?.data as Record<string, unknown>;
    expect(data).toEqual({ categories: ['backup'], region: 'uk-1' });
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data['injected']).toBeUndefined();
    expect(normalized?.raw).toBe(raw);
  });

  it('names the type after the first category in sorted order, so one id is one type whatever the order sent', () => {
    const normalize = normalizeEvents('t');
    const [listed, joined, reversed] = normalize(
      keyEvents(
        [
          { date: '2013-03-18T19:09:17', eventCategories: ['failover', 'backup'] },
          { date: '2013-03-18T19:09:17', eventCategories: 'backup,failover' },
          { date: '2013-03-18T19:09:18', eventCategories: ' failover , backup ' },
        ],
        'events.list',
      ),
    );
    expect(listed?.id).toBe(joined?.id);
    expect([listed?.type, joined?.type, reversed?.type]).toEqual(['fujitsu.dbaas.backup', 'fujitsu.dbaas.backup', 'fujitsu.dbaas.backup']);
    // The data keeps the categories as sent.
    expect(listed?.data['categories']).toEqual(['failover', 'backup']);
  });

  function event() {
    return {
      date: '2013-03-18T19:09:17',
      eventCategories: ['Low Storage', 'notification'],
      message: 'Storage low',
      sourceIdentifier: 'dbinst/1',
      sourceType: 'db-instance',
    };
  }
});

describe('fujitsu error bodies', () => {
  it.each([
    [{ itemNotFound: { message: 'Instance not found', code: 404 } }, 'itemNotFound: Instance not found'],
    [{ error: { message: 'The request you have made requires authentication.', code: 401, title: 'Unauthorized' } }, 'The request you have made requires authentication.'],
    [{ forbidden: { title: 'Forbidden', code: 403 } }, 'forbidden: Forbidden'],
    [{ message: 'plain' }, 'plain'],
    ['  Service Unavailable \n', 'Service Unavailable'],
    [{ request_id: 'req-1', badRequest: { message: 'Invalid marker', code: 400 } }, 'badRequest: Invalid marker'],
    [{ unrelated: 1 }, undefined],
    [null, undefined],
    ['', undefined],
  ])('reads %j', (body, expected) => {
    expect(fujitsuErrorMessage(body)).toBe(expected);
  });

  it('hands the message over whole: the core redacts it before it cuts it', () => {
    expect(fujitsuErrorMessage('x'.repeat(2000))).toHaveLength(2000);
  });
});
