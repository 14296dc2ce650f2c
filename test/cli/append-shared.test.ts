/**
 * Two commands appending to one file (`>> events.ndjson` from two services): each page goes out in one
 * write(2), which a file opened for append takes whole, so every line stays whole among the other's.
 */
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv as illumioEnv, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { demoEnv as tinesEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, exitAndStderr } from '../support/cli-process.js';

const EVENTS = 2000;

describe('tributary appending to a file another tributary appends to', () => {
  const workspace = cliWorkspace('tributary-append-shared-');
  let servers: EmulatorServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all([tinesEmulator.create({ events: EVENTS, seed: 3 }).listen(), illumioEmulator.create({ events: EVENTS, seed: 3 }).listen()]);
  });
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it('leaves every line of both whole', async () => {
    const file = join(workspace.dir, 'events.ndjson');
    const pull = async (provider: string, env: Record<string, string>) => {
      const out = openSync(file, 'a');
      const exit = exitAndStderr(process.execPath, [workspace.main, 'pull', provider, '--page-size', '500'], { env, stdout: out });
      closeSync(out);
      const { status, stderr } = await exit;
      expect(status, stderr).toBe(0);
    };
    const [tines, illumio] = servers as [EmulatorServer, EmulatorServer];
    await Promise.all([pull('tines', tinesEnv(tines.url)), pull('illumio', illumioEnv(illumio.url))]);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    const providers = lines.map((line) => (JSON.parse(line) as { provider: string }).provider);
    expect(providers.filter((provider) => provider === 'tines')).toHaveLength(EVENTS);
    expect(providers.filter((provider) => provider === 'illumio')).toHaveLength(EVENTS);
  }, 30_000);
});
