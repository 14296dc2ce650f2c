/**
 * An Informatica event as a CloudEvent in `nested` mode, the default: its descendants are normalized
 * events in `data.childEvents`, and the CloudEvent carries them without the vendor's object (`raw`),
 * at any depth, as it leaves out the event's own (README "Normalized events"). The event keeps them.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { toCloudEvent } from '../../../src/core/cloudevent.js';
import type { InformaticaTributaryEvent } from '../../../src/providers/informatica/index.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { inProcessClient } from './connect.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

/** Every path in `value` that ends in a member named `raw`. */
function rawPaths(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => rawPaths(item, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) => (key === 'raw' ? [`${path}.raw`] : rawPaths(member, `${path}.${key}`)));
}

describe('informatica toCloudEvent with nested children', () => {
  it('carries each descendant in data.childEvents without its raw, the event keeping it', async () => {
    const clock = scaledClock(0.001, () => NOW);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const parent = emulator.store.events.add({ createTime: NOW - 5_000 }, NOW);
    const child = emulator.store.events.add({ parentEventId: parent.eventId, createTime: NOW - 4_000 }, NOW);
    emulator.store.events.add({ parentEventId: child.eventId, createTime: NOW - 3_000 }, NOW);
    const events = await inProcessClient(emulator.fetch, clock).events.list({ since: new Date(NOW - 3_600_000), children: 'nested' }).toArray();
    expect(events).toHaveLength(1);
    const event = events[0]!;

    const cloudEvent = JSON.parse(JSON.stringify(toCloudEvent(event))) as { data: { childEvents: Array<Record<string, unknown>> } };
    expect(rawPaths(cloudEvent)).toEqual([]);
    // Apart from `raw`, each descendant is as the event holds it.
    const withoutRaw = ({ raw: _, ...rest }: InformaticaTributaryEvent): Record<string, unknown> => ({
      ...rest,
      data: { ...rest.data, ...(rest.data.childEvents === undefined ? {} : { childEvents: rest.data.childEvents.map(withoutRaw) }) },
    });
    expect(cloudEvent.data.childEvents).toEqual(JSON.parse(JSON.stringify(event.data.childEvents!.map(withoutRaw))));
    expect(cloudEvent.data.childEvents[0]!['data']).toMatchObject({ childEvents: [{ data: { parentEventId: String(child.eventId) } }] });
    // The event itself is left as it was.
    expect(rawPaths(event).sort()).toEqual(['$.data.childEvents[0].data.childEvents[0].raw', '$.data.childEvents[0].raw', '$.raw']);
  });
});
