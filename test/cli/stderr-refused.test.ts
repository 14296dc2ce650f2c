/**
 * A stderr that refuses the status lines (a log on a full disk, `2>/dev/full`) costs only those lines,
 * as a reader of stderr that goes away does: a pull that wrote its events and saved its cursor exits 0.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace } from '../support/cli-process.js';

describe.skipIf(process.platform !== 'linux')('tributary whose stderr refuses a write', () => {
  const workspace = cliWorkspace('tributary-stderr-refused-');
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await tinesEmulator.create({ events: 120, seed: 2 }).listen();
  });
  afterAll(() => server.close());

  it.each([
    ['pull', ['pull', 'tines']],
    ['watch', ['watch', 'tines', '--interval', '1', '--limit', '1']],
    ['pull warned of its --config', ['pull', 'tines', '--config']],
  ])('%s writes its events, saves its cursor and exits 0', async (name, command) => {
    const path = join(workspace.dir, `${name}.cursor`);
    const config = join(workspace.dir, 'readable.json');
    // A credential other users can read: the command warns of it on stderr.
    await writeFile(config, JSON.stringify({ token: demoEnv(server.url)['TRIBUTARY_TINES_TOKEN'] }));
    await chmod(config, 0o644);
    const args = command.at(-1) === '--config' ? [...command, config] : command;
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [workspace.main, ...args, '--page-size', '50', '--cursor-file', path], {
      env: { ...process.env, ...demoEnv(server.url) },
      stdio: ['ignore', 'pipe', full],
    });
    closeSync(full);
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(50);
    expect((await readFile(path, 'utf8')).trim()).not.toBe('');
  });
});
