/**
 * A `--cursor-file` whose folder cannot be made (under `/proc`, where Node's recursive `mkdir` looped
 * for ever) fails the command at once, naming the path, before its first request: it is a mistake in
 * the command's options, which would otherwise be found only at the first save, after a page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

describe.skipIf(process.platform !== 'linux')('tributary --cursor-file under /proc', () => {
  const workspace = cliWorkspace('tributary-unmakeable-');
  const emulator = tinesEmulator.create({ events: 5, seed: 5 });
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  // runCli kills a command still running after 15 s, which then fails here instead of holding the suite.
  it.each(['/proc/nonexistent/cursor', '/proc/self/whatever/cursor'])('%s fails the command, naming it, before any request', async (path) => {
    const before = emulator.requests.length;
    const result = await runCli(workspace.main, ['pull', 'tines', '--cursor-file', path], demoEnv(server.url), { stop: 'end' });
    expect(result.killedBy).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^tributary: CursorError: .*cannot be made/);
    expect(result.stderr).toContain(path);
    expect(result.lines).toEqual([]);
    expect(emulator.requests.length).toBe(before);
  });
});
