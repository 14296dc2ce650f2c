/**
 * A `--cursor-file` in a folder that exists but can hold no file (procfs' `/proc/self`, sysfs, where
 * nobody, root included, may create one) fails the command at once, naming the path, before its first
 * request: the save's temporary file could otherwise be refused only after the first page was written,
 * leaving events delivered that no checkpoint records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

describe.skipIf(process.platform !== 'linux')('tributary --cursor-file in a folder that holds no file', () => {
  const workspace = cliWorkspace('tributary-unwritable-');
  const emulator = tinesEmulator.create({ events: 5, seed: 5 });
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['/proc/self/cursor', '/sys/kernel/cursor', '/sys/tributary.cursor'])('%s fails the command, naming it, before any request', async (path) => {
    const before = emulator.requests.length;
    const result = await runCli(workspace.main, ['pull', 'tines', '--cursor-file', path], demoEnv(server.url), { stop: 'end' });
    expect(result.killedBy).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^tributary: CursorError: .*cannot be saved: no file can be created in its folder/);
    expect(result.stderr).toContain(path);
    expect(result.stderr).not.toMatch(/events written before the failure/);
    expect(result.lines).toEqual([]);
    expect(emulator.requests.length).toBe(before);
  });
});
