import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { normalizeEvent, normalizeEvents } from '../../../src/providers/tines/normalize.js';
import { tinesEventSchema } from '../../../src/providers/tines/schemas.js';

const parse = (value: unknown) => tinesEventSchema.parse(value);

describe('tines normalize', () => {
  it('maps the seed event', () => {
    const raw = parse({
      id: 79240,
      user_id: 1,
      agent_id: 21,
      payload: { propagation_webhook: { username: 'joe.bloggs' } },
      created_at: '2018-04-03T13:37:24.479Z',
    });
    expect(normalizeEvent(raw)).toEqual({
      provider: 'tines',
      id: '79240',
      type: 'tines.event',
      time: '2018-04-03T13:37:24.479Z',
      source: 'tines:/actions/21',
      actor: { kind: 'user', id: '1' },
      data: { propagation_webhook: { username: 'joe.bloggs' } },
      raw,
    });
  });

  it('uses action_id, story_run_guid, and adds milliseconds and a zone', () => {
    const event = normalizeEvent(
      parse({ id: '2147483999', action_id: 7, story_run_guid: 'run-1', payload: {}, created_at: '2026-11-23T10:00:00' }),
    );
    expect(event.id).toBe('2147483999');
    expect(event.source).toBe('tines:/actions/7');
    expect(event.subject).toBe('run-1');
    expect(event.time).toBe('2026-11-23T10:00:00.000Z');
    expect(event).not.toHaveProperty('actor');
  });

  it('converts offsets to UTC', () => {
    expect(normalizeEvent(parse({ id: 1, payload: {}, created_at: '2026-11-23T12:00:00.5+02:00' })).time).toBe(
      '2026-11-23T10:00:00.500Z',
    );
  });

  it('wraps a payload that is not an object and falls back to the event log as source', () => {
    const event = normalizeEvent(parse({ id: 3, payload: [1, 2], created_at: '2026-11-23T10:00:00Z', user_id: null }));
    expect(event.data).toEqual({ value: [1, 2] });
    expect(event.source).toBe('tines:/events');
    expect(event).not.toHaveProperty('actor');
    // No `value` member at all, not one holding `undefined`.
    expect(normalizeEvent(parse({ id: 4, created_at: '2026-11-23T10:00:00Z' })).data).toStrictEqual({});
    expect(normalizeEvent(parse({ id: 5, payload: null, created_at: '2026-11-23T10:00:00Z' })).data).toStrictEqual({ value: null });
  });

  it('reads an empty user_id as no user, and an empty action_id as no action', () => {
    const raw = parse({ id: 8, created_at: '2026-11-23T10:00:00Z', user_id: '', agent_id: null, action_id: '' });
    for (const event of [normalizeEvent(raw), normalizeEvents([raw])[0]]) {
      expect(event).not.toHaveProperty('actor');
      expect(event?.source).toBe('tines:/events');
    }
  });

  it('gives each event of a page the source of its own action', () => {
    const at = '2026-11-23T10:00:00Z';
    const page = [
      { id: 1, created_at: at, agent_id: 21, action_id: 21 },
      { id: 2, created_at: at, action_id: 22 },
      { id: 3, created_at: at, agent_id: '21' },
      { id: 4, created_at: at, agent_id: '', action_id: 'a/b c' },
      { id: 5, created_at: at, agent_id: null },
      { id: 6, created_at: at, action_id: 22 },
      { id: 7, created_at: at, agent_id: 21 },
    ].map(parse);
    const sources = normalizeEvents(page).map((event) => event.source);
    expect(sources).toEqual([
      'tines:/actions/21',
      'tines:/actions/22',
      'tines:/actions/21',
      'tines:/actions/a%2Fb%20c',
      'tines:/events',
      'tines:/actions/22',
      'tines:/actions/21',
    ]);
    expect(sources).toEqual(page.map((raw) => normalizeEvent(raw).source));
  });

  it('fails clearly on an unusable created_at, keeping the raw event', () => {
    const raw = parse({ id: 5, payload: {}, created_at: 'yesterday' });
    let caught: unknown;
    try {
      normalizeEvents([raw]);
    } catch (error) {
      caught = error;
    }
    expect(isResponseValidationError(caught)).toBe(true);
    expect((caught as { raw: unknown }).raw).toBe(raw);
    expect((caught as Error).message).toContain('created_at');
    // Named by the call that met it, as every other error is.
    expect((caught as { operation: unknown }).operation).toBe('events.list');
    expect(() => normalizeEvent(raw)).toThrow(expect.objectContaining({ operation: 'events.get' }));
  });
});

describe('tines source', () => {
  it('writes a lone surrogate in the action id as U+FFFD instead of failing the page with a URIError', () => {
    const at = '2026-11-23T10:00:00Z';
    const agent = parse({ id: 1, agent_id: 'a\ud800', created_at: at });
    const action = parse({ id: 2, action_id: '\udc007', created_at: at });
    expect(normalizeEvents([agent, action]).map((event) => event.source)).toEqual(['tines:/actions/a%EF%BF%BD', 'tines:/actions/%EF%BF%BD7']);
    expect(normalizeEvent(agent).source).toBe('tines:/actions/a%EF%BF%BD');
  });
});
