import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { VERSION } from '../../src/core/version.js';
import { envName, mergeOptions, optionsFromEnv } from '../../src/cli/options.js';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { createEmulator, fujitsuDemoEnv, illumioDemoEnv, informaticaDemoEnv } from '../../src/testing/index.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { capture, cliInProcess as cli } from '../support/cli-in-process.js';

/**
 * How long a vendor stalls, and how soon after its reader has gone a command must have ended: far
 * beyond a loaded machine's stall of a second or two, far short of the stall it would otherwise wait out.
 */
const VENDOR_STALL_MS = 60_000;
const AFTER_THE_READER_MS = 10_000;

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

  it('refuses an empty --cursor-file as a usage error, before any request', async () => {
    const before = emulator.requests.length;
    const result = await cli(['pull', 'tines', '--cursor-file', ''], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--cursor-file');
    expect(emulator.requests.length).toBe(before);
  });

  it('prints the cursor of the last written page when a pull fails, with or without --cursor-file', async () => {
    const all = await cli(['pull', 'tines', '--page-size', '10'], env);
    for (const withFile of [false, true]) {
      const cursorFile = join(dir, `failed-${String(withFile)}.cursor`);
      emulator.faults.add({ kind: 'status', status: 400, schedule: { once: true, after: 2 } });
      const failed = await cli(['pull', 'tines', '--page-size', '10', ...(withFile ? ['--cursor-file', cursorFile] : [])], env);
      emulator.faults.clear();
      expect(failed.code).toBe(1);
      expect(failed.stdout.trim().split('\n')).toHaveLength(20);
      // The cursor comes before the error, so that the line to resume from is there even when the error's is long.
      const cursor = /^tributary: 20 tines events written before the failure; resume with --cursor (\S+)\ntributary: \w+Error: /.exec(failed.stderr)?.[1];
      expect(cursor, failed.stderr).toBeDefined();
      if (withFile) expect((await readFile(cursorFile, 'utf8')).trim()).toBe(cursor);
      const rest = await cli(['pull', 'tines', '--page-size', '10', '--cursor', cursor as string], env);
      expect(failed.stdout + rest.stdout).toBe(all.stdout);
    }
  });

  it('writes CloudEvents with --cloudevents', async () => {
    const { code, stdout } = await cli(['pull', 'tines', '--cloudevents', '--limit', '5', '--page-size', '5'], env);
    expect(code).toBe(0);
    const first = JSON.parse(stdout.split('\n')[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ specversion: '1.0', type: 'tines.event' });
    expect(stdout.trim().split('\n')).toHaveLength(5);
  });

  it('--limit stops after the page that brings the count to it, saving the cursor of that whole page', async () => {
    const all = await cli(['pull', 'tines', '--page-size', '10'], env);
    const cursorFile = join(dir, 'limit.cursor');
    const limited = await cli(['pull', 'tines', '--page-size', '10', '--limit', '15', '--cursor-file', cursorFile], env);
    expect(limited.code).toBe(0);
    expect(limited.stdout.trim().split('\n')).toHaveLength(20);
    expect(limited.stderr).toMatch(/^tributary: 20 tines events; cursor \S+\n$/);
    const rest = await cli(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], env);
    expect(limited.stdout + rest.stdout).toBe(all.stdout);
    // A watch stops there too, by itself.
    const watched = await cli(['watch', 'tines', '--page-size', '10', '--limit', '15'], env);
    expect(watched).toMatchObject({ code: 0, stdout: limited.stdout, stderr: expect.stringMatching(/^tributary: 20 tines events; cursor \S+\n$/) });
  });

  it('watch keeps polling until it is interrupted', async () => {
    const controller = new AbortController();
    const pending = cli(['watch', 'tines', '--interval', '1', '--page-size', '50'], env, controller.signal);
    setTimeout(() => controller.abort(new Error('interrupted')), 300);
    const { code, stdout } = await pending;
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').length).toBeGreaterThanOrEqual(42);
  });

  it('starts from --cursor when --cursor-file holds another cursor, and saves to the file', async () => {
    const cursorFile = join(dir, 'precedence.cursor');
    const all = await cli(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], env);
    const firstPage = await cli(['pull', 'tines', '--page-size', '10', '--limit', '10'], env);
    const afterFirst = /cursor (\S+)/.exec(firstPage.stderr)?.[1] as string;
    // The file is at the end of the listing; --cursor says: from after the first page.
    const resumed = await cli(['pull', 'tines', '--cursor', afterFirst, '--cursor-file', cursorFile], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout.trim().split('\n')).toHaveLength(all.stdout.trim().split('\n').length - 10);
    expect((await readFile(cursorFile, 'utf8')).trim()).toBe(/cursor (\S+)/.exec(resumed.stderr)?.[1]);
  });

  it('a pull cut short by a signal saves its pages and exits 130 (SIGINT) or 143 (SIGTERM), a watch 0', async () => {
    const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
    for (const exitCode of [130, 143] as const) {
      const slow = tinesEmulator.create({ events: 40, seed: 5 });
      slow.faults.add({ kind: 'latency', ms: 30 });
      const slowServer = await slow.listen();
      const cursorFile = join(dir, `interrupted-${exitCode}.cursor`);
      try {
        const controller = new AbortController();
        const stdout = capture();
        const stderr = capture();
        // The signal comes once the first page is out, while the next one is on its way.
        stdout.stream.once('data', () => setTimeout(() => controller.abort(Object.assign(new Error('interrupted'), { exitCode })), 0));
        const code = await run(['pull', 'tines', '--page-size', '1', '--cursor-file', cursorFile], {
          stdout: stdout.stream,
          stderr: stderr.stream,
          env: demoEnv(slowServer.url),
          signal: controller.signal,
        });
        expect(code).toBe(exitCode);
        const written = lines(stdout.text());
        expect(written.length).toBeGreaterThan(0);
        expect(written.length).toBeLessThan(40);
        // What it saves: the cursor after the last page written, the one it reports, in the file.
        const reported = new RegExp(`tributary: ${written.length} tines events \\(interrupted\\); cursor (\\S+)`).exec(stderr.text())?.[1];
        expect(reported, stderr.text()).toBeDefined();
        expect((await readFile(cursorFile, 'utf8')).trim()).toBe(reported);
        // Resumed from the file, the pull writes the other events: none twice, none lost.
        const rest = await cli(['pull', 'tines', '--cursor-file', cursorFile], demoEnv(slowServer.url));
        expect(rest.code).toBe(0);
        const ids = [...written, ...lines(rest.stdout)].map((line) => (JSON.parse(line) as { id: string }).id);
        expect(ids).toHaveLength(40);
        expect(new Set(ids).size).toBe(40);
      } finally {
        await slowServer.close();
      }
    }
    const controller = new AbortController();
    setTimeout(() => controller.abort(Object.assign(new Error('interrupted'), { exitCode: 143 })), 50);
    expect((await cli(['watch', 'tines', '--interval', '1'], env, controller.signal)).code).toBe(0);
  });

  it('exits with the code of the signal that cut it short, not as the failure it meets while it stops', async () => {
    const controller = new AbortController();
    controller.abort(Object.assign(new Error('interrupted'), { exitCode: 143 }));
    // Without its token the client cannot be built: exit code 1 for a command nobody stopped.
    const noToken = { ...env, TRIBUTARY_TINES_TOKEN: undefined };
    expect((await cli(['pull', 'tines'], noToken)).code).toBe(1);
    expect(await cli(['pull', 'tines'], noToken, controller.signal)).toEqual({ code: 143, stdout: '', stderr: '' });
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

  it('names the environment variable of a missing or refused factory option', async () => {
    const missing = await cli(['pull', 'tines'], { TRIBUTARY_TINES_BASE_URL: 'https://tenant.tines.com' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/set it with TRIBUTARY_TINES_TOKEN or in --config/);
    const nested = await cli(['pull', 'fujitsu'], {
      TRIBUTARY_FUJITSU_BASE_URL: 'https://database.example.com',
      TRIBUTARY_FUJITSU_TENANT_ID: '5f1b9c3e7a2d4e6f8091a2b3c4d5e6f7',
      TRIBUTARY_FUJITSU_IDENTITY__URL: 'https://identity.example.com',
      TRIBUTARY_FUJITSU_IDENTITY__PASSWORD: 'hunter2-secret',
      TRIBUTARY_FUJITSU_IDENTITY__DOMAIN_NAME: 'contract-kx1234',
    });
    expect(nested.stderr).toMatch(/TRIBUTARY_FUJITSU_IDENTITY__USER_NAME/);
    expect(nested.stderr).not.toContain('hunter2-secret');
    expect(envName('illumio', 'rateLimit.maxConcurrent')).toBe('TRIBUTARY_ILLUMIO_RATE_LIMIT__MAX_CONCURRENT');
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
    // One store besides Redis is not dropped for Redis alone.
    await writeFile(config, JSON.stringify({ rateLimit: { shared: { redis: { datastore: 'redis' }, memcached: {} } } }));
    expect(await cli(['pull', 'tines', '--config', config], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^tributary: rateLimit\.shared must be/) });
  });

  it('merges the environment over --config key by key: settings in the file, secrets in the environment', async () => {
    const token = env.TRIBUTARY_TINES_TOKEN as string;
    const config = join(dir, 'settings.json');
    await writeFile(config, JSON.stringify({ baseUrl: server.url }));
    const split = await cli(['pull', 'tines', '--config', config, '--limit', '1'], { TRIBUTARY_TINES_TOKEN: token });
    expect(split).toMatchObject({ code: 0, stderr: expect.stringMatching(/^tributary: \d+ tines events; cursor \S+\n$/) });
    // A key set in both is the environment's.
    await writeFile(config, JSON.stringify({ baseUrl: 'http://127.0.0.1:1' }));
    expect((await cli(['pull', 'tines', '--config', config, '--limit', '1'], env)).code).toBe(0);
    // A nested key the environment does not set stays the file's beside one it does.
    await writeFile(config, JSON.stringify({ rateLimit: { requests: 0 } }));
    const nested = await cli(['pull', 'tines', '--config', config], { ...env, TRIBUTARY_TINES_RATE_LIMIT__INTERVAL: '1000' });
    expect(nested.code).toBe(1);
    expect(nested.stderr).toContain(`Invalid option \`rateLimit.requests\``);
    expect(nested.stderr).toContain(`\`rateLimit.requests\` in --config ${config}`);
  });

  it('answers usage mistakes with exit code 2 and the usage', async () => {
    expect((await cli(['pull', 'nosuch'], env)).code).toBe(2);
    expect((await cli(['frobnicate', 'tines'], env)).code).toBe(2);
    expect((await cli(['pull', 'tines', '--limit', 'many'], env)).code).toBe(2);
    // `--limit 0` wrote a whole page; `--interval 0` polled in a tight loop.
    expect(await cli(['pull', 'tines', '--limit', '0'], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/--limit must be at least 1, got 0/) });
    expect(await cli(['watch', 'tines', '--interval', '0'], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/--interval must be at least 1/) });
    const unknown = await cli(['pull', 'tines', '--cursorfile', join(dir, 'x.cursor'), '--limt', '1'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown option --cursorfile; did you mean --cursor-file\?/);
    expect((await cli(['pull', 'tines', '--limt', '1'], env)).stderr).toMatch(/--limt; did you mean --limit\?/);
    expect((await cli(['pull', 'tines', '--frobnicate'], env)).stderr).toMatch(/unknown option --frobnicate\n/);
    // Within two edits of both --since and --seed (options before the command may be any command's): no guess.
    expect((await cli(['--sined', 'pull', 'tines'], env)).stderr).toMatch(/^tributary: unknown option --sined\n/);
    // Credentials come from the environment only: a flag for one is as unknown as any other.
    for (const flag of ['--token', '--api-secret', '--password']) {
      expect(await cli(['pull', 'tines', flag, 'x'], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^tributary: unknown option ${flag}`)) });
    }
    // Each command has its own options: the emulator's are not the puller's, nor the other way round.
    expect((await cli(['pull', 'tines', '--port', '1'], env)).stderr).toMatch(/unknown option --port/);
    expect((await cli(['emulate', 'tines', '--page-size', '1'], env)).stderr).toMatch(/unknown option --page-size/);
    expect(await cli(['emulate', 'tines', '--port', '99999'], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--port must be at most 65535/) });
    expect((await cli(['pull', 'tines', '--interval', '5'], env)).stderr).toMatch(/unknown option --interval/);
    const valued = await cli(['pull', 'tines', '--cloudevents=1'], env);
    expect(valued.code).toBe(2);
    expect(valued.stderr).toMatch(/--cloudevents takes no value/);
    const extra = await cli(['pull', 'tines', 'extra'], env);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/unexpected argument "extra"/);
    const query = await cli(['pull', 'tines', '--query', 'actionId=%ZZ'], env);
    expect(query.code).toBe(2);
    expect(query.stderr).toMatch(/--query/);
    expect((await cli(['pull', 'tines', '--query', 'actionId'], env)).code).toBe(2);
    // A value the client refuses is the command line's mistake too, named by the flag that carried it,
    // and refused before any request.
    const before = emulator.requests.length;
    const since = await cli(['pull', 'tines', '--since', 'yesterday'], env);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/Invalid option `since`.*"yesterday" \(from --since\)/);
    const pageSize = await cli(['pull', 'tines', '--page-size', '100000'], env);
    expect(pageSize.code).toBe(2);
    expect(pageSize.stderr).toMatch(/\(from --page-size\)/);
    const option = await cli(['pull', 'tines', '--query', 'storyID=4'], env);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/unknown query option.*\(from --query storyID=\)/);
    expect(emulator.requests.length).toBe(before);
    const help = await cli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/tributary pull <provider>/);
  });

  it('names the option that took the command as its value, rather than the word left as the command', async () => {
    const { stdout: text } = await cli(['--help'], env);
    const usage = (message: string) => ({ code: 2, stdout: '', stderr: `tributary: ${message}\n\n${text}` });
    expect(await cli(['--since', 'pull', 'tines'], env)).toEqual(
      usage('--since needs a value before "pull": it took "pull" as its value, leaving "tines" as the command'),
    );
    expect(await cli(['--page-size', 'watch', 'tines', '--interval', '1'], env)).toEqual(
      usage('--page-size needs a value before "watch": it took "watch" as its value, leaving "tines" as the command'),
    );
    expect(await cli(['--since', 'pull'], env)).toEqual(usage('--since needs a value before "pull": it took "pull" as its value, and a command is needed'));
    // Named by the option that took the command, not by the first option before it.
    expect(await cli(['--limit', '5', '--since', 'pull', 'tines'], env)).toEqual(
      usage('--since needs a value before "pull": it took "pull" as its value, leaving "tines" as the command'),
    );
    // A value given with `=` is the one meant; `--help` needs no command.
    expect(await cli(['--since=pull', 'tines'], env)).toEqual(usage('unknown command "tines"'));
    expect((await cli(['--since', 'pull', '--help'], env)).code).toBe(0);
  });

  it('names a malformed option with no name before its =', async () => {
    const { stdout: text } = await cli(['--help'], env);
    expect(await cli(['--=x'], env)).toEqual({ code: 2, stdout: '', stderr: `tributary: malformed option "--=x": a name is needed between -- and =\n\n${text}` });
    expect((await cli(['pull', 'tines', '--='], env)).stderr).toMatch(/^tributary: malformed option "--=": a name is needed between -- and =\n/);
  });

  it('guesses the option a typo meant: a swap of neighbours is one edit, and a name of five letters or more may be two off', async () => {
    expect((await cli(['pull', 'tines', '--tpye', 'x'], env)).stderr).toMatch(/^tributary: unknown option --tpye; did you mean --type\?\n/);
    expect((await cli(['pull', 'tines', '--qeuyr', 'x'], env)).stderr).toMatch(/^tributary: unknown option --qeuyr; did you mean --query\?\n/);
  });

  it('names --limit or --page-size for a value that is no whole number, empty included, not the query option behind it', async () => {
    const before = emulator.requests.length;
    for (const flag of ['--limit', '--page-size']) {
      for (const value of ['', 'ten']) {
        expect(await cli(['pull', 'tines', flag, value], env)).toMatchObject({
          code: 2,
          stdout: '',
          stderr: expect.stringMatching(new RegExp(`^tributary: ${flag} must be a whole number up to \\d+, got "${value}"\n`)),
        });
      }
    }
    expect(emulator.requests.length).toBe(before);
  });

  it('takes a command or provider spelt like a member every JavaScript object has for the unknown word it is', async () => {
    expect(await cli(['constructor', 'tines'], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^tributary: unknown command "constructor"\n/) });
    for (const provider of ['toString', '__proto__']) {
      expect(await cli(['pull', provider], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^tributary: unknown provider "${provider}"; one of `)) });
    }
  });

  it('names a --query piece with no key before its =', async () => {
    expect(await cli(['pull', 'tines', '--query', 'storyId=3&=5'], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^tributary: --query takes k=v pairs joined by &, got "=5"\n/) });
  });

  it('decodes a percent-encoded --query value before the client reads it', async () => {
    const encoded = await cli(['pull', 'tines', '--query', 'since=2026-11-01T00%3A00%3A00Z', '--limit', '1'], env);
    expect(encoded.code).toBe(0);
    expect(encoded.stdout).toBe((await cli(['pull', 'tines', '--since', '2026-11-01T00:00:00Z', '--limit', '1'], env)).stdout);
  });

  it('refuses a --config that holds JSON but no object of options (a list), rather than run without it', async () => {
    const config = join(dir, 'list.json');
    await writeFile(config, JSON.stringify([{ baseUrl: server.url }]));
    expect(await cli(['pull', 'tines', '--config', config], env)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining(`tributary: --config ${config} must hold a JSON object of factory options\n`),
    });
  });

  it('never echoes a secret of the environment that the command line repeats', async () => {
    const token = env.TRIBUTARY_TINES_TOKEN as string;
    const other = 'k5<dg9 a\u{1F600}C-secret';
    // A secret of a nested option (FUJITSU's identity.password) is as much a secret as one at the top.
    const nested = 'identity-pass-\u{1F511}-9q';
    const withOther = { ...env, TRIBUTARY_ILLUMIO_API_SECRET: other, TRIBUTARY_FUJITSU_IDENTITY__PASSWORD: nested };
    const before = emulator.requests.length;
    for (const argv of [['pull', 'tines', token], ['pull', 'tines', '--limit', token], ['pull', 'tines', '--query', `${other}=1`], ['pull', other], ['pull', 'tines', '--config', other], ['pull', 'tines', '--limit', nested]]) {
      const result = await cli(argv, withOther);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tributary: .*\[REDACTED\]/);
      expect(result.stderr).not.toContain(token);
      expect(result.stderr).not.toContain(other);
      expect(result.stderr).not.toContain(nested);
    }
    expect(emulator.requests.length).toBe(before);
  });

  it('redacts a secret of the environment from a failure the system reports, as a path that repeats it', async () => {
    const token = env.TRIBUTARY_TINES_TOKEN as string;
    // A file where the cursor file's folder should be: reading the cursor fails with Node's own ENOTDIR,
    // whose message quotes the path, and no client has redacted it.
    const notAFolder = join(dir, token);
    await writeFile(notAFolder, '');
    const result = await cli(['pull', 'tines', '--cursor-file', join(notAFolder, 'cursor')], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tributary: \w*Error: .*\[REDACTED\]/);
    expect(result.stderr).not.toContain(token);
  });

  it('refuses a value flag given twice, naming it, rather than keeping the last', async () => {
    const before = emulator.requests.length;
    for (const [argv, flag] of [
      [['pull', 'tines', '--query', 'actionId=21', '--query', 'storyId=3'], '--query'],
      [['pull', 'tines', '--limit', '1', '--limit=2'], '--limit'],
      [['--since', '2026-11-01', 'pull', 'tines', '--since', '2026-11-02'], '--since'],
    ] as const) {
      expect(await cli([...argv], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(`tributary: ${flag} is given more than once; it takes one value\n`) });
    }
    expect(emulator.requests.length).toBe(before);
    // A switch given twice says the same thing twice.
    expect((await cli(['pull', 'tines', '--cloudevents', '--cloudevents', '--limit', '1'], env)).code).toBe(0);
  });

  it('refuses --query __proto__=x as the unknown query option it is, instead of dropping it', async () => {
    const before = emulator.requests.length;
    const result = await cli(['pull', 'tines', '--query', '__proto__=x'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid option `__proto__`: unknown query option.*\(from --query __proto__=\)/);
    expect(emulator.requests.length).toBe(before);
  });

  it('refuses a whole number past 2^53, which a number would not hold as given', async () => {
    const before = emulator.requests.length;
    const result = await cli(['pull', 'tines', '--limit', '9007199254740993'], env);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^tributary: --limit must be a whole number up to 9007199254740991, got "9007199254740993"\n/) });
    expect(emulator.requests.length).toBe(before);
    expect((await cli(['emulate', 'tines', '--seed', '9007199254740993'], env)).stderr).toMatch(/^tributary: --seed must be a whole number/);
  });

  it("names --events and --seed when the emulator refuses them, as a usage error like --port's", async () => {
    expect(await cli(['emulate', 'tines', '--events', '50001'], env)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^tributary: events must be an integer from 0 to 50000, got 50001 \(from --events\)\n\nUsage:/),
    });
  });

  it('prints the usage to stderr with exit code 2 when no command is given; --help, -h and help to stdout', async () => {
    const none = await cli([], env);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^tributary: a command is needed\n\nUsage:/);
    for (const argv of [['--help'], ['-h'], ['help'], ['pull', 'tines', '-h']]) {
      const help = await cli(argv, env);
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout).toMatch(/^Usage:/);
    }
  });

  it('prints its version with --version', async () => {
    for (const argv of [['--version'], ['pull', 'tines', '--version']]) {
      expect(await cli(argv, env)).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
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

  it('serves the emulator on the --port given, with the events of its --seed', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    /** The events an emulator started with `flags` lists. */
    const served = async (flags: string[]) => {
      const controller = new AbortController();
      const stdout = capture();
      const pending = run(['emulate', 'tines', '--events', '3', ...flags], { stdout: stdout.stream, stderr: capture().stream, env: {}, signal: controller.signal });
      while (!stdout.text().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 10));
      const announced = JSON.parse(stdout.text()) as { url: string; env: NodeJS.ProcessEnv };
      const pulled = await cli(['pull', 'tines'], announced.env);
      controller.abort();
      expect(await pending).toBe(0);
      // Times are generated back from now, and the source names the port: the seed makes the rest.
      const ids = pulled.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
      return { url: announced.url, ids };
    };
    const first = await served(['--port', String(port), '--seed', '7']);
    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    expect(first.ids).toHaveLength(3);
    expect((await served(['--seed', '7'])).ids).toEqual(first.ids);
    expect((await served(['--seed', '8'])).ids).not.toEqual(first.ids);
  });

  it('serves the emulator on the highest port, 65535, which --port takes', async () => {
    const controller = new AbortController();
    const stdout = capture();
    const stderr = capture();
    const pending = run(['emulate', 'tines', '--port', '65535'], { stdout: stdout.stream, stderr: stderr.stream, env: {}, signal: controller.signal });
    let ended = false;
    void pending.finally(() => (ended = true));
    while (!ended && !stdout.text().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect({ code: await pending, stderr: stderr.text() }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(stdout.text()) as { url: string }).url).toBe('http://127.0.0.1:65535');
  });
});

