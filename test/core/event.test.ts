import { describe, expect, it } from 'vitest';
import { tributaryEventSchema, type TributaryEvent } from '../../src/core/event.js';

const valid: TributaryEvent = {
  provider: 'tines',
  id: '2147483649',
  type: 'event',
  time: '2026-11-23T10:00:00.000Z',
  source: 'tines:/actions/21',
  actor: { kind: 'user', id: '1' },
  severity: 'info',
  data: { payload: { a: 1 } },
  raw: { id: 2147483649 },
};

describe('tributaryEventSchema', () => {
  it('accepts a normalized event and keeps raw as it is', () => {
    const parsed = tributaryEventSchema.parse(valid);
    expect(parsed).toEqual(valid);
    expect(parsed.raw).toBe(valid.raw);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown provider', { provider: 'acme' }, 'provider'],
    ['an empty id', { id: '' }, 'id'],
    ['an empty type', { type: '' }, 'type'],
    ['an empty source', { source: '' }, 'source'],
    ['a time without milliseconds', { time: '2026-11-23T10:00:00Z' }, 'time'],
    ['a time with an offset', { time: '2026-11-23T10:00:00.000+01:00' }, 'time'],
    ['an impossible time', { time: '2026-02-30T10:00:00.000Z' }, 'time'],
    ['an unknown severity', { severity: 'emerg' }, 'severity'],
    ['data that is an array', { data: [1] }, 'data'],
    ['data that is null', { data: null }, 'data'],
    ['an actor without kind', { actor: { id: '1' } }, 'actor'],
  ];
  it.each(bad)('refuses %s, naming the field', (_name, patch, field) => {
    const result = tributaryEventSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
});
