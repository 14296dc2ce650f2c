/**
 * The error `onRetry` receives is one the pipeline retries, an `HttpError` (its status), a
 * `NetworkError` or a `TimeoutError`, not any `Error`: a hook reads `status` after an `instanceof`,
 * and a `switch` on the class needs no fallback for errors that never come.
 * `npx tsc --noEmit -p .` checks the types here; the test retries a 503 and a reset.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { HttpError, NetworkError, TimeoutError, type RetryInfo } from 'tributary';
import { illumio } from 'tributary/illumio';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL } from 'tributary/testing';

/** What a retry log line says of the failed attempt. */
function describeFailure(error: RetryInfo['error']): string {
  if (error instanceof HttpError) return `status ${error.status}`;
  if (error instanceof TimeoutError) return `timeout after ${error.timeoutMs} ms`;
  expectTypeOf(error).toEqualTypeOf<NetworkError>();
  return `network (${error.operation ?? 'unknown operation'})`;
}

describe('RetryInfo.error', () => {
  it('is an error the pipeline retries', () => {
    expectTypeOf<RetryInfo['error']>().toEqualTypeOf<HttpError | NetworkError | TimeoutError>();
  });

  it('is what onRetry receives', async () => {
    const emulator = createEmulator('illumio', { events: 2 });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    emulator.faults.add({ kind: 'reset', schedule: { once: true, after: 1 } });
    const seen: string[] = [];
    const pce = illumio({
      baseUrl: 'http://127.0.0.1:8080',
      fetch: emulator.fetch,
      orgId: 1,
      ...DEFAULT_ILLUMIO_CREDENTIAL,
      retry: { retries: 3, minDelay: 1, maxDelay: 2 },
      rateLimit: false,
      hooks: { onRetry: (info) => seen.push(describeFailure(info.error)) },
    });
    expect(await pce.events.list().toArray()).toHaveLength(2);
    expect(seen).toEqual(['status 503', 'network (events.list)']);
  });
});
