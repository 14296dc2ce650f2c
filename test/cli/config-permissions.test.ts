/**
 * A `--config` file that other users of the machine can read while it holds a credential, or that any
 * user can change (its `baseUrl` would send the environment's credential to a server of theirs), is named on stderr,
 * as ssh and kubectl name such files; the command still runs, as many deployments mount files 0644.
 * A file its group can change is not named: a user's files are often their own group's alone.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess as cli } from '../support/cli-in-process.js';

describe.skipIf(process.platform === 'win32')('a --config file open to other users', () => {
  const emulator = tinesEmulator.create({ events: 2, seed: 3 });
  let server: EmulatorServer;
  let env: Record<string, string>;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    server = await emulator.listen();
    env = demoEnv(server.url);
    token = env.TRIBUTARY_TINES_TOKEN as string;
    dir = await mkdtemp(join(tmpdir(), 'tributary-config-mode-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function configFile(name: string, options: object, mode: number): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(options));
    await chmod(file, mode);
    return file;
  }

  it.each([0o644, 0o640, 0o604].map((mode) => [mode.toString(8), mode] as const))('holding a credential and readable by others (%s): named, without the credential, and the command runs', async (_, mode) => {
    const file = await configFile(`secret-${mode.toString(8)}.json`, { baseUrl: server.url, token }, mode);
    const { code, stdout, stderr } = await cli(['pull', 'tines', '--config', file], {});
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toContain(`tributary: warning: --config ${file} holds a credential (token) that other users can read (mode ${mode.toString(8)}); chmod 600 it, or keep the credential in TRIBUTARY_TINES_TOKEN`);
    expect(stderr).not.toContain(token);
  });

  it('holding a credential nested in an option (a Redis password), readable by others: named by its path', async () => {
    const redis = { clientOptions: { host: '127.0.0.1', port: 1, password: 'redis-pass-7c1e' }, connectTimeout: 100 };
    const file = await configFile('nested.json', { baseUrl: server.url, rateLimit: { shared: { redis } } }, 0o644);
    const { stderr } = await cli(['pull', 'tines', '--config', file], { TRIBUTARY_TINES_TOKEN: token });
    expect(stderr).toContain('holds a credential (rateLimit.shared.redis.clientOptions.password) that other users can read (mode 644)');
    expect(stderr).not.toContain('redis-pass-7c1e');
  });

  it('holding a connection string with a password (node-redis 3 url), readable by others: named', async () => {
    const redis = { datastore: 'redis', clientOptions: { url: 'redis://:redis-pass-7c1e@127.0.0.1:1' }, connectTimeout: 100 };
    const file = await configFile('url.json', { baseUrl: server.url, rateLimit: { shared: { redis } } }, 0o644);
    const { stderr } = await cli(['pull', 'tines', '--config', file], { TRIBUTARY_TINES_TOKEN: token });
    expect(stderr).toContain('holds a credential (rateLimit.shared.redis.clientOptions.url) that other users can read (mode 644)');
    expect(stderr).not.toContain('redis-pass-7c1e');
  });

  it('that any user can change, credential or not: named, since its baseUrl would take the credential elsewhere', async () => {
    const file = await configFile('writable.json', { baseUrl: server.url }, 0o666);
    const { code, stderr } = await cli(['pull', 'tines', '--config', file], { TRIBUTARY_TINES_TOKEN: token });
    expect(code).toBe(0);
    expect(stderr).toContain(`tributary: warning: --config ${file} can be changed by any user (mode 666); chmod o-w it`);
  });

  it.each([
    ['a credential, readable by its owner alone', true, 0o600],
    ['no credential, readable by all', false, 0o644],
    ['no credential, writable by its group', false, 0o664],
  ])('holding %s: no warning', async (_, holdsToken, mode) => {
    const options = holdsToken ? { baseUrl: server.url, token } : { baseUrl: server.url };
    const file = await configFile(`quiet-${mode.toString(8)}.json`, options, mode);
    const { code, stderr } = await cli(['pull', 'tines', '--config', file], { TRIBUTARY_TINES_TOKEN: token });
    expect(code).toBe(0);
    expect(stderr).not.toContain('warning');
  });
});
