/** `examples/illumio.ts` against the emulator's real server, as the demo runs it. */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../examples/illumio.js';
import { demoEnv, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import type { EmulatorServer } from '../../../src/testing/types.js';

describe('examples/illumio.ts', () => {
  let server: EmulatorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('collects every event, prints a cursor that later yields only new events', async () => {
    const emulator = illumioEmulator.create({ seed: 7, events: 45 });
    server = await emulator.listen();
    const env = demoEnv(server.url);
    const lines = await main(env);
    expect(lines).toHaveLength(7);
    expect(lines[5]).toMatch(/^45 events \(.+\); resume with EXAMPLE_ILLUMIO_CURSOR=[A-Za-z0-9_-]+$/);
    expect(lines[6]).toBe(`newest ${emulator.store.events[0]?.href} from pce.example.com (illumio:/orgs/1)`);
    const cursor = (lines[5] as string).split('=')[1] as string;
    expect(await main({ ...env, EXAMPLE_ILLUMIO_CURSOR: cursor })).toEqual([
      `0 events (none); resume with EXAMPLE_ILLUMIO_CURSOR=${cursor}`,
    ]);
    emulator.store.record(2);
    expect((await main({ ...env, EXAMPLE_ILLUMIO_CURSOR: cursor }))[2]).toMatch(/^2 events/);
  });

  it('says what it needs when the environment is incomplete', async () => {
    expect(await main({})).toEqual([
      'Set TRIBUTARY_ILLUMIO_BASE_URL, TRIBUTARY_ILLUMIO_API_KEY and TRIBUTARY_ILLUMIO_API_SECRET.',
    ]);
  });
});
