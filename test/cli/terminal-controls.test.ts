/**
 * Vendor text the CLI writes: events as NDJSON on stdout, errors on stderr, both often read on a
 * terminal. JSON.stringify escapes C0 controls but writes DEL, the C1 controls (U+009B is a terminal's
 * CSI) and U+2028/U+2029 as they are: an event could clear the screen or set the clipboard of whoever
 * looks at the output, and a reader that splits lines the Unicode way (Python's `splitlines`) cut an
 * event in two. Each is written as its JSON escape, and every line still parses to the event as sent.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess } from '../support/cli-in-process.js';

/** What no line the CLI writes may hold as it is: a control but the line's own end, a Unicode line end. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const TEXT = 'a\u009b2J\u001b]52;c;ZXZpbA==\u0007 b\u2028c\u2029d\u007fe\u0000f\ud800g🎉';

describe('vendor text in the events the CLI writes', () => {
  const emulator = tinesEmulator.create({ events: 0, seed: 2 });
  let server: EmulatorServer;

  beforeAll(async () => {
    server = await emulator.listen();
    emulator.store.emit({ payload: { message: TEXT, [TEXT]: 1 } });
    emulator.store.emit({ payload: { plain: 'text' } });
  });
  afterAll(() => server.close());

  it.each([[[]], [['--cloudevents']]])('are escaped where JSON leaves them raw, each event one line that parses to it (%j)', async (extra) => {
    const { code, stdout } = await cliInProcess(['pull', 'tines', ...extra], demoEnv(server.url));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(RAW);
    const data = (JSON.parse(lines[0] as string) as { data: Record<string, unknown> }).data;
    // A lone surrogate is kept as JSON.stringify writes it, `\ud800`.
    expect(data).toEqual({ message: TEXT, [TEXT]: 1 });
  });
});

describe('vendor text in an error the CLI writes', () => {
  let vendor: Server;
  let url: string;

  beforeAll(async () => {
    // An event whose time is not a date: the error quotes it.
    const body = JSON.stringify([{ id: 1, agent_id: 2, created_at: `x${TEXT}`, updated_at: '2026-01-01T00:00:00Z', payload: {} }]);
    vendor = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(vendor.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => vendor.close(resolve)));

  it('is written with its terminal controls escaped, on one line', async () => {
    const { code, stderr } = await cliInProcess(['pull', 'tines'], demoEnv(url));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tributary: ResponseValidationError: .*unusable created_at.*\\u009b2J.*\n$/);
    expect(stderr.slice(0, -1)).not.toMatch(RAW);
  });
});
