import { CloudEvent } from 'cloudevents';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCloudEvent } from '../../src/core/cloudevent.js';
import type { TributaryEvent } from '../../src/core/event.js';
import { cloudEventProblems } from '../support/cloudevent-check.js';

const full: TributaryEvent<'illumio', { href: string }> = {
  provider: 'illumio',
  id: '/orgs/1/events/abc',
  type: 'user.login',
  time: '2026-11-23T10:00:00.000Z',
  source: 'illumio:/orgs/1',
  subject: '/users/7',
  actor: { kind: 'user', id: '/users/7', name: 'ana@example.com' },
  severity: 'warning',
  status: 'success',
  message: 'User logged in',
  data: { api_method: 'POST', nested: { n: 1 } },
  raw: { href: '/orgs/1/events/abc' },
};

/** Validates with the independent cloudevents SDK (its strict constructor runs the JSON schema). */
function validateWithSdk(json: object): CloudEvent<unknown> {
  const event = new CloudEvent<unknown>(json as never, true);
  expect(event.validate()).toBe(true);
  return event;
}

describe('toCloudEvent', () => {
  it('leaves what childEvents holds beside events as it is, dropping only the raw of the events', () => {
    const ce = toCloudEvent({ ...full, data: { childEvents: [null, 'job-17', { id: 'c', data: {}, raw: { secret: 1 } }] } });
    expect(ce.data['childEvents']).toEqual([null, 'job-17', { id: 'c', data: {} }]);
  });

  it('maps every field of a full event to a valid CloudEvents 1.0 JSON event', () => {
    const json = toCloudEvent(full);
    expect(json).toEqual({
      specversion: '1.0',
      id: '/orgs/1/events/abc',
      source: 'illumio:/orgs/1',
      type: 'user.login',
      time: '2026-11-23T10:00:00.000Z',
      datacontenttype: 'application/json',
      subject: '/users/7',
      data: { api_method: 'POST', nested: { n: 1 } },
      provider: 'illumio',
      severity: 'warning',
      status: 'success',
      actorkind: 'user',
      actorid: '/users/7',
      actorname: 'ana@example.com',
      message: 'User logged in',
    });
    const event = validateWithSdk(JSON.parse(JSON.stringify(json)) as object);
    expect(event.actorname).toBe('ana@example.com');
    expect(event.time).toBe('2026-11-23T10:00:00.000Z');
  });

  it('leaves absent optional fields out (no undefined attributes)', () => {
    const { subject, actor, severity, status, message, ...minimal } = full;
    void subject, actor, severity, status, message;
    const json = toCloudEvent({ ...minimal, actor: { kind: 'system' } });
    expect(Object.keys(json).sort()).toEqual(['actorkind', 'data', 'datacontenttype', 'id', 'provider', 'source', 'specversion', 'time', 'type']);
    validateWithSdk(json);
  });

  it('leaves an empty subject out: CloudEvents requires one that is present to be non-empty', () => {
    const json = toCloudEvent({ ...full, subject: '' });
    expect(json).not.toHaveProperty('subject');
    validateWithSdk(json);
  });

  it('keeps attribute values to the characters a CloudEvents String allows, so none breaks a header', () => {
    const ce = toCloudEvent({
      ...full,
      message: 'Backup failed:\n\tdisk full\u0085',
      subject: 'run\u0000 \ud800 😀',
      actor: { kind: 'user', id: '/users/7', name: 'Ana\r\nX-Injected: 1' },
      status: 'fa\uffffil',
    });
    expect(ce.message).toBe('Backup failed:  disk full ');
    expect(ce.subject).toBe('run  \ufffd 😀');
    expect(ce.actorname).toBe('Ana  X-Injected: 1');
    expect(ce.status).toBe('fa\ufffdil');
    // No line break left for a header in the spec's binary HTTP mode (which percent-encodes the rest).
    for (const value of Object.values(ce)) if (typeof value === 'string') expect(value).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(toCloudEvent(full).message).toBe(full.message);
  });

  it('takes U+009F, the last C1 control, as a control: a space, not U+FFFD', () => {
    const ce = toCloudEvent({ ...full, message: 'a\u009fb\u009ec\u00a0d', status: '\u009f' });
    expect(ce.message).toBe('a b c\u00a0d');
    expect(ce.status).toBe(' ');
  });

  it('cleans an attribute right after an id with a refused character further on than the attribute\'s', () => {
    // The id's match leaves the shared pattern's search position past the source's tab.
    const ce = toCloudEvent({ ...full, id: '/orgs/1/events/abc\n', source: '\tillumio:/orgs/1', type: 'user\n.login' });
    expect(ce.id).toBe('/orgs/1/events/abc%u{a}');
    expect(ce.source).toBe('%09illumio%3A/orgs/1');
    expect(ce.type).toBe('user .login');
  });

  it('percent-encodes a control in a source the user built, at its start, middle or end: a URI-reference holds no space', () => {
    // A control became a space, which no URI-reference holds: ` illumio:/orgs/1` was no valid source.
    const sources = (...texts: string[]): string[] => texts.map((source) => toCloudEvent({ ...full, source }).source);
    expect(sources('\tillumio:/orgs/1', '\u0000/orgs/1', 'illumio:/or\ngs/1', 'illumio:/orgs/1\r\n', 'illumio:/orgs/1\u0085', 'illumio:/orgs/\u007f1')).toEqual([
      // Escaped, the tab is no longer before a scheme: the colon of the first segment is escaped too (RFC 3986 4.2).
      '%09illumio%3A/orgs/1',
      '%00/orgs/1',
      'illumio:/or%0Ags/1',
      'illumio:/orgs/1%0D%0A',
      'illumio:/orgs/1%C2%85',
      'illumio:/orgs/%7F1',
    ]);
    // Escaped rather than replaced, as an id is: two sources stay two, and so do their events' source + id.
    expect(new Set(sources('a:/x\ty', 'a:/x\ny', 'a:/x y')).size).toBe(3);
  });

  it('makes any other character a URI-reference may not hold its escape, and leaves a valid source as it is', () => {
    const source = (text: string): string => toCloudEvent({ ...full, source: text }).source;
    expect(source('my app:/x')).toBe('my%20app%3A/x');
    expect(source(':app/x')).toBe('%3Aapp/x');
    // Only the first segment's colons: a fragment's stay, so `:a#b:c` and `:a#b%3Ac` remain two sources.
    expect(source(':app#b:c')).toBe('%3Aapp#b:c');
    expect(source('app:/M\u00fcnchen/\u{1f600}')).toBe('app:/M%C3%BCnchen/%F0%9F%98%80');
    // A lone surrogate has no UTF-8: U+FFFD's, as a provider's source segment (uri-segment.ts).
    expect(source('app:/a\ud800')).toBe('app:/a%EF%BF%BD');
    expect(source('app:/50%/"q"<>{x}|\\^`')).toBe('app:/50%25/%22q%22%3C%3E%7Bx%7D%7C%5C%5E%60');
    for (const valid of ['illumio:/orgs/1', 'tines://t.example/actions/21', '/orgs/1?a=b#c', 'a/b:c', 'fujitsu:/t/db-instance/x%20y', 'urn:uuid:6e8bc430']) expect(source(valid)).toBe(valid);
  });

  it('any source a user writes, controls and all, becomes a valid CloudEvents source (property)', () => {
    const odd = ['a', 'Z', '7', '.', '-', '+', '@', ':', '/', '?', '%', '%2F', '%u{', ' ', '\t', '\n', '\r\n', '\u0000', '\u007f', '\u0085', '\u00e9', '\u4e2d', '\u{1f600}', '\ud800', '\udc00', '\ufffe', '"', '<', '{', '\\', '`'];
    // No `//`, `#` or brackets: where a reference may hold them is its structure, not its characters.
    const source = fc.array(fc.constantFrom(...odd), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')).filter((text) => !text.includes('//'));
    fc.assert(
      fc.property(source, (text) => {
        const ce = toCloudEvent({ ...full, source: text });
        expect(cloudEventProblems(ce as unknown as Record<string, unknown>)).toEqual([]);
        validateWithSdk(ce);
      }),
      { numRuns: 300 },
    );
  });

  it('replaces noncharacters beyond the first plane too', () => {
    const ce = toCloudEvent({ ...full, actor: { kind: 'user', id: 'u\u{1fffe}' }, subject: 'r\u{10ffff}', message: '\u{2fffe}ok' });
    expect(ce.actorid).toBe('u\ufffd');
    expect(ce.subject).toBe('r\ufffd');
    expect(ce.message).toBe('\ufffdok');
  });

  it('escapes an id with a refused character instead of replacing it, so distinct ids stay distinct', () => {
    const ids = ['a\nb', 'a b', 'a\ud800', 'a\udc00', 'a\ufffd', 'a%\n', 'a%u{25}\n'];
    const converted = ids.map((id) => toCloudEvent({ ...full, id }).id);
    expect(new Set(converted).size).toBe(ids.length);
    expect(converted[0]).toBe('a%u{a}b');
    expect(converted[5]).toBe('a%u{25}%u{a}');
    for (const id of converted) expect(id).not.toMatch(/[\u0000-\u001f\u007f-\u009f]|\p{Cs}/u);
    // An id without one is as the vendor sent it, `%` included.
    expect(toCloudEvent({ ...full, id: '/orgs/1/events/50%25' }).id).toBe('/orgs/1/events/50%25');
    validateWithSdk(toCloudEvent({ ...full, id: 'a\nb' }));
  });

  it('keeps an id that already reads like an escape apart from the id it would be the escape of', () => {
    // `a%u{a}b` was left as it is and `a\nb` escaped to it: one CloudEvent id for two events.
    const ids = ['a\nb', 'a%u{a}b', 'a%u{25}u{a}b', '/orgs/1/events/%u{7f}', '/orgs/1/events/\u007f'];
    const converted = ids.map((id) => toCloudEvent({ ...full, id }).id);
    expect(new Set(converted).size).toBe(ids.length);
    expect(converted[0]).toBe('a%u{a}b');
    expect(converted[1]).toBe('a%u{25}u{a}b');
    for (const id of converted) validateWithSdk(toCloudEvent({ ...full, id }));
  });

  it('cleans the actor kind like every other attribute: a vendor key becomes it (Illumio created_by)', () => {
    const ce = toCloudEvent({ ...full, actor: { kind: 'user\r\nX-Injected: 1\ud800' } });
    expect(ce.actorkind).toBe('user  X-Injected: 1\ufffd');
    validateWithSdk(ce);
  });

  it('every extension name is lowercase alphanumeric and at most 20 characters', () => {
    const names = Object.keys(toCloudEvent(full)).filter((key) => !['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'subject', 'data'].includes(key));
    for (const name of names) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
  });

  it('any normalized event converts to a valid CloudEvent (property)', () => {
    const event = fc.record(
      {
        provider: fc.constantFrom('socotra', 'tines', 'fujitsu', 'illumio', 'informatica' as const),
        id: fc.string({ minLength: 1 }),
        type: fc.string({ minLength: 1 }),
        time: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        source: fc.constantFrom('socotra:/tenants/t1', 'tines:/actions/21', 'fujitsu:/projects/p', 'illumio:/orgs/1', 'informatica:/dih'),
        subject: fc.string({ minLength: 1 }),
        actor: fc.record({ kind: fc.string({ minLength: 1 }), id: fc.string({ minLength: 1 }), name: fc.string({ minLength: 1 }) }, { requiredKeys: ['kind'] }),
        severity: fc.constantFrom('debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency' as const),
        status: fc.string({ minLength: 1 }),
        message: fc.string({ minLength: 1 }),
        data: fc.dictionary(fc.string(), fc.jsonValue()),
        raw: fc.jsonValue(),
      },
      { requiredKeys: ['provider', 'id', 'type', 'time', 'source', 'data', 'raw'] },
    );
    fc.assert(
      fc.property(event, (value) => {
        validateWithSdk(toCloudEvent(value as TributaryEvent));
      }),
      { numRuns: 200 },
    );
  });
});
