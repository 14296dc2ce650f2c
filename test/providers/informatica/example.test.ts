import { describe, expect, it } from 'vitest';
import { main } from '../../../examples/informatica.js';
import { demoEnv, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';

describe('examples/informatica.ts', () => {
  it('runs against the emulator and prints the failed events and a cursor', async () => {
    const emulator = informaticaEmulator.create({ seed: 11, events: 20 });
    const server = await emulator.listen();
    try {
      const lines = await main(demoEnv(server.url));
      const failed = emulator.store.events.all().filter((event) => event.eventStatus === 'Error');
      expect(lines.at(-2) ?? lines.at(-1)).toMatch(
        new RegExp(`^${emulator.store.events.size} events, ${failed.length} failed; resume with EXAMPLE_INFORMATICA_CURSOR=\\S+$`),
      );
      expect(lines.filter((line) => / informatica\.\w+ /.test(line))).toHaveLength(Math.min(5, failed.length));
      expect(lines.join('\n')).not.toContain('MyPassword');
    } finally {
      await server.close();
    }
  });

  it('says which variables it needs', async () => {
    expect(await main({})).toEqual([
      'Set TRIBUTARY_INFORMATICA_BASE_URL, TRIBUTARY_INFORMATICA_USERNAME and TRIBUTARY_INFORMATICA_PASSWORD.',
    ]);
  });
});
