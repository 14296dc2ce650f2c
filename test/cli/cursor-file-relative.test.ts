/**
 * A relative `--cursor-file` is found from the working folder, which for a service is often `/` or a
 * folder its unit names elsewhere: a message about the file names it by its whole path, where the path
 * as given left the operator to guess which folder it was in.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, exitAndStderr } from '../support/cli-process.js';

describe('tributary --cursor-file given relative', () => {
  const workspace = cliWorkspace('tributary-relative-cursor-');
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await tinesEmulator.create({ events: 5, seed: 5 }).listen();
  });
  afterAll(() => server.close());

  const pull = async (cursorFile: string): Promise<{ code: number | null; stderr: string }> => {
    const { status, stderr } = await exitAndStderr(process.execPath, [workspace.main, 'pull', 'tines', '--cursor-file', cursorFile], {
      cwd: workspace.dir,
      env: demoEnv(server.url),
      stdout: 'ignore',
    });
    return { code: status, stderr };
  };

  it('is saved in the working folder', async () => {
    const result = await pull('state.cursor');
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(workspace.dir, 'state.cursor'), 'utf8')).toMatch(/^\S+\n$/);
  });

  it('that cannot be saved is named by its whole path', async () => {
    // A file where the path's folder goes: refused for root too.
    await writeFile(join(workspace.dir, 'blocker'), '');
    const result = await pull('blocker/tines.cursor');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`CursorError: the checkpoint file ${join(workspace.dir, 'blocker', 'tines.cursor')} `);
  });
});
