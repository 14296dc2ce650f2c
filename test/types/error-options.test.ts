/**
 * The options of the error constructors are exported by name, as `IllumioJobErrorOptions` is: an
 * application that subclasses an error, or builds one for its own tests (a fake `fetch`'s failure, a
 * stubbed client), names the type instead of writing `ConstructorParameters<typeof HttpError>[1]`.
 * `npx tsc --noEmit -p .` checks the types here; the test builds the errors.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  HttpError,
  RateLimitError,
  ResponseValidationError,
  TributaryError,
  isRateLimitError,
  type HttpErrorOptions,
  type RateLimitErrorOptions,
  type ResponseValidationErrorOptions,
  type TributaryErrorOptions,
} from 'tributary';

/** An application's own failure, in the SDK's hierarchy so that one handler catches both. */
class StoreError extends TributaryError {
  readonly table: string;
  constructor(message: string, options: TributaryErrorOptions & { table: string }) {
    super(message, options);
    this.table = options.table;
  }
}

describe('error constructor options', () => {
  it('are exported under their names', () => {
    expectTypeOf<ConstructorParameters<typeof TributaryError>[1]>().toEqualTypeOf<TributaryErrorOptions | undefined>();
    expectTypeOf<ConstructorParameters<typeof HttpError>[1]>().toEqualTypeOf<HttpErrorOptions>();
    expectTypeOf<ConstructorParameters<typeof RateLimitError>[1]>().toEqualTypeOf<RateLimitErrorOptions>();
    expectTypeOf<ConstructorParameters<typeof ResponseValidationError>[1]>().toEqualTypeOf<ResponseValidationErrorOptions>();
  });

  it('build errors a handler of the SDK reads', () => {
    const limited: RateLimitErrorOptions = { status: 429, method: 'GET', url: 'https://pce.example/api', provider: 'illumio', retryAfterMs: 2_000 };
    const error: unknown = new RateLimitError('slow down', limited);
    expect(isRateLimitError(error) && error.retryAfterMs).toBe(2_000);
    const own = new StoreError('table locked', { table: 'events', operation: 'store.save' });
    expect(own).toBeInstanceOf(TributaryError);
    expect(own.table).toBe('events');
  });
});
