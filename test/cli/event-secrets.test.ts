/**
 * A vendor may echo a credential in an event (an action that logs the headers it sent): the CLI's
 * output, which goes to terminals, files and log pipelines, shows none, and every line stays JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEventLine, eventLine } from '../../src/cli/event-line.js';
import type { CloudEventJson } from '../../src/core/cloudevent.js';
import { registerSecret } from '../../src/core/redact.js';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess } from '../support/cli-in-process.js';

describe('events written by the CLI', () => {
  const emulator = tinesEmulator.create({ events: 3, seed: 2 });
  let server: EmulatorServer;
  let env: Record<string, string>;
  let token: string;

  beforeAll(async () => {
    server = await emulator.listen();
    env = demoEnv(server.url);
    token = env.TRIBUTARY_TINES_TOKEN as string;
    emulator.store.emit({
      payload: {
        request: { headers: { 'x-user-token': token, accept: 'application/json' }, url: `https://example.com/hook?token=${encodeURIComponent(token)}` },
        [`seen-${token}`]: true,
        count: 3,
      },
    });
  });
  afterAll(() => server.close());

  it.each([[[]], [['--cloudevents']]])('hold no credential echoed in an event, and stay JSON (%j)', async (extra) => {
    const { code, stdout } = await cliInProcess(['pull', 'tines', ...extra], env);
    expect(code).toBe(0);
    expect(stdout).not.toContain(token);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    const echoed = lines.map((line) => JSON.parse(line) as unknown).find((event) => JSON.stringify(event).includes('x-user-token'));
    const text = JSON.stringify(echoed);
    expect(text).toContain('"x-user-token":"[REDACTED]"');
    expect(text).toContain('"seen-[REDACTED]":true');
    expect(text).toContain('"accept":"application/json"');
    expect(text).toContain('"count":3');
  });

  it('writes an event that holds no secret as JSON.stringify does', () => {
    const release = registerSecret('s3cr3t-value-for-event-line');
    try {
      const event = { id: '1', data: { text: 'plain', n: 2, list: ['a', { b: null }] } };
      expect(eventLine(event)).toBe(JSON.stringify(event));
      expect(eventLine({ ...event, note: 'a s3cr3t-value-for-event-line in it' })).toBe(
        JSON.stringify({ ...event, note: 'a [REDACTED] in it' }),
      );
    } finally {
      release();
    }
  });

  it('keeps a CloudEvent valid when a credential spells its own attributes or cuts a % escape of its source', () => {
    const release = registerSecret('json', '2026', 'https', 'Fq7-secret-path');
    try {
      const event: CloudEventJson = {
        specversion: '1.0',
        id: '1',
        source: 'https://example.com/hooks/a%2Fq7-secret-path',
        type: 'tines.event',
        time: '2026-11-01T00:00:00.000Z',
        datacontenttype: 'application/json',
        data: { note: 'sent as json in 2026' },
        provider: 'tines',
      };
      const line = JSON.parse(cloudEventLine(event)) as CloudEventJson;
      expect(line).toMatchObject({ time: event.time, datacontenttype: 'application/json', data: { note: 'sent as [REDACTED] in [REDACTED]' } });
      expect(line.source).toMatch(/^https:\/\/example\.com\/hooks\/a%2/);
      expect(line.source).not.toContain('q7-secret-path');
      // Still a URI reference: every % starts an escape.
      expect(() => decodeURI(line.source)).not.toThrow();
    } finally {
      release();
    }
  });
});
