/**
 * What the command writes of a vendor's refusal: its stderr is all a user of the command has of the
 * typed error, so the vendor's request id, which its support asks for, must be in the line it writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { illumioDemoEnv } from '../../src/testing/index.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess as cli } from '../support/cli-in-process.js';

describe('tributary pull refused by the vendor', () => {
  const emulator = illumioEmulator.create({ events: 5, seed: 9 });
  let server: EmulatorServer;

  beforeAll(async () => {
    server = await emulator.listen();
  });

  afterAll(async () => {
    await server.close();
  });

  it("writes the vendor's request id beside its status and message", async () => {
    const env = { ...illumioDemoEnv(server.url), TRIBUTARY_ILLUMIO_API_SECRET: 'not-the-secret' };
    const result = await cli(['pull', 'illumio'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tributary: AuthenticationError: .* returned 401 Unauthorized \(request id [0-9a-f-]{36}\): Invalid credentials\n$/);
  });
});
