/**
 * An event read back through `tributaryEventSchema` (an NDJSON line, a queue message) is a
 * `TributaryEvent`: zod types an optional field as `?: T | undefined`, and under
 * `exactOptionalPropertyTypes` the interface must say the same for the parsed value to be assignable.
 * `npx tsc --noEmit -p .` checks the types here; the test runs the same calls.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { toCloudEvent, tributaryEventSchema, type Actor, type TributaryEvent } from 'tributary';

const line =
  '{"provider":"tines","id":"7","type":"event","time":"2026-11-23T10:00:00.000Z","source":"tines:/actions/21","actor":{"kind":"user","name":"ada"},"data":{},"raw":{"id":7}}';

describe('tributaryEventSchema output', () => {
  it('is a TributaryEvent, and toCloudEvent takes it', () => {
    const parsed = tributaryEventSchema.parse(JSON.parse(line));
    expectTypeOf(parsed).toExtend<TributaryEvent>();
    expectTypeOf(parsed.actor).toExtend<Actor | undefined>();
    const event: TributaryEvent = parsed;
    expect(toCloudEvent(parsed)).toMatchObject({ id: '7', actorkind: 'user', actorname: 'ada' });
    expect(event.actor?.name).toBe('ada');
  });

  it('an optional field given as undefined is absent from the CloudEvent', () => {
    const parsed = tributaryEventSchema.parse(JSON.parse(line));
    const event: TributaryEvent = {
      ...parsed,
      subject: undefined,
      severity: undefined,
      status: undefined,
      message: undefined,
      actor: { kind: 'user', id: undefined, name: undefined },
    };
    const cloud = toCloudEvent(event);
    for (const key of ['subject', 'severity', 'status', 'message', 'actorid', 'actorname']) expect(cloud).not.toHaveProperty(key);
    expect(cloud.actorkind).toBe('user');
    expect(toCloudEvent({ ...event, actor: undefined })).not.toHaveProperty('actorkind');
  });
});
