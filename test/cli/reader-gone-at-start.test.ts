/**
 * A reader that has left before the command writes anything, even before it looks at its stdout: the
 * command ends quietly with exit code 0 while the vendor's first answer is still far off, not when that
 * answer comes and its write fails. On a socket (what a parent process hands its child): a pipe's reader
 * gone before the command first looks cannot be told from one /proc does not show (reader.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { demoEnv, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { FaultSpec } from '../../src/testing/faults.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliWorkspace, runCli } from '../support/cli-process.js';

/** How long the vendor keeps the first answer back: far beyond any startup. */
const FAR_OFF_S = 30;
/** A command still running by then has waited for the vendor: it is killed and the test fails. */
const GIVE_UP_MS = 20_000;

const DELAYS: ReadonlyArray<[string, FaultSpec]> = [
  ['a slow first answer', { kind: 'latency', ms: FAR_OFF_S * 1000 }],
  ['a Retry-After before the first page', { kind: 'rate-limit', retryAfter: FAR_OFF_S, schedule: { once: true } }],
];

describe('tributary pull whose reader has left before it writes', () => {
  const workspace = cliWorkspace('tributary-reader-gone-');
  let server: EmulatorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** The emulator, its first answer held back by `delay`, and the command's environment for it. */
  async function delayedVendor(delay: FaultSpec) {
    const emulator = tinesEmulator.create({ events: 5, seed: 7 });
    emulator.faults.add(delay);
    server = await emulator.listen();
    return { emulator, env: demoEnv(server.url) };
  }

  it.each(DELAYS)('a socket whose reader closed it at once ends the command before %s', async (_name, delay) => {
    const { emulator, env } = await delayedVendor(delay);
    const result = await runCli(workspace.main, ['pull', 'tines'], env, { stop: 'reader', delayMs: 0 });
    expect(result.afterStopMs).toBeLessThan(GIVE_UP_MS);
    expect({ status: result.status, stderr: result.stderr, lines: result.lines }).toEqual({ status: 0, stderr: '', lines: [] });
    // The reader is asked at once, not first after an interval: no request is sent for a reader that has gone.
    expect(emulator.requests.length).toBe(0);
  }, 30_000);
});