describe('tributary CLI output', () => {
  const emulator = tinesEmulator.create({ events: 1200, seed: 11 });
  let server: EmulatorServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await emulator.listen();
    dir = await mkdtemp(join(tmpdir(), 'tributary-cli-out-'));
    env = demoEnv(server.url);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const firstId = (ndjson: string) => (JSON.parse(ndjson.slice(0, ndjson.indexOf('\n'))) as { id: string }).id;
  /** `tributary pull tines` in this process, 500 a page, writing to `stdout`. */
  const pullInProcess = (cursorFile: string, stdout: Writable, stderr: Writable) =>
    run(['pull', 'tines', '--page-size', '500', '--cursor-file', cursorFile], { stdout, stderr, env, signal: new AbortController().signal });

  it('ends quietly with exit code 0 when the reader goes away, without committing the unwritten page', async () => {
    const cursorFile = join(dir, 'epipe.cursor');
    // A page far larger than a pipe's buffer cannot be fully written before the reader leaves.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pull', 'tines', '--page-size', '500', '--cursor-file', cursorFile], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) child.stdout.destroy();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
    await expect(readFile(cursorFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  }, 20_000);

  it("ends quietly when a failed write's 'error' event comes after its callback, as a socket's EPIPE can", async () => {
    const cursorFile = join(dir, 'late-error.cursor');
    const errors: unknown[] = [];
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
      // The socket's own destruction (the descriptor's close) takes a while: the 'error' event follows it.
      destroy(error, callback) {
        setTimeout(() => callback(error), 30);
      },
    });
    const stderr = capture();
    const code = await pullInProcess(cursorFile, stdout, stderr.stream);
    // Before, the command had stopped listening by then: the event, unheard, would crash the process.
    stdout.on('error', (error) => errors.push(error));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(code).toBe(0);
    expect(stderr.text()).toBe('');
    expect(stdout.listenerCount('error')).toBe(1);
    expect(errors).toEqual([]);
    await expect(readFile(cursorFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a pull whose reader leaves after the last page, while its cursor is saved, ends complete with exit code 0', async () => {
    const cursorFile = join(dir, 'left-after.cursor');
    const stdout = new PassThrough();
    let lines = 0;
    stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString().split('\n').length - 1;
      // The last page's write has called back before this runs; the cursor file is being written.
      if (lines === 1200) setImmediate(() => stdout.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
    });
    const stderr = capture();
    const code = await pullInProcess(cursorFile, stdout, stderr.stream);
    expect(lines).toBe(1200);
    expect(stderr.text()).toMatch(/^tributary: 1200 tines events; cursor \S+\n$/);
    expect(code).toBe(0);
    expect((await readFile(cursorFile, 'utf8')).trim()).not.toBe('');
  });

  it('ends with exit code 0 when the reader of stderr has gone, its status line lost', async () => {
    const cursorFile = join(dir, 'stderr-gone.cursor');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pull', 'tines', '--page-size', '500', '--cursor-file', cursorFile], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // `2>&1 >/dev/null | true`: nobody reads stderr.
    child.stderr.destroy();
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => (lines += chunk.toString().split('\n').length - 1));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(lines).toBe(1200);
    expect((await readFile(cursorFile, 'utf8')).trim()).not.toBe('');
  }, 20_000);

  it('stops waiting for the vendor when the reader goes away, keeping the written pages committed', async () => {
    const cursorFile = join(dir, 'slow.cursor');
    emulator.faults.add({ kind: 'latency', ms: VENDOR_STALL_MS, schedule: { once: true, after: 1 } });
    const stdout = new PassThrough();
    const chunks: string[] = [];
    stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk.toString());
      // The reader leaves while the second page is still on its way.
      setTimeout(() => stdout.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })), 50);
    });
    const stderr = capture();
    const started = Date.now();
    const code = await run(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], {
      stdout,
      stderr: stderr.stream,
      env,
      signal: new AbortController().signal,
    });
    emulator.faults.clear();
    expect(code).toBe(0);
    expect(stderr.text()).toBe('');
    expect(Date.now() - started).toBeLessThan(AFTER_THE_READER_MS);
    expect(chunks).toHaveLength(1);
    const resumed = await cli(['pull', 'tines', '--page-size', '10', '--limit', '1', '--cursor', (await readFile(cursorFile, 'utf8')).trim()], env);
    const twoPages = await cli(['pull', 'tines', '--page-size', '10', '--limit', '20'], env);
    expect(firstId(resumed.stdout)).toBe((JSON.parse(twoPages.stdout.split('\n')[10] as string) as { id: string }).id);
  });

  const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;

  /**
   * Runs the command with a reader that leaves after the first line: `head -n 1` at the end of a shell
   * pipe, or this process closing its end of the socket pair Node gives a child. Resolves with the
   * command's exit code, its stderr, and how long it ran on after the reader had gone.
   */
  async function readOneLine(args: string[], commandEnv: NodeJS.ProcessEnv, output: 'pipe' | 'socket') {
    const command = [process.execPath, '--import', 'tsx', main, ...args];
    // The shell reports the command's exit code after its stderr, `head` having taken its stdout.
    const [file, ...rest] = output === 'pipe' ? ['sh', '-c', '{ "$@"; echo "exit $?" >&2; } | head -n 1', 'sh', ...command] : command;
    const child = spawn(file as string, rest, { env: { ...process.env, ...commandEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // A command that never notices keeps its process group alive: the test fails instead of hanging.
    const killer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 2 * AFTER_THE_READER_MS);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    let left: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (left !== undefined || !stdout.includes('\n')) return;
      left = Date.now();
      if (output === 'socket') child.stdout.destroy();
    });
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    clearTimeout(killer);
    const reported = /exit (\d+)\n$/.exec(stderr);
    return {
      code: output === 'pipe' ? Number(reported?.[1] ?? NaN) : exitCode,
      stderr: output === 'pipe' ? stderr.slice(0, reported?.index) : stderr,
      ranOn: Date.now() - (left ?? NaN),
    };
  }

  for (const output of ['pipe', 'socket'] as const) {
    it(`a watch between polls ends when the reader of its ${output} leaves, its pages committed`, async () => {
      const few = tinesEmulator.create({ events: 5, seed: 11 });
      const fewServer = await few.listen();
      const cursorFile = join(dir, `watch-${output}.cursor`);
      try {
        // Five events fit in the pipe: every write has succeeded before the reader leaves, and the
        // watch then waits ten minutes for the next poll, writing nothing.
        const { code, stderr, ranOn } = await readOneLine(['watch', 'tines', '--interval', '600', '--cursor-file', cursorFile], demoEnv(fewServer.url), output);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        expect(ranOn).toBeLessThan(AFTER_THE_READER_MS);
        expect(few.requests).toHaveLength(1);
        const resumed = await cli(['pull', 'tines', '--cursor', (await readFile(cursorFile, 'utf8')).trim()], demoEnv(fewServer.url));
        expect(resumed.stdout).toBe('');
      } finally {
        await fewServer.close();
      }
    }, 4 * AFTER_THE_READER_MS);

    it(`a pull of a long listing ends when the reader of its ${output} leaves while a page is on its way`, async () => {
      const cursorFile = join(dir, `pull-${output}.cursor`);
      emulator.faults.add({ kind: 'latency', ms: VENDOR_STALL_MS, schedule: { once: true, after: 1 } });
      try {
        const { code, stderr, ranOn } = await readOneLine(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], env, output);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        expect(ranOn).toBeLessThan(AFTER_THE_READER_MS);
      } finally {
        emulator.faults.clear();
      }
      const resumed = await cli(['pull', 'tines', '--page-size', '10', '--limit', '1', '--cursor', (await readFile(cursorFile, 'utf8')).trim()], env);
      const twoPages = await cli(['pull', 'tines', '--page-size', '10', '--limit', '20'], env);
      expect(firstId(resumed.stdout)).toBe((JSON.parse(twoPages.stdout.split('\n')[10] as string) as { id: string }).id);
    }, 4 * AFTER_THE_READER_MS);
  }

  it('a reader that holds the pipe without reading, and not as its stdin, is not taken for gone', async () => {
    emulator.faults.add({ kind: 'latency', ms: 1_000, schedule: { once: true, after: 1 } });
    // The reader takes the first line on its stdin, then keeps the pipe as descriptor 3 only, and reads
    // nothing more until the slow page has come: the probe must find it again where it now holds it.
    const script = '"$@" | { read -r first; exec 3<&0 0</dev/null; sleep 1.5; { echo "$first"; cat <&3; } | wc -l; }';
    const child = spawn('sh', ['-c', script, 'sh', process.execPath, '--import', 'tsx', main, 'pull', 'tines', '--page-size', '10'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await once(child, 'exit');
    emulator.faults.clear();
    expect(stdout.trim()).toBe('1200');
    expect(stderr).toMatch(/1200 tines events; cursor/);
  }, 20_000);

  it('commits a page only after its output was flushed', async () => {
    const cursorFile = join(dir, 'flush.cursor');
    const pages: string[] = [];
    let release = () => {};
    // Accepts the first page at once and holds the second: the buffer is large enough that `write` never
    // reports back-pressure, so only the write callback tells that the page has gone out.
    const stdout = new Writable({
      highWaterMark: 1 << 24,
      write(chunk: Buffer, _encoding, callback) {
        pages.push(chunk.toString());
        if (pages.length === 2) release = () => callback();
        else callback();
      },
    });
    const pending = run(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], {
      stdout,
      stderr: capture().stream,
      env,
      signal: new AbortController().signal,
    });
    while (pages.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pages).toHaveLength(2);
    const resumed = await cli(['pull', 'tines', '--page-size', '10', '--limit', '1', '--cursor', (await readFile(cursorFile, 'utf8')).trim()], env);
    expect(firstId(resumed.stdout)).toBe(firstId(pages[1] as string));
    release();
    expect(await pending).toBe(0);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('the command itself exits on %s with %i while its stdout pipe is full and unread', async (signalSent, status) => {
    const many = tinesEmulator.create({ events: 2000, seed: 5 });
    const manyServer = await many.listen();
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'pull', 'tines', '--page-size', '500'], {
      env: { ...process.env, ...demoEnv(manyServer.url) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Nobody reads its stdout: the pipe fills and a page's write waits.
    child.stdout.pause();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      while (many.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.kill(signalSent);
      const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: status, signal: null });
      expect(stderr).toMatch(/\(interrupted\)/);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
      await manyServer.close();
    }
  });

  it('a signal ends a pull whose reader has stalled mid-page, that page unsaved', async () => {
    const cursorFile = join(dir, 'stalled.cursor');
    const pages: string[] = [];
    // A reader that takes the first page and then never reads again: the second write never calls back.
    const stdout = new Writable({
      highWaterMark: 1 << 24,
      write(chunk: Buffer, _encoding, callback) {
        pages.push(chunk.toString());
        if (pages.length === 1) callback();
      },
    });
    const stderr = capture();
    const controller = new AbortController();
    const pending = run(['pull', 'tines', '--page-size', '10', '--cursor-file', cursorFile], { stdout, stderr: stderr.stream, env, signal: controller.signal });
    while (pages.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(Object.assign(new Error('interrupted'), { exitCode: 143 }));
    expect(await pending).toBe(143);
    expect(stderr.text()).toMatch(/10 tines events \(interrupted\)/);
    const resumed = await cli(['pull', 'tines', '--page-size', '10', '--limit', '1', '--cursor', (await readFile(cursorFile, 'utf8')).trim()], env);
    expect(firstId(resumed.stdout)).toBe(firstId(pages[1] as string));
  });
});

describe('tributary CLI queries and options of each provider', () => {
  const illumio = createEmulator('illumio', { seed: 3, events: 30 });
  const fujitsu = createEmulator('fujitsu', { seed: 3, events: 30 });
  const informatica = createEmulator('informatica', { seed: 3, events: 10 });
  const servers: EmulatorServer[] = [];
  let dir: string;
  const env: Record<'illumio' | 'fujitsu' | 'informatica', NodeJS.ProcessEnv> = { illumio: {}, fujitsu: {}, informatica: {} };
  const served = async (emulator: { listen(): Promise<EmulatorServer> }, toEnv: (url: string) => NodeJS.ProcessEnv) => {
    const server = await emulator.listen();
    servers.push(server);
    return toEnv(server.url);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-cli-query-'));
    env.illumio = await served(illumio, illumioDemoEnv);
    env.fujitsu = await served(fujitsu, fujitsuDemoEnv);
    env.informatica = await served(informatica, informaticaDemoEnv);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const types = (ndjson: string) => new Set(ndjson.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type));

  it('says which flags must match when a cursor file belongs to another query', async () => {
    const cursorFile = join(dir, 'pce.cursor');
    expect((await cli(['pull', 'illumio', '--since', '2026-11-01', '--cursor-file', cursorFile], env.illumio)).code).toBe(0);
    const other = await cli(['watch', 'illumio', '--cursor-file', cursorFile, '--interval', '1'], env.illumio);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /CursorError: Invalid cursor: it belongs to another query \(resume with the same query that produced it\); the checkpoint loaded it; --since, --until, --type and --query must be the same as in the run that saved the cursor\n/,
    );
    // With the same flags the cursor is taken: the watch reaches the vendor before it is stopped.
    const controller = new AbortController();
    const before = illumio.requests.length;
    const stop = setInterval(() => {
      if (illumio.requests.length > before) controller.abort(new Error('interrupted'));
    }, 10);
    try {
      const same = await cli(['watch', 'illumio', '--since', '2026-11-01', '--cursor-file', cursorFile, '--interval', '1'], env.illumio, controller.signal);
      expect(same.code).toBe(0);
      expect(same.stderr).not.toMatch(/CursorError/);
      expect(same.stderr).toMatch(/illumio events/);
    } finally {
      clearInterval(stop);
    }
  });

  it('names the query flags only for a cursor of another query, not for a cursor that is no cursor', async () => {
    const malformed = await cli(['pull', 'illumio', '--cursor', 'not-a-cursor'], env.illumio);
    expect(malformed).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^tributary: CursorError: /) });
    expect(malformed.stderr).not.toMatch(/must be the same as in the run/);
  });

  it('binds a cursor to --until, --type and --query as well as --since', async () => {
    const query = ['--since', '2026-11-01', '--until', '2030-01-01', '--type', 'user.sign_in', '--query', 'severity=info'];
    const cursorFile = join(dir, 'bound.cursor');
    expect((await cli(['pull', 'illumio', ...query, '--cursor-file', cursorFile], env.illumio)).code).toBe(0);
    expect((await cli(['pull', 'illumio', ...query, '--cursor-file', cursorFile], env.illumio)).code).toBe(0);
    for (const changed of [
      ['--until', '2031-01-01'],
      ['--type', 'request.authentication_failed'],
      ['--query', 'severity=err'],
    ]) {
      const other = query.map((word, i) => (query[i - 1] === changed[0] ? (changed[1] as string) : word));
      const refused = await cli(['pull', 'illumio', ...other, '--cursor-file', cursorFile], env.illumio);
      expect(refused, changed.join(' ')).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/CursorError: .*another query.*--since, --until, --type and --query must be the same/) });
    }
  });

  it('--limit 1 writes a whole first page: 1000 events for Illumio, whose page size is 1000', async () => {
    const many = createEmulator('illumio', { seed: 4, events: 1200 });
    const server = await many.listen();
    try {
      const limited = await cli(['pull', 'illumio', '--limit', '1'], illumioDemoEnv(server.url));
      expect(limited.code).toBe(0);
      expect(limited.stdout.trim().split('\n')).toHaveLength(1000);
      expect(limited.stderr).toMatch(/^tributary: 1000 illumio events; cursor \S+\n$/);
    } finally {
      await server.close();
    }
  });

  it('gives --query values the type of their option, and leaves text that is not for the client to refuse', async () => {
    expect((await cli(['pull', 'informatica', '--query', 'useExactMatch=true'], env.informatica)).code).toBe(0);
    expect(JSON.parse(informatica.requests.at(-1)?.body ?? '{}')).toMatchObject({ useExactMatch: true });
    expect((await cli(['pull', 'illumio', '--query', 'mode=auto&asyncThreshold=5'], env.illumio)).code).toBe(0);
    expect((await cli(['pull', 'fujitsu', '--query', 'duration=120', '--limit', '1'], env.fujitsu)).code).toBe(0);
    const text = await cli(['pull', 'illumio', '--query', 'asyncThreshold=many'], env.illumio);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/Invalid option `asyncThreshold`: expected an integer, got "many" \(from --query asyncThreshold=\)/);
  });

  it('makes a repeated --query key a list where the option takes one, and a usage error elsewhere', async () => {
    const listed = await cli(['pull', 'fujitsu', '--query', 'categories=backup&categories=failover'], env.fujitsu);
    expect(listed.code).toBe(0);
    expect(types(listed.stdout)).toEqual(new Set(['fujitsu.dbaas.backup', 'fujitsu.dbaas.failover']));
    const twice = await cli(['pull', 'illumio', '--query', 'severity=err&severity=info'], env.illumio);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/severity is given more than once \(--query severity=\); it takes one value/);
    const flagAndQuery = await cli(['pull', 'illumio', '--since', '2026-11-01', '--query', 'since=2026-11-02'], env.illumio);
    expect(flagAndQuery.code).toBe(2);
    expect(flagAndQuery.stderr).toMatch(/since is given more than once \(--since, --query since=\)/);
  });

  it('names the flag that gave the item of a list the client refuses, --type or --query', async () => {
    const fromQuery = await cli(['pull', 'fujitsu', '--type', 'backup', '--query', 'categories='], env.fujitsu);
    expect(fromQuery).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^tributary: Invalid option `categories\[1\]`: .*\(from --query categories=\)\n/) });
    const fromType = await cli(['pull', 'fujitsu', '--type', ' ', '--query', 'categories=backup'], env.fujitsu);
    expect(fromType).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^tributary: Invalid option `categories\[0\]`: .*\(from --type\)\n/) });
    const onlyQuery = await cli(['pull', 'fujitsu', '--query', 'categories=backup&categories='], env.fujitsu);
    expect(onlyQuery.stderr).toMatch(/^tributary: Invalid option `categories\[1\]`: .*\(from --query categories=\)\n/);
  });

  it('maps --type to each provider\'s type filter, and says when a provider has none', async () => {
    const fujitsuType = await cli(['pull', 'fujitsu', '--type', 'backup'], env.fujitsu);
    expect(fujitsuType.code).toBe(0);
    expect(types(fujitsuType.stdout)).toEqual(new Set(['fujitsu.dbaas.backup']));
    const informaticaType = await cli(['pull', 'informatica', '--type', 'PUBLICATION', '--query', 'children=nested'], env.informatica);
    expect(informaticaType.code).toBe(0);
    expect(types(informaticaType.stdout)).toEqual(new Set(['informatica.publication']));
    const refused = await cli(['pull', 'informatica', '--type', 'publication'], env.informatica);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Invalid option `eventType`.*\(from --type\)/);
    const tines = await cli(['pull', 'tines', '--type', 'tines.event'], {});
    expect(tines.code).toBe(2);
    expect(tines.stderr).toMatch(/--type: tines has no event type filter/);
    expect((await cli(['--help'], {})).stdout).toMatch(/socotra type, tines \(none\), fujitsu categories, illumio type, informatica eventType/);
  });

  it('names the variable that set a refused value, rather than asking to set it', async () => {
    const refused = await cli(['pull', 'tines'], { TRIBUTARY_TINES_BASE_URL: 'https://tenant.tines.com', TRIBUTARY_TINES_TOKEN: 'tok-1234', TRIBUTARY_TINES_EMAIL: 'ops@example.com' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Invalid option `email`: .*\(correct or remove TRIBUTARY_TINES_EMAIL\)\n/);
    // A --config that does not set it is not named beside the variable.
    const config = join(dir, 'elsewhere.json');
    await writeFile(config, JSON.stringify({ rateLimit: { requests: 5 } }));
    for (const variable of ['TRIBUTARY_ILLUMIO_TIMEOUT', 'TRIBUTARY_ILLUMIO_RATE_LIMIT__INTERVAL']) {
      const inEnv = await cli(['pull', 'illumio', '--config', config], { ...env.illumio, [variable]: '-5' });
      expect(inEnv.code).toBe(1);
      expect(inEnv.stderr).toMatch(new RegExp(`\\(correct or remove ${variable}\\)\n$`));
    }
  });

  it('refuses a function-only option set from the environment or --config, naming where to remove it', async () => {
    for (const [variable, option] of [['TRIBUTARY_ILLUMIO_FETCH', 'fetch'], ['TRIBUTARY_ILLUMIO_SIGNAL', 'signal'], ['TRIBUTARY_ILLUMIO_HOOKS__ON_REQUEST', 'hooks.onRequest']] as const) {
      const refused = await cli(['pull', 'illumio'], { ...env.illumio, [variable]: 'x' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Invalid option \`${option}\`: only a program can give it, not the environment or --config (remove ${variable})`);
      expect(refused.stdout).toBe('');
    }
    const config = join(dir, 'clock.json');
    await writeFile(config, JSON.stringify({ clock: { scale: 1 } }));
    const inFile = await cli(['pull', 'illumio', '--config', config], env.illumio);
    expect(inFile.code).toBe(1);
    expect(inFile.stderr).toContain(`(remove \`clock.scale\` in --config ${config})`);
  });

  it('names the variable or --config key to remove or correct for an unknown factory option', async () => {
    const variable = await cli(['pull', 'illumio'], { ...env.illumio, TRIBUTARY_ILLUMIO_TIMOUT: '5' });
    expect(variable.code).toBe(1);
    expect(variable.stderr).toMatch(/Invalid option `timout`: unknown option; .* \(remove or correct TRIBUTARY_ILLUMIO_TIMOUT\)\n/);
    expect(variable.stderr).not.toMatch(/set it with/);
    // The options it lists are those the environment or --config can set.
    const listed = /expected one of ([^(]+) \(/.exec(variable.stderr)?.[1]?.split(', ') ?? [];
    expect(listed).toContain('timeout');
    expect(listed).toContain('rateLimit');
    expect(listed.filter((option) => ['fetch', 'signal', 'hooks', 'clock'].includes(option))).toEqual([]);
    const nested = await cli(['pull', 'illumio'], { ...env.illumio, TRIBUTARY_ILLUMIO_RATE_LIMIT__REQUETS: '5' });
    expect(nested.stderr).toMatch(/\(remove or correct TRIBUTARY_ILLUMIO_RATE_LIMIT__REQUETS\)/);
    const config = join(dir, 'typo.json');
    await writeFile(config, JSON.stringify({ timout: 5 }));
    const inFile = await cli(['pull', 'illumio', '--config', config], env.illumio);
    expect(inFile.code).toBe(1);
    expect(inFile.stderr).toContain(`(remove or correct \`timout\` in --config ${config})`);
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

  it('types the options that are not text: booleans, numbers, and false for off', () => {
    expect(
      optionsFromEnv('illumio', {
        TRIBUTARY_ILLUMIO_ALLOW_INSECURE_HTTP: 'true',
        TRIBUTARY_ILLUMIO_TIMEOUT: 'false',
        TRIBUTARY_ILLUMIO_RETRY: 'false',
        TRIBUTARY_ILLUMIO_RATE_LIMIT__REQUESTS: '100',
        TRIBUTARY_ILLUMIO_RATE_LIMIT__MIN_TIME: '2.5',
        TRIBUTARY_ILLUMIO_JOB_TIMEOUT: '60000',
        // A secret of digits stays text; text an option cannot take is left for the factory to refuse.
        TRIBUTARY_ILLUMIO_API_SECRET: '12345',
        TRIBUTARY_ILLUMIO_MAX_RESPONSE_SIZE: 'lots',
      }),
    ).toEqual({
      allowInsecureHttp: true,
      timeout: false,
      retry: false,
      rateLimit: { requests: 100, minTime: 2.5 },
      jobTimeout: 60_000,
      apiSecret: '12345',
      maxResponseSize: 'lots',
    });
  });

  it('types a value the environment holds with white space around it, as an env file can leave it', () => {
    expect(
      optionsFromEnv('illumio', {
        TRIBUTARY_ILLUMIO_ALLOW_INSECURE_HTTP: ' true ',
        TRIBUTARY_ILLUMIO_TIMEOUT: '5000\n',
        TRIBUTARY_ILLUMIO_RETRY: ' false',
        TRIBUTARY_ILLUMIO_API_SECRET: ' 12345 ',
      }),
    ).toEqual({ allowInsecureHttp: true, timeout: 5000, retry: false, apiSecret: ' 12345 ' });
  });

  it('merges --config and the environment key by key, nested objects included', () => {
    expect(mergeOptions({ identity: { url: 'https://id', userName: 'me' }, rateLimit: { requests: 5 } }, { identity: { password: 'p' } })).toEqual({
      identity: { url: 'https://id', userName: 'me', password: 'p' },
      rateLimit: { requests: 5 },
    });
  });
});
