/**
 * A `--cursor-file` the save could not write fails the command at once, naming the path, before its
 * first request: it is a mistake in the command's options, which would otherwise be found only at the
 * first save, after a page was written and its events delivered that no checkpoint records.
 * - A folder that cannot be made: under `/proc`, where Node's recursive `mkdir` looped for ever.
 * - A folder that exists but can hold no file: procfs' `/proc/self`, sysfs, where nobody, root
 *   included, may create one (the save's temporary file would be refused).
 * - A folder the system refuses to make (sysfs' EPERM), or a file where a folder of the path goes
 *   (EEXIST, ENOTDIR): these printed Node's bare error, which named no checkpoint.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

const UNMAKEABLE = /^tributary: CursorError: .*cannot be made/;
const UNWRITABLE = /^tributary: CursorError: .*cannot be saved: no file can be created in its folder/;

describe.skipIf(process.platform !== 'linux')('tributary --cursor-file that cannot be saved', () => {
  const workspace = cliWorkspace('tributary-preflight-');
  const emulator = tinesEmulator.create({ events: 5, seed: 5 });
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  // runCli kills a command still running after 15 s, which then fails here instead of holding the suite.
  it.each([
    ['/proc/nonexistent/cursor', UNMAKEABLE],
    ['/proc/self/whatever/cursor', UNMAKEABLE],
    ['/proc/self/cursor', UNWRITABLE],
    ['/sys/kernel/cursor', UNWRITABLE],
    ['/sys/tributary.cursor', UNWRITABLE],
    ['/sys/tributary/cursor', UNMAKEABLE],
    ['/sys/kernel/tributary/cursor', UNMAKEABLE],
    ['{file}/cursor', UNMAKEABLE],
    ['{file}/sub/cursor', UNMAKEABLE],
  ])('%s fails the command, naming it, before any request', async (given, message) => {
    const file = join(workspace.dir, 'file');
    await writeFile(file, 'not a folder\n');
    const path = given.replace('{file}', file);
    const before = emulator.requests.length;
    const result = await runCli(workspace.main, ['pull', 'tines', '--cursor-file', path], demoEnv(server.url), { stop: 'end' });
    expect(result.killedBy).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(path);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/events written before the failure/);
    expect(result.lines).toEqual([]);
    expect(emulator.requests.length).toBe(before);
  });
});
