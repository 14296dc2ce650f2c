import { describe, expect, it } from 'vitest';
import { eventListSchema, eventSchema, jobSchema } from '../../../src/providers/illumio/schemas.js';

/** The seed's example event, as documented. */
const seedEvent = {
  href: '/orgs/1/events/9a1f2b3c-5f59-46ab-8f18-0123456789ab',
  timestamp: '2019-09-03T01:02:03.456Z',
  pce_fqdn: 'pce.my-company.com',
  created_by: { agent: { href: '/orgs/1/agents/12', hostname: 'web-01' } },
  event_type: 'agent.clone_detected',
  status: null,
  severity: 'info',
  action: null,
  resource_changes: [],
  notifications: [
    {
      uuid: '3b3c-e04b-43bc-a64a-0123',
      notification_type: 'agent.clone_detected',
      info: { agent: { href: '/orgs/1/agents/12', name: null, hostname: 'web-01' } },
    },
  ],
};

describe('illumio schemas', () => {
  it('accepts the seed example and keeps every field', () => {
    const parsed = eventSchema.parse(seedEvent);
    expect(parsed).toEqual(seedEvent);
  });

  it('keeps unknown fields and accepts missing or null optional fields', () => {
    const parsed = eventSchema.parse({
      href: '/orgs/1/events/x',
      timestamp: '2026-11-23T10:00:00Z',
      event_type: 'user.sign_in',
      created_by: null,
      extra_field: { nested: true },
    });
    expect(parsed['extra_field']).toEqual({ nested: true });
    expect(parsed.severity).toBeUndefined();
  });

  it('keeps unknown created_by variants', () => {
    const parsed = eventSchema.parse({ ...seedEvent, created_by: { workload_manager: { href: '/orgs/1/x' } } });
    expect(parsed.created_by).toEqual({ workload_manager: { href: '/orgs/1/x' } });
  });

  it('passes created_by and action through untouched, whatever their shape', () => {
    const odd = { ...seedEvent, created_by: { user: { href: 4, username: ['x'] } }, action: 'POST /login' };
    expect(eventSchema.parse(odd)).toEqual(odd);
    const { created_by: _createdBy, action: _action, ...without } = seedEvent;
    expect(eventSchema.parse(without)).not.toHaveProperty('action');
  });

  it('refuses an event without href or timestamp, naming the field', () => {
    const noHref = eventSchema.safeParse({ ...seedEvent, href: undefined });
    expect(noHref.success).toBe(false);
    expect(noHref.error?.issues[0]?.path).toEqual(['href']);
    // The id and dedupe key: events of an empty one would all be one event.
    expect(eventSchema.safeParse({ ...seedEvent, href: '' }).error?.issues[0]?.path).toEqual(['href']);
    const badTime = eventSchema.safeParse({ ...seedEvent, timestamp: 12 });
    expect(badTime.error?.issues[0]?.path).toEqual(['timestamp']);
  });

  it('parses a bare array of events', () => {
    expect(eventListSchema.parse([seedEvent, seedEvent])).toHaveLength(2);
    expect(eventListSchema.safeParse({ events: [] }).success).toBe(false);
  });

  it('parses jobs of both status words and a failed job', () => {
    expect(jobSchema.parse({ status: 'completed', result: { href: '/orgs/1/datafiles/a' } }).result?.href).toBe(
      '/orgs/1/datafiles/a',
    );
    expect(jobSchema.parse({ status: 'failed', result: null, error_message: 'boom' }).error_message).toBe('boom');
    expect(jobSchema.safeParse({ result: null }).success).toBe(false);
  });
});
