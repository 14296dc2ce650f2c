/**
 * `--query` values as the README and `--help` say they are read: percent-decoded as in a URL's query,
 * a `+` kept as a plus, and the text then sent to the vendor encoded once, so the vendor's filter sees
 * exactly the value meant (a `+` a vendor read as a space matched another type).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnv, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess } from '../support/cli-in-process.js';

const TYPES = ['policy+issue', 'policy issue', 'a&b=c', '100%', 'póliza🎉'];

describe('--type and --query values with reserved and non-ASCII characters', () => {
  const emulator = socotraEmulator.create({ events: 0, seed: 3 });
  let server: EmulatorServer;

  beforeAll(async () => {
    server = await emulator.listen();
    for (const type of TYPES) emulator.store.addEvent({ type });
  });
  afterAll(() => server.close());

  const typesOf = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { type: string }).type);

  it.each([
    ['type=policy+issue', 'policy+issue'],
    ['type=policy%2Bissue', 'policy+issue'],
    ['type=policy%20issue', 'policy issue'],
    ['type=policy issue', 'policy issue'],
    ['type=a%26b%3Dc', 'a&b=c'],
    ['type=100%25', '100%'],
    ['type=p%C3%B3liza%F0%9F%8E%89', 'póliza🎉'],
    ['type=póliza🎉', 'póliza🎉'],
  ])('--query %s lists the events of type %j only', async (query, type) => {
    const { code, stdout } = await cliInProcess(['pull', 'socotra', '--query', query], demoEnv(server.url));
    expect(code).toBe(0);
    expect(typesOf(stdout)).toEqual([type]);
  });

  it.each(TYPES)('--type %j is taken as it is', async (type) => {
    const { code, stdout } = await cliInProcess(['pull', 'socotra', '--type', type], demoEnv(server.url));
    expect(code).toBe(0);
    expect(typesOf(stdout)).toEqual([type]);
  });

  it('refuses a % that starts no escape, naming --query', async () => {
    const { code, stderr } = await cliInProcess(['pull', 'socotra', '--query', 'type=100%'], demoEnv(server.url));
    expect(code).toBe(2);
    expect(stderr).toContain('--query value "100%" is not valid percent-encoding');
  });
});
