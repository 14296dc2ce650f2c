import { describe, expect, it } from 'vitest';
import { socotraErrorMessage } from '../../../src/providers/socotra/errors.js';

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
});
