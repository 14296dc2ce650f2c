/**
 * Child events nested thousands deep. The validator passed a chain of 1300 to 4000 levels, and the
 * normalizer, which walks children recursively, then overflowed the stack with a bare `RangeError`.
 */
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { informatica, type InformaticaEventData } from '../../../src/providers/informatica/index.js';
import { MAX_CHILD_DEPTH } from '../../../src/providers/informatica/schemas.js';

/** One event with `levels` levels of children below it, one child each. */
function chain(levels: number): Record<string, unknown> {
  let event: Record<string, unknown> = { eventId: levels + 1, createTime: '2026-11-01T00:00:00.000Z' };
  for (let id = levels; id >= 1; id -= 1) event = { eventId: id, createTime: '2026-11-01T00:00:00.000Z', eventStatus: 'Complete', childEvents: [event] };
  return event;
}

function clientAnswering(body: unknown) {
  return informatica({
    baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
    username: 'user',
    password: 'secret-password',
    fetch: async () => Response.json(body),
    retry: false,
    rateLimit: false,
  });
}

describe('Informatica child events nested too deep', () => {
  it.each(['nested', 'flatten'] as const)('events.get with children %s: a ResponseValidationError keeping the body', async (children) => {
    const body = chain(1500);
    const error = await clientAnswering(body).events.get(1, { children }).catch((caught: unknown) => caught);
    expect(isResponseValidationError(error)).toBe(true);
    if (!isResponseValidationError(error)) return;
    expect(error.issues).toEqual([`childEvents: nested more than ${MAX_CHILD_DEPTH} levels deep`]);
    expect(JSON.stringify(error.raw)).toBe(JSON.stringify(body));
  });

  it.each(['nested', 'flatten'] as const)('events.list with children %s: a ResponseValidationError', async (children) => {
    const error = await clientAnswering([chain(1500)]).events.list({ range: 'LAST_HOUR', children }).toArray().catch((caught: unknown) => caught);
    expect(isResponseValidationError(error)).toBe(true);
  });

  it('events.list refuses a page one level deeper than it reads, naming the depth', async () => {
    const error = await clientAnswering([chain(MAX_CHILD_DEPTH + 1)]).events.list({ range: 'LAST_HOUR' }).toArray().catch((caught: unknown) => caught);
    expect(isResponseValidationError(error)).toBe(true);
    if (!isResponseValidationError(error)) return;
    expect(error.issues).toEqual([`childEvents: nested more than ${MAX_CHILD_DEPTH} levels deep`]);
  });

  it('names the field that does not match in a child below the levels the schema writes out, as above them', async () => {
    // Past the fourth level of children the issue named only the fifth child ("does not match the
    // event schema"), whichever of its fields or its descendants' was wrong.
    for (const depth of [3, 5, 6, 9]) {
      const body = chain(depth);
      let leaf = body;
      while (Array.isArray(leaf['childEvents'])) leaf = (leaf['childEvents'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
      leaf['eventType'] = 5;
      const error = await clientAnswering([body]).events.list({ range: 'LAST_HOUR' }).toArray().catch((caught: unknown) => caught);
      expect(isResponseValidationError(error)).toBe(true);
      if (!isResponseValidationError(error)) return;
      expect(error.issues).toEqual([`[0].${'childEvents[0].'.repeat(depth)}eventType: Invalid input: expected one of string, array`]);
    }
  });

  it(`reads ${MAX_CHILD_DEPTH} levels`, async () => {
    const event = await clientAnswering(chain(MAX_CHILD_DEPTH)).events.get(1);
    let depth = 0;
    const firstChild = (data: unknown) => (data as InformaticaEventData).childEvents?.[0];
    for (let child = firstChild(event.data); child !== undefined; child = firstChild(child.data)) depth += 1;
    expect(depth).toBe(MAX_CHILD_DEPTH);
    const listed = await clientAnswering([chain(MAX_CHILD_DEPTH)]).events.list({ range: 'LAST_HOUR' }).toArray();
    expect(listed).toHaveLength(MAX_CHILD_DEPTH + 1);
  });
});
