/**
 * Files of the `shared` project run one after another in a worker that keeps its imports (zod, msw, ky,
 * fast-check load once, not once a file). What a file leaves in the process is put back here, so the next
 * one starts as it would in a process of its own: the SDK's modules are evaluated again (the credentials
 * known to redaction are a module's state), the registries the SDK keeps on `globalThis` (rate limiters,
 * Keystone logins) are dropped, and vitest's timers, mocks, globals and environment are restored.
 */
import { afterAll, vi } from 'vitest';
import { REGISTRY as RATE_LIMITERS } from '../../src/core/rate-limit.js';
import { REGISTRY as KEYSTONE_LOGINS } from '../../src/providers/fujitsu/login-registry.js';

afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.resetModules();
  const holder = globalThis as Record<symbol, unknown>;
  for (const registry of [RATE_LIMITERS, KEYSTONE_LOGINS]) delete holder[registry];
});
