import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../examples/socotra.js';
import { demoEnv, socotraEmulator } from '../../../src/providers/socotra/emulator.js';
import type { EmulatorServer } from '../../../src/testing/types.js';

describe('examples/socotra.ts against the emulator', () => {
  const emulator = socotraEmulator.create({ seed: 7, events: 30 });
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(() => server.close());

  it('prints the first events, the count and a cursor that resumes with only what completed since', async () => {
    const env = demoEnv(server.url);
    const lines = await main(env);
    expect(lines).toHaveLength(8);
    // Every value of `data` is an object (seed 000: `map<string,object>`); a cut list is one of them.
    const stored = [...new Map(emulator.store.page(0, {}, emulator.store.length).events.map((event) => [event.locator, event])).values()];
    expect(stored).toHaveLength(30);
    const cut = stored.filter((event) =>
      Object.values(event.data).some((value) => (value as { listCompleted?: unknown }).listCompleted === false),
    );
    expect(stored.every((event) => Object.values(event.data).every((value) => typeof value === 'object' && value !== null))).toBe(true);
    expect(cut.length).toBeGreaterThan(0);
    expect(lines[5]).toMatch(new RegExp(`^30 events \\(${cut.length} with a cut list\\); resume with EXAMPLE_SOCOTRA_CURSOR=[\\w-]+$`));
    expect(lines[6]).toMatch(/^request \w{26} produced [1-3] event\(s\)/);
    expect(lines[7]).toMatch(/^\d+ scheduled job\(s\) gave up/);
    const cursor = lines[5]!.split('CURSOR=')[1]!;
    const late = emulator.store.addEvent({ timestamp: '2020-01-01T00:00:00Z', type: 'policy.renew' });
    const resumed = await main({ ...env, EXAMPLE_SOCOTRA_CURSOR: cursor });
    expect(resumed[0]).toBe(`2020-01-01T00:00:00.000Z policy.renew ${late.locator} by ${late.userLocator}`);
    expect(resumed[1]).toMatch(/^1 events/);
  });

  it('says which variables are missing', async () => {
    expect(await main({})).toEqual(['Set TRIBUTARY_SOCOTRA_BASE_URL, TRIBUTARY_SOCOTRA_TENANT_LOCATOR and TRIBUTARY_SOCOTRA_TOKEN.']);
  });
});
