/**
 * A cursor file that cannot be saved fails the command; the events written are then recorded only by
 * the cursor on stderr, which must be there whichever save failed, the one after the last page included.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { capture } from '../support/cli-in-process.js';

describe('tributary pull whose cursor file cannot be saved', () => {
  let server: EmulatorServer;
  let dir = '';
  beforeAll(async () => {
    server = await tinesEmulator.create({ events: 5, seed: 5 }).listen();
    dir = await mkdtemp(join(tmpdir(), 'tributary-save-failure-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the cursor of the pages it wrote when the save after the last page fails', async () => {
    const path = join(dir, 'tines.cursor');
    const stdout = capture();
    const stderr = capture();
    // Past the check made before the first request, which a path that holds no file now fails: the page's
    // lines reach stdout before its save, and a directory in the file's place fails the save's rename,
    // for root too.
    stdout.stream.once('data', () => mkdirSync(join(path, 'held'), { recursive: true }));
    const io = { stdout: stdout.stream, stderr: stderr.stream, env: demoEnv(server.url), signal: new AbortController().signal };
    const code = await run(['pull', 'tines', '--cursor-file', path], io);
    expect(code).toBe(1);
    expect(stdout.text().split('\n').filter(Boolean)).toHaveLength(5);
    expect(stderr.text()).toMatch(/tributary: 5 tines events written before the failure; resume with --cursor \S+\n/);
    expect(stderr.text()).toMatch(/CursorError: the checkpoint file \S+ is a directory/);
  });
});
