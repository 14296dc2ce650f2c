/**
 * `--interval` is in seconds, 30 when not given (the usage says so): what the command hands the watch it
 * polls with, seen at that boundary so that no test waits half a minute.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watch } from '../../src/core/watch.js';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess } from '../support/cli-in-process.js';

// The real watch, observed: the options the command gives it.
vi.mock('../../src/core/watch.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/watch.js')>();
  return { ...actual, watch: vi.fn(actual.watch) };
});

describe('tributary watch --interval', () => {
  const emulator = tinesEmulator.create({ events: 3, seed: 1 });
  let server: EmulatorServer;

  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(() => server.close());

  /** The interval a watch with `flags` polls at, in milliseconds; the watch is stopped once it has asked the vendor. */
  async function intervalOf(flags: string[]): Promise<unknown> {
    vi.mocked(watch).mockClear();
    const controller = new AbortController();
    const before = emulator.requests.length;
    const stop = setInterval(() => {
      if (emulator.requests.length > before) controller.abort(new Error('interrupted'));
    }, 5);
    try {
      const { code } = await cliInProcess(['watch', 'tines', ...flags], demoEnv(server.url), controller.signal);
      expect(code).toBe(0);
    } finally {
      clearInterval(stop);
    }
    expect(vi.mocked(watch)).toHaveBeenCalledTimes(1);
    return vi.mocked(watch).mock.calls[0]?.[1]?.interval;
  }

  it('waits 30 seconds between polls unless told, and --interval seconds when told', async () => {
    expect(await intervalOf([])).toBe(30_000);
    expect(await intervalOf(['--interval', '60'])).toBe(60_000);
    expect(await intervalOf(['--interval', '1'])).toBe(1_000);
  });
});
