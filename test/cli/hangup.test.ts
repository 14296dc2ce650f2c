/**
 * A terminal that closes (an SSH session dropped, a window shut) sends its commands SIGHUP: a `pull` or
 * a `watch` left running in it stops as it does on SIGTERM, its written pages saved and reported, so
 * that the next run repeats none of them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

const EVENTS = 30;

describe('tributary on SIGHUP', () => {
  const workspace = cliWorkspace('tributary-hangup-');
  let server: EmulatorServer;
  let dir: string;
  beforeAll(async () => {
    const emulator = tinesEmulator.create({ events: EVENTS, seed: 5 });
    // Pages come slowly enough that the hangup finds the listing under way.
    emulator.faults.add({ kind: 'latency', ms: 30 });
    server = await emulator.listen();
    dir = await mkdtemp(join(tmpdir(), 'tributary-hangup-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['pull', 129],
    ['watch', 0],
  ] as const)('a %s saves the pages it wrote and exits %i, as on SIGTERM', async (command, status) => {
    const cursorFile = join(dir, `${command}.cursor`);
    const args = [command, 'tines', '--page-size', '1', '--cursor-file', cursorFile];
    const env = demoEnv(server.url);
    const first = await runCli(workspace.main, args, env, { stop: 'SIGHUP', lines: 3 });
    expect(first.stopped).toBe(true);
    expect({ status: first.status, killedBy: first.killedBy }).toEqual({ status, killedBy: null });
    const reported = new RegExp(`tributary: ${first.lines.length} tines events(?: \\(interrupted\\))?; cursor (\\S+)`).exec(first.stderr)?.[1];
    expect(reported, first.stderr).toBeDefined();
    expect((await readFile(cursorFile, 'utf8')).trim()).toBe(reported);
    const rest = await runCli(workspace.main, ['pull', 'tines', '--cursor-file', cursorFile], env, { stop: 'end' });
    const ids = [...first.lines, ...rest.lines].map((line) => (JSON.parse(line) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(EVENTS);
  }, 30_000);
});
