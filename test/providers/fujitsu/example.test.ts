import { describe, expect, it } from 'vitest';

import { main } from '../../../examples/fujitsu.js';
import { demoEnv } from '../../../src/providers/fujitsu/emulator.js';
import { createEmulator } from './helpers.js';

describe('examples/fujitsu.ts', () => {
  it('logs in, lists the last hour and prints a cursor that resumes with only new events', async () => {
    const emulator = createEmulator({ events: 25 });
    const server = await emulator.listen();
    try {
      const env = demoEnv(server.url);
      const lines = await main(env);
      expect(lines).toHaveLength(7);
      expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z fujitsu\.dbaas\.\S+ (dbinst|snap)_\w+: /);
      expect(lines[5]).toMatch(/^25 events \(fujitsu\.dbaas\./);
      const cursor = /EXAMPLE_FUJITSU_CURSOR=(\S+)$/.exec(lines[6] ?? '')?.[1];
      expect(cursor).toBeDefined();
      expect(lines.join('\n')).not.toContain(env['TRIBUTARY_FUJITSU_IDENTITY__PASSWORD']);
      const again = await main({ ...env, EXAMPLE_FUJITSU_CURSOR: cursor });
      expect(again[0]).toBe('0 events');
      expect(emulator.store.keystone.loginAttempts).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('says what to set when the environment is incomplete', async () => {
    expect(await main({})).toEqual([expect.stringMatching(/^Set TRIBUTARY_FUJITSU_BASE_URL/)]);
  });
});
