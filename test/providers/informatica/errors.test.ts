import { describe, expect, it } from 'vitest';
import { informaticaErrorMessage } from '../../../src/providers/informatica/errors.js';

describe('informaticaErrorMessage', () => {
  it('reads the IICS v3 body with its code', () => {
    expect(informaticaErrorMessage({ error: { code: 'AUTH_01', message: 'Invalid credentials', requestId: 'r1' } })).toBe(
      'AUTH_01: Invalid credentials',
    );
  });
  it('reads v2 and Spring bodies', () => {
    expect(informaticaErrorMessage({ code: 'CIH_400', description: 'Bad range' })).toBe('CIH_400: Bad range');
    expect(informaticaErrorMessage({ status: 400, error: 'Bad Request', message: 'Invalid eventType' })).toBe(
      'Invalid eventType',
    );
    expect(informaticaErrorMessage({ errorCode: 'E1', errorMessage: 'Nope' })).toBe('E1: Nope');
  });
  it('writes a numeric code as text, and a code the message already names once', () => {
    expect(informaticaErrorMessage({ error: { code: 401, message: 'Invalid credentials' } })).toBe('401: Invalid credentials');
    expect(informaticaErrorMessage({ code: 'CIH_400', message: 'CIH_400: Bad range' })).toBe('CIH_400: Bad range');
    expect(informaticaErrorMessage({ error: { code: 'AUTH_01', message: 'Login failed (AUTH_01)' } })).toBe('Login failed (AUTH_01)');
  });
  it('reads plain text, whole (the core redacts it before it cuts it)', () => {
    expect(informaticaErrorMessage('  Too many requests ')).toBe('Too many requests');
    expect(informaticaErrorMessage('x'.repeat(2_000))?.length).toBe(2_000);
  });
  it('returns undefined when there is no message', () => {
    expect(informaticaErrorMessage({})).toBeUndefined();
    expect(informaticaErrorMessage([1, 2])).toBeUndefined();
    expect(informaticaErrorMessage(null)).toBeUndefined();
    expect(informaticaErrorMessage('')).toBeUndefined();
  });
});
