import { describe, expect, it } from 'vitest';
import { isNotFoundError } from '../../../src/core/errors.js';
import { socotraErrorMessage } from '../../../src/providers/socotra/errors.js';
import { socotra } from '../../../src/providers/socotra/index.js';

describe('socotraErrorMessage', () => {
  it('reads the Spring-style body, falling back to the reason when the message is empty', () => {
    expect(socotraErrorMessage({ timestamp: 't', status: 404, error: 'Not Found', message: 'Event 01A not found' })).toBe(
      'Event 01A not found',
    );
    expect(socotraErrorMessage({ status: 500, error: 'Internal Server Error', message: '' })).toBe('Internal Server Error');
    expect(socotraErrorMessage({ status: 404, error: 'Not Found', message: ' \n ' })).toBe('Not Found');
  });

  it('appends field errors of a validation failure', () => {
    const body = {
      message: 'Validation failed',
      errors: [{ field: 'triggerName', defaultMessage: 'must not be blank' }, { message: 'bad group' }, 'plain', 7],
    };
    expect(socotraErrorMessage(body)).toBe('Validation failed; triggerName: must not be blank; bad group; plain');
    // Spring's `defaultMessage` is the readable one; `message` beside it may be a code.
    expect(socotraErrorMessage({ errors: [{ field: 'count', message: 'Min', defaultMessage: 'must be at least 1' }] })).toBe('count: must be at least 1');
  });

  it('keeps a plain-text body, drops bodies with nothing readable', () => {
    expect(socotraErrorMessage('  Invalid pagingToken \n')).toBe('Invalid pagingToken');
    expect(socotraErrorMessage({ status: 400 })).toBeUndefined();
    expect(socotraErrorMessage([{ message: 'x' }])).toBeUndefined();
    expect(socotraErrorMessage(null)).toBeUndefined();
    // Whole: the core redacts it before it cuts it.
    expect(socotraErrorMessage('x'.repeat(900))).toHaveLength(900);
  });

  it("keeps the x-request-id of an error answer as the error's requestId", async () => {
    const fetch = async () =>
      new Response(JSON.stringify({ status: 404, error: 'Not Found', message: 'Event 01A not found' }), {
        status: 404,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-7f3a' },
      });
    const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 't', fetch });
    const error = await client.events.get('01A').catch((caught: unknown) => caught);
    expect(isNotFoundError(error) && error.requestId).toBe('req-7f3a');
  });
});
