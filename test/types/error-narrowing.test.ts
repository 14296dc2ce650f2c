/**
 * An error that a guard or `instanceof` turned down keeps its type: `HttpError` and the classes that
 * add no field of their own (`NotFoundError`, ...), or `TributaryError` and `NetworkError`, had the
 * same members, so after `if (isNotFoundError(error)) return;` the checker saw `error` as `never`.
 * `npx tsc --noEmit -p .` checks the types here; the test runs the same narrowing on real errors.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  HttpError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  TributaryError,
  isAuthenticationError,
  isHttpError,
  isNetworkError,
  isNotFoundError,
  isPermissionError,
  isTributaryError,
} from 'tributary';

const http = { status: 500, method: 'GET', url: 'https://x.example/api', provider: 'illumio' } as const;

/** The status of an HTTP error that is not a 404, as a caller that ignores missing resources reads it. */
function statusUnlessMissing(error: HttpError): number | undefined {
  if (isNotFoundError(error)) return undefined;
  expectTypeOf(error).toEqualTypeOf<HttpError>();
  return error.status;
}

/** The operation of a failure that is not a network error, as a caller that retries those reads it. */
function operationUnlessNetwork(error: TributaryError): string | undefined {
  if (isNetworkError(error)) return 'network';
  expectTypeOf(error).toEqualTypeOf<TributaryError>();
  return error.operation;
}

describe('error guards', () => {
  it('leave the parent type where they fail', () => {
    expect(statusUnlessMissing(new HttpError('boom', http))).toBe(500);
    expect(statusUnlessMissing(new NotFoundError('gone', { ...http, status: 404 }))).toBeUndefined();
    expect(operationUnlessNetwork(new TributaryError('x', { operation: 'events.list' }))).toBe('events.list');
    expect(operationUnlessNetwork(new NetworkError('reset'))).toBe('network');
  });

  it('leave the parent type after a chain of refusals', () => {
    const errors: unknown[] = [
      new AuthenticationError('401', { ...http, status: 401 }),
      new PermissionError('403', { ...http, status: 403 }),
      new RateLimitError('429', { ...http, status: 429, retryAfterMs: 1_000 }),
      new HttpError('502', { ...http, status: 502 }),
      new ConfigurationError('bad'),
    ];
    const seen: string[] = [];
    for (const error of errors) {
      if (!isTributaryError(error)) continue;
      if (!isHttpError(error)) {
        expectTypeOf(error).toEqualTypeOf<TributaryError>();
        seen.push(`other ${error.name}`);
        continue;
      }
      if (isAuthenticationError(error) || isPermissionError(error)) {
        seen.push(`credential ${error.status}`);
        continue;
      }
      expectTypeOf(error).toEqualTypeOf<HttpError>();
      seen.push(`http ${error.status}`);
    }
    expect(seen).toEqual(['credential 401', 'credential 403', 'http 429', 'http 502', 'other ConfigurationError']);
  });

  it('tell the classes apart', () => {
    expectTypeOf<HttpError>().not.toExtend<NotFoundError>();
    expectTypeOf<HttpError>().not.toExtend<AuthenticationError>();
    expectTypeOf<HttpError>().not.toExtend<PermissionError>();
    expectTypeOf<NotFoundError>().not.toExtend<PermissionError>();
    expectTypeOf<TributaryError>().not.toExtend<NetworkError>();
    expectTypeOf<NotFoundError>().toExtend<HttpError>();
    expectTypeOf<NetworkError>().toExtend<TributaryError>();
    expectTypeOf<RateLimitError>().toExtend<HttpError>();
  });

  it('still take a subclass of the application as its parent', () => {
    class GoneError extends NotFoundError {}
    const error: unknown = new GoneError('gone', { ...http, status: 404 });
    expect(isNotFoundError(error) && error.status).toBe(404);
    expectTypeOf<GoneError>().toExtend<NotFoundError>();
  });
});
