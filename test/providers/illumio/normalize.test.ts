import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { normalizeEvent, normalizeEvents, toActor, toSeverity, toSource } from '../../../src/providers/illumio/normalize.js';
import { eventSchema, type IllumioEvent } from '../../../src/providers/illumio/schemas.js';

const base = eventSchema.parse({
  href: '/orgs/7/events/0b8b7e36-5f59-46ab-8f18-000000000001',
  timestamp: '2026-11-23T10:00:00.123Z',
  pce_fqdn: 'pce.example.com',
  created_by: { user: { href: '/users/4', username: 'ana@example.com' } },
  event_type: 'user.sign_in',
  status: 'success',
  severity: 'info',
  action: { api_method: 'POST', api_endpoint: '/api/v2/login', api_status_code: 200, src_ip: '192.0.2.1' },
  resource_changes: [],
  notifications: [],
});

const event = (patch: Partial<IllumioEvent>): IllumioEvent => ({ ...base, ...patch });

describe('illumio normalize', () => {
  it('maps every field', () => {
    expect(normalizeEvent(base, '7')).toEqual({
      provider: 'illumio',
      id: base.href,
      type: 'user.sign_in',
      time: '2026-11-23T10:00:00.123Z',
      source: 'illumio:/orgs/7',
      actor: { kind: 'user', id: '/users/4', name: 'ana@example.com' },
      severity: 'info',
      status: 'success',
      data: { action: base.action, resource_changes: [], notifications: [], pce_fqdn: 'pce.example.com' },
      raw: base,
    });
  });

  it('takes the actor from the one key of created_by, whatever its kind', () => {
    expect(toActor({ system: {} })).toEqual({ kind: 'system' });
    expect(toActor({ agent: { href: '/orgs/1/agents/3', hostname: 'web-01' } })).toEqual({
      kind: 'agent',
      id: '/orgs/1/agents/3',
      name: 'web-01',
    });
    expect(toActor({ ven: { href: '/orgs/1/vens/9', name: 'ven-9', hostname: 'db-01' } })).toEqual({
      kind: 'ven',
      id: '/orgs/1/vens/9',
      name: 'ven-9',
    });
    expect(toActor({ container_cluster: { href: '/orgs/1/container_clusters/2', name: 'k8s' } })?.kind).toBe(
      'container_cluster',
    );
    expect(toActor({ user: null, workload_manager: { href: '/x' } })).toEqual({ kind: 'workload_manager', id: '/x' });
    // A field the PCE adds beside the principal is not the principal, wherever it stands.
    expect(toActor({ '7': 'x', extensions: {}, user: { href: '/users/4', username: 'ana' } })).toEqual({ kind: 'user', id: '/users/4', name: 'ana' });
    expect(toActor({ note: 'x', workload_manager: { href: '/x' } })).toEqual({ kind: 'workload_manager', id: '/x' });
    expect(toActor({ note: 'x' })).toEqual({ kind: 'note' });
    expect(toActor(null)).toBeUndefined();
    expect(toActor({})).toBeUndefined();
  });

  it('maps syslog severities and leaves unknown ones out', () => {
    const pairs = [
      ['emerg', 'emergency'], ['alert', 'alert'], ['crit', 'critical'], ['err', 'error'],
      ['warning', 'warning'], ['notice', 'notice'], ['info', 'info'], ['debug', 'debug'], ['ERR', 'error'],
    ] as const;
    for (const [syslog, severity] of pairs) expect(toSeverity(syslog)).toBe(severity);
    expect(toSeverity('loud')).toBeUndefined();
    expect(toSeverity(null)).toBeUndefined();
    expect(normalizeEvent(event({ severity: 'loud' }), '7').severity).toBeUndefined();
  });

  it('leaves out a severity named like a member of Object.prototype', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(toSeverity(name)).toBeUndefined();
      expect(normalizeEvent(event({ severity: name }), '7')).not.toHaveProperty('severity');
    }
  });

  it('names the source from the href: the organization or the system events path', () => {
    expect(toSource('/orgs/12/events/abc', '1')).toBe('illumio:/orgs/12');
    expect(toSource('/system_events/abc', '1')).toBe('illumio:/system_events');
    expect(toSource('/2/events/68632', '2')).toBe('illumio:/orgs/2');
  });

  it('percent-encodes an organization that is not a number, so the source stays a URI reference', () => {
    expect(toSource('/orgs/1 2/events/e1', '1')).toBe('illumio:/orgs/1%202');
    expect(toSource('/orgs/a\ud800/events/e1', '1')).toBe('illumio:/orgs/a%EF%BF%BD');
    const hrefs = ['/orgs/1 2/events/a', '/orgs/1 2/events/b', '/orgs/12/events/c'];
    expect(normalizeEvents(hrefs.map((href) => event({ href })), '7').map((normalized) => normalized.source)).toEqual([
      'illumio:/orgs/1%202', 'illumio:/orgs/1%202', 'illumio:/orgs/12',
    ]);
  });

  it('names each event of a page by its own href when a page mixes organizations', () => {
    const hrefs = ['/orgs/12/events/a', '/orgs/12/events/b', '/orgs/1/events/c', '/orgs/12/events/d', '/system_events/e', '/orgs/123/events/f', '/3/events/g', '/orgs/12/events/h'];
    const sources = normalizeEvents(hrefs.map((href) => event({ href })), '7').map((normalized) => normalized.source);
    expect(sources).toEqual(hrefs.map((href) => toSource(href, '7')));
    expect(sources).toEqual([
      'illumio:/orgs/12', 'illumio:/orgs/12', 'illumio:/orgs/1', 'illumio:/orgs/12', 'illumio:/system_events', 'illumio:/orgs/123', 'illumio:/orgs/7', 'illumio:/orgs/12',
    ]);
  });

  it('leaves a null status out and defaults null lists', () => {
    const normalized = normalizeEvent(event({ status: null, action: null, resource_changes: null, notifications: undefined, pce_fqdn: null }), '7');
    expect(normalized).not.toHaveProperty('status');
    expect(normalized.data).toEqual({ action: null, resource_changes: [], notifications: [], pce_fqdn: null });
  });

  it('takes a single value sent for resource_changes or notifications as a list of one, not a failed page', () => {
    for (const [value, list] of [[{ uuid: 'c1', change_type: 'update' }, [{ uuid: 'c1', change_type: 'update' }]], ['none', ['none']], [0, [0]]] as const) {
      const raw = event({ resource_changes: value as never, notifications: value as never });
      const checked = eventSchema.safeParse(raw);
      expect(checked.success).toBe(true);
      expect(normalizeEvent(checked.data as IllumioEvent, '7').data).toMatchObject({ resource_changes: list, notifications: list });
    }
  });

  it('types an event whose event_type is missing, null or empty as illumio.unknown, not a failed page', () => {
    const { event_type: _, ...withoutType } = base;
    for (const raw of [withoutType, event({ event_type: null }), event({ event_type: '' })]) {
      const checked = eventSchema.safeParse(raw);
      expect(checked.success).toBe(true);
      expect(normalizeEvent(checked.data as IllumioEvent, '7').type).toBe('illumio.unknown');
    }
  });

  it('normalizes timestamps without milliseconds, without a zone, or with an offset', () => {
    expect(normalizeEvent(event({ timestamp: '2026-11-23T10:00:00Z' }), '7').time).toBe('2026-11-23T10:00:00.000Z');
    expect(normalizeEvent(event({ timestamp: '2026-11-23T10:00:00.5' }), '7').time).toBe('2026-11-23T10:00:00.500Z');
    expect(normalizeEvent(event({ timestamp: '2026-11-23T11:00:00+01:00' }), '7').time).toBe('2026-11-23T10:00:00.000Z');
  });

  it('fails a page whose event has an unusable timestamp, keeping the event', () => {
    const bad = event({ timestamp: 'yesterday' });
    let caught: unknown;
    try {
      normalizeEvents([base, bad], '7');
    } catch (error) {
      caught = error;
    }
    expect(isResponseValidationError(caught)).toBe(true);
    expect((caught as { issues: string[] }).issues[0]).toContain('timestamp');
    expect((caught as { raw: unknown }).raw).toBe(bad);
    // Named by the call that met it.
    expect((caught as { operation: unknown }).operation).toBe('events.list');
    expect(() => normalizeEvent(bad, '7')).toThrow(expect.objectContaining({ operation: 'events.get' }));
  });

  it('keeps the raw object as received, unknown fields included', () => {
    const raw = eventSchema.parse({ ...base, extra: 1 });
    expect(normalizeEvents([raw], '7')[0]?.raw).toBe(raw);
  });

  it('reads created_by and action only when they are objects, keeping odd values in raw', () => {
    const odd = eventSchema.parse({ ...base, created_by: 'system', action: ['POST'] });
    const normalized = normalizeEvent(odd, '7');
    expect(normalized.actor).toBeUndefined();
    expect(normalized.data['action']).toBeNull();
    expect(normalized.raw.created_by).toBe('system');
    expect(toActor({ user: 'ana' })).toEqual({ kind: 'user' });
    expect(toActor({ agent: { href: 12, hostname: '' , name: 'web-01' } })).toEqual({ kind: 'agent', name: 'web-01' });
  });

  it('skips an empty name for the next one, and leaves an empty href out rather than make it the id', () => {
    expect(toActor({ user: { href: '/users/4', name: '', username: 'ana@example.com' } })).toEqual({
      kind: 'user',
      id: '/users/4',
      name: 'ana@example.com',
    });
    expect(toActor({ agent: { href: '', name: '', hostname: '' } })).toEqual({ kind: 'agent' });
    expect(normalizeEvent(event({ created_by: { user: { href: '', username: 'ana@example.com' } } }), '7').actor).toEqual({
      kind: 'user',
      name: 'ana@example.com',
    });
  });
});
