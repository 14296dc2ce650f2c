import { describe, expect, it } from 'vitest';
import { main } from '../../../examples/tines.js';
import { demoEnv, tinesEmulator } from '../../../src/providers/tines/emulator.js';

describe('examples/tines.ts', () => {
  it('lists a tenant, prints a resumable cursor, and resumes from it', async () => {
    const emulator = tinesEmulator.create({ events: 80 });
    const server = await emulator.listen();
    try {
      const env = demoEnv(server.url);
      const lines = await main(env);
      expect(lines).toHaveLength(7);
      expect(lines[5]).toMatch(/^80 events; resume with EXAMPLE_TINES_CURSOR=[\w-]+$/);
      const cursor = lines[5]?.split('=')[1];
      emulator.store.emit();
      const resumed = await main({ ...env, EXAMPLE_TINES_CURSOR: cursor });
      expect(resumed[1]).toMatch(/^1 events;/);
      expect(await main({})).toEqual(['Set TRIBUTARY_TINES_BASE_URL and TRIBUTARY_TINES_TOKEN.']);
    } finally {
      await server.close();
    }
  });
});
