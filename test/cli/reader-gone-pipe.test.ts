/**
 * A pipe's reader gone before the command's first write (`tributary pull x | true`, `| head -c0`): the
 * command ends quietly with exit code 0, as it does for a reader gone mid-stream, and saves no cursor,
 * for it wrote no event: a checkpoint past events nobody read would lose them on the next run. A reader
 * gone before the command first looks cannot be told from one /proc does not show (reader.ts): the
 * command asks the vendor and meets it at its first write. One that is seen at the start and leaves is
 * noticed while the vendor's first answer is still far off.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

/** How long the vendor keeps the first answer back: far beyond any startup. */
const FAR_OFF_MS = 30_000;

describe.skipIf(process.platform !== 'linux')('tributary whose stdout is a pipe its reader left before the first line', () => {
  const workspace = cliWorkspace('tributary-reader-gone-pipe-');
  let server: EmulatorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    ['pull', ['pull', 'tines']],
    ['watch', ['watch', 'tines', '--interval', '1']],
  ])('%s ends quietly with exit code 0 and saves no cursor when the reader closed the pipe before it started', async (name, command) => {
    server = await tinesEmulator.create({ events: 150, seed: 7 }).listen();
    const folder = join(workspace.dir, name);
    const result = await runCli(workspace.main, [...command, '--cursor-file', join(folder, 'tines.cursor')], demoEnv(server.url), {
      stop: 'reader',
      delayMs: 0,
      output: 'pipe',
    });
    expect({ status: result.status, stderr: result.stderr, lines: result.lines }).toEqual({ status: 0, stderr: '', lines: [] });
    expect(await readdir(folder)).toEqual([]);
  });

  it('a resumed pull leaves the cursor saved before it as it was', async () => {
    server = await tinesEmulator.create({ events: 150, seed: 7 }).listen();
    const path = join(workspace.dir, 'resumed.cursor');
    const first = await runCli(workspace.main, ['pull', 'tines', '--limit', '1', '--cursor-file', path], demoEnv(server.url), { stop: 'end' });
    expect(first.status).toBe(0);
    const saved = await readFile(path, 'utf8');
    const result = await runCli(workspace.main, ['pull', 'tines', '--cursor-file', path], demoEnv(server.url), { stop: 'reader', delayMs: 0, output: 'pipe' });
    expect({ status: result.status, stderr: result.stderr, lines: result.lines }).toEqual({ status: 0, stderr: '', lines: [] });
    expect(await readFile(path, 'utf8')).toBe(saved);
  });

  it('a reader seen at the start that leaves before the first answer ends the command, saving nothing', async () => {
    const emulator = tinesEmulator.create({ events: 5, seed: 7 });
    emulator.faults.add({ kind: 'latency', ms: FAR_OFF_MS });
    server = await emulator.listen();
    const folder = join(workspace.dir, 'seen');
    const asked = (async () => {
      while (emulator.requests.length === 0) await sleep(10);
    })();
    const result = await runCli(workspace.main, ['pull', 'tines', '--cursor-file', join(folder, 'tines.cursor')], demoEnv(server.url), {
      stop: 'reader',
      after: asked,
      output: 'pipe',
    });
    expect(result.stopped).toBe(true);
    expect({ status: result.status, killedBy: result.killedBy, stderr: result.stderr, lines: result.lines }).toEqual({ status: 0, killedBy: null, stderr: '', lines: [] });
    expect(await readdir(folder)).toEqual([]);
  }, 20_000);
});
