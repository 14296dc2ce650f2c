/**
 * A cursor file that cannot be saved fails the command; the events written are then recorded only by
 * the cursor on stderr, which must be there whichever save failed, the one after the last page included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess as cli } from '../support/cli-in-process.js';

describe('tributary pull whose cursor file cannot be saved', () => {
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await tinesEmulator.create({ events: 5, seed: 5 }).listen();
  });
  afterAll(async () => {
    await server.close();
  });

  // sysfs holds no such file, so the load starts the listing, and lets nobody, root included, create one.
  it.skipIf(process.platform !== 'linux')('prints the cursor of the pages it wrote when the save after the last page fails', async () => {
    const result = await cli(['pull', 'tines', '--cursor-file', '/sys/tributary.cursor'], demoEnv(server.url));
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(5);
    expect(result.stderr).toMatch(/tributary: 5 tines events written before the failure; resume with --cursor \S+\n/);
    expect(result.stderr).toMatch(/EACCES/);
  });
});
