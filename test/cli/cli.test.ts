import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { optionsFromEnv } from '../../src/cli/options.js';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

async function cli(argv: string[], env: NodeJS.ProcessEnv, signal = new AbortController().signal) {
  const stdout = capture();
  const stderr = capture();
  const code = await run(argv, { stdout: stdout.stream, stderr: stderr.stream, env, signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('tributary CLI', () => {
  const emulator = tinesEmulator.create({ events: 42, seed: 5 });
  let server: EmulatorServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await emulator.listen();
    dir = await mkdtemp(join(tmpdir(), 'tributary-cli-'));
    env = demoEnv(server.url);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls every event as NDJSON and saves a cursor that later yields only new events', async () => {
    const cursorFile = join(dir, 'tines.cursor');
    const first = await cli(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], env);
    expect(first.code).toBe(0);
    const events = first.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; provider: string });
    expect(events).toHaveLength(42);
    expect(new Set(events.map((event) => event.id)).size).toBe(42);
    expect(events.every((event) => event.provider === 'tines')).toBe(true);
    expect(first.stderr).toMatch(/42 tines events; cursor \S+/);

    const again = await cli(['pull', 'tines', '--cursor-file', cursorFile], env);
    expect(again.stdout).toBe('');
    const added = [emulator.store.emit(), emulator.store.emit(), emulator.store.emit()].map((event) => String(event.id));
    const later = await cli(['pull', 'tines', '--cursor-file', cursorFile], env);
    const laterIds = later.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(laterIds.sort()).toEqual(added.sort());
    expect((await readFile(cursorFile, 'utf8')).trim()).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('writes CloudEvents with --cloudevents', async () => {
    const { code, stdout } = await cli(['pull', 'tines', '--cloudevents', '--limit', '5', '--page-size', '5'], env);
    expect(code).toBe(0);
    const first = JSON.parse(stdout.split('\n')[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ specversion: '1.0', type: 'tines.event' });
    expect(stdout.trim().split('\n')).toHaveLength(5);
  });

  it('watch keeps polling until it is interrupted', async () => {
    const controller = new AbortController();
    const pending = cli(['watch', 'tines', '--interval', '0', '--page-size', '50'], env, controller.signal);
    setTimeout(() => controller.abort(new Error('interrupted')), 300);
    const { code, stdout } = await pending;
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').length).toBeGreaterThanOrEqual(42);
  });

  it('reports a refused credential without printing it', async () => {
    const secret = 'tines-wrong-secret-token-123';
    const { code, stderr } = await cli(['pull', 'tines'], { ...env, TRIBUTARY_TINES_TOKEN: secret });
    expect(code).toBe(1);
    expect(stderr).toMatch(/AuthenticationError/);
    expect(stderr).not.toContain(secret);
  });

  it('reports a bad option as a configuration error', async () => {
    const { code, stderr } = await cli(['pull', 'tines'], { TRIBUTARY_TINES_BASE_URL: 'http://tines.example.com', TRIBUTARY_TINES_TOKEN: 'x'.repeat(20) });
    expect(code).toBe(1);
    expect(stderr).toMatch(/ConfigurationError/);
  });

  it('makes a Redis-shared rate limit from its description in --config', async () => {
    const config = join(dir, 'shared.json');
    // `datastore: 'redis'` names a package that is not installed here: the error proves the description
    // became a shared limit that was used, before any request.
    await writeFile(config, JSON.stringify({ rateLimit: { shared: { redis: { datastore: 'redis' } } } }));
    const before = emulator.requests.length;
    const shared = await cli(['pull', 'tines', '--config', config], env);
    expect(shared.code).toBe(1);
    expect(shared.stderr).toMatch(/ConfigurationError.*rateLimit\.shared.*npm install redis/);
    expect(emulator.requests.length).toBe(before);

    await writeFile(config, JSON.stringify({ rateLimit: { shared: { memcached: {} } } }));
    const unknown = await cli(['pull', 'tines', '--config', config], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/rateLimit\.shared must be/);
  });

  it('answers usage mistakes with exit code 2 and the usage', async () => {
    expect((await cli(['pull', 'nosuch'], env)).code).toBe(2);
    expect((await cli(['frobnicate', 'tines'], env)).code).toBe(2);
    expect((await cli(['pull', 'tines', '--limit', 'many'], env)).code).toBe(2);
    const help = await cli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/tributary pull <provider>/);
  });

  it('serves an emulator and prints the environment a client needs', async () => {
    const controller = new AbortController();
    const stdout = capture();
    const pending = run(['emulate', 'tines', '--events', '3'], {
      stdout: stdout.stream,
      stderr: capture().stream,
      env: {},
      signal: controller.signal,
    });
    while (!stdout.text().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 10));
    const announced = JSON.parse(stdout.text()) as { url: string; env: NodeJS.ProcessEnv };
    const pulled = await cli(['pull', 'tines'], announced.env);
    expect(pulled.stdout.trim().split('\n')).toHaveLength(3);
    controller.abort();
    expect(await pending).toBe(0);
  });
});

describe('options from the environment', () => {
  it('maps TRIBUTARY_<PROVIDER>_<OPTION> to camelCase, nests on a double underscore, types numeric ids', () => {
    expect(
      optionsFromEnv('fujitsu', {
        TRIBUTARY_FUJITSU_BASE_URL: 'https://db',
        TRIBUTARY_FUJITSU_TENANT_ID: '0123',
        TRIBUTARY_FUJITSU_IDENTITY__USER_NAME: 'me',
        TRIBUTARY_ILLUMIO_ORG_ID: '1',
      }),
    ).toEqual({ baseUrl: 'https://db', tenantId: '0123', identity: { userName: 'me' } });
    expect(optionsFromEnv('illumio', { TRIBUTARY_ILLUMIO_ORG_ID: '7' })).toEqual({ orgId: 7 });
  });
});
