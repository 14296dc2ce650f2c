/**
 * VENDORS.md: real responses drift from the docs: unknown fields appear, documented fields go missing or
 * come back `null`, a documented string arrives as an array; `created_by` has variants beyond the seed's
 * and `severity` uses syslog names. Held through the client against the emulator serving such events:
 * every event delivered once, what can be read normalized, the rest kept in `raw`, nothing failed.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import type { IllumioEvent } from '../../../src/providers/illumio/schemas.js';
import { inProcessClient } from './connect.js';

describe('illumio events that drift from the docs, through the client', () => {
  it('are each delivered once, read where they can be, and kept whole in raw', async () => {
    const clock = scaledClock(0.001);
    const emulator = illumioEmulator.create({ seed: 5, events: 30, rateLimit: false, clock });
    const at = emulator.store.events[10] as IllumioEvent;
    const drifted: IllumioEvent[] = [
      {
        href: '/orgs/1/events/drift-cluster',
        timestamp: at.timestamp,
        event_type: ['container_cluster.update'],
        severity: ['emerg'],
        status: null,
        action: null,
        pce_fqdn: null,
        created_by: { container_cluster: { href: '/orgs/1/container_clusters/9', name: 'k8s-east' } },
        next_release_field: { nested: [1, 2] },
      } as unknown as IllumioEvent,
      {
        href: '/orgs/1/events/drift-bare',
        timestamp: at.timestamp,
        event_type: 'ven.heartbeat',
        created_by: { ven: { href: '/orgs/1/vens/3', hostname: 'db-1' } },
      } as unknown as IllumioEvent,
    ];
    emulator.store.add(drifted);
    const events = await inProcessClient(emulator, clock).events.list({ pageSize: 4 }).toArray();
    const ids = events.map((event) => event.id);
    expect(new Set(ids).size).toBe(32);
    const cluster = events.find((event) => event.id === '/orgs/1/events/drift-cluster');
    expect(cluster).toMatchObject({
      type: 'container_cluster.update',
      severity: 'emergency',
      actor: { kind: 'container_cluster', id: '/orgs/1/container_clusters/9', name: 'k8s-east' },
    });
    expect(cluster?.status).toBeUndefined();
    expect(cluster?.raw).toMatchObject({ next_release_field: { nested: [1, 2] }, action: null, status: null });
    const bare = events.find((event) => event.id === '/orgs/1/events/drift-bare');
    expect(bare).toMatchObject({ type: 'ven.heartbeat', actor: { kind: 'ven', id: '/orgs/1/vens/3', name: 'db-1' } });
    expect(bare?.severity).toBeUndefined();
  });
});
