import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createGenericEmulator } from '../../src/testing/index.js';
import { manualClock } from './support.js';

describe('request recording', () => {
  it('records method, url, path, query, headers, body and time, oldest first', async () => {
    const { clock, advance } = manualClock(Date.parse('2026-11-23T10:00:00.000Z'));
    const emulator = createGenericEmulator({ clock });
    await emulator.fetch('https://generic.example.com/offset?offset=2&count=3');
    advance(1_500);
    await emulator.fetch('https://generic.example.com/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
      body: JSON.stringify({ a: 1 }),
    });
    const [first, second] = emulator.requests;
    expect(first).toMatchObject({ method: 'GET', path: '/offset', body: '', time: Date.parse('2026-11-23T10:00:00.000Z') });
    expect(first?.url).toBe('https://generic.example.com/offset?offset=2&count=3');
    expect(first?.query.get('count')).toBe('3');
    expect(second).toMatchObject({ method: 'POST', path: '/token', body: '{"a":1}', time: Date.parse('2026-11-23T10:00:01.500Z') });
    expect(second?.headers.get('x-request-id')).toBe('r1');
  });

  it('keeps credential headers for assertions but never prints them', async () => {
    const emulator = createGenericEmulator();
    await emulator.fetch('https://generic.example.com/offset', {
      headers: {
        authorization: 'Basic YXBpX2tleTpzM2NyM3Q=',
        'x-auth-token': 'keystone-s3cr3t',
        'x-user-token': 'tines-s3cr3t',
        'x-subject-token': 'subject-s3cr3t',
        'x-api-key': 'key-s3cr3t',
        'proxy-authorization': 'Basic cHJveHk6czNjcjN0',
        cookie: 'session=cookie-s3cr3t',
        accept: 'application/json',
      },
    });
    const record = emulator.requests[0];
    expect(record?.headers.get('authorization')).toBe('Basic YXBpX2tleTpzM2NyM3Q=');
    expect(record?.headers.get('x-auth-token')).toBe('keystone-s3cr3t');
    // Not an own enumerable member: what walks a record's members (a spread, a reporter's diff) never meets a credential.
    expect(Object.keys(record ?? {})).not.toContain('headers');
    for (const printed of [JSON.stringify(record), inspect(record, { depth: 5 }), inspect(emulator.requests, { depth: 5 }), JSON.stringify(record?.redactedHeaders())]) {
      expect(printed).not.toContain('YXBpX2tleTpzM2NyM3Q=');
      expect(printed).not.toContain('cHJveHk6czNjcjN0');
      expect(printed).not.toContain('s3cr3t');
      expect(printed).toContain('[REDACTED]');
      expect(printed).toContain('application/json');
    }
  });

  it('prints no part of a JSON credential field, whatever its value holds, and keeps the body as sent', async () => {
    const emulator = createGenericEmulator();
    const body = JSON.stringify({
      auth: { identity: { methods: ['password'], password: { user: { name: 'reader', password: 'correct horse battery' } } } },
      login: { Password: 'ab"c\'d,e&f;g}h', client_secret: 'open sesame', apiKey: 'k e y', refresh_Token: 'r t 1', count: 3 },
    });
    await emulator.fetch('https://generic.example.com/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const record = emulator.requests[0];
    expect(record?.body).toBe(body);
    for (const printed of [JSON.stringify(record), inspect(record, { depth: 5 })]) {
      for (const part of ['horse', 'battery', 'g}h', 'sesame', 'k e y', 'r t 1']) expect(printed).not.toContain(part);
    }
    expect(JSON.parse((record as unknown as { toJSON(): { body: string } }).toJSON().body)).toEqual({
      auth: { identity: { methods: ['password'], password: '[REDACTED]' } },
      login: { Password: '[REDACTED]', client_secret: '[REDACTED]', apiKey: '[REDACTED]', refresh_Token: '[REDACTED]', count: 3 },
    });
  });

  it('prints no credential the patterns know inside a JSON field of another name', async () => {
    const emulator = createGenericEmulator();
    await emulator.fetch('https://generic.example.com/token', { method: 'POST', body: JSON.stringify({ callback: 'https://reader:hunter2-secret@hooks.example.com/x' }) });
    const record = emulator.requests[0];
    expect(JSON.stringify(record)).not.toContain('hunter2-secret');
    expect(record?.body).toContain('hunter2-secret');
  });

  it('records a method upper case, whatever case it was sent in', async () => {
    const emulator = createGenericEmulator();
    await emulator.fetch('https://generic.example.com/offset', { method: 'patch', body: '{}' });
    expect(emulator.requests[0]?.method).toBe('PATCH');
  });

  it('records requests that a fault answered, and reset forgets them', async () => {
    const emulator = createGenericEmulator();
    emulator.faults.add({ kind: 'reset' });
    await expect(emulator.fetch('https://generic.example.com/offset')).rejects.toThrow('fetch failed');
    expect(emulator.requests).toHaveLength(1);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.faults.list()).toHaveLength(0);
    expect((await emulator.fetch('https://generic.example.com/offset')).status).toBe(200);
  });

  it('leaves the body readable for the handler', async () => {
    const emulator = createGenericEmulator();
    const response = await emulator.fetch('https://generic.example.com/offset', { method: 'DELETE', body: 'x'.repeat(10_000) });
    expect(response.status).toBe(405);
    expect(emulator.requests[0]?.body).toHaveLength(10_000);
  });
});
