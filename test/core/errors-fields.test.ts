import { describe, expect, it } from 'vitest';
import { ConfigurationError, CursorError, HttpError } from '../../src/core/errors.js';

describe('the fields an error keeps', () => {
  it('a ConfigurationError and a CursorError say why by default: a refused value, a malformed cursor', () => {
    expect(new ConfigurationError('bad').reason).toBe('invalid');
    expect(new CursorError('bad').reason).toBe('malformed');
  });

  it('an HttpError keeps its URL, body excerpt, vendor message and request id without the credentials they quote', () => {
    const error = new HttpError('failed', {
      status: 502,
      method: 'GET',
      url: 'https://ops:pw-71c3e9@vendor.example/events',
      bodyExcerpt: 'echo: password=pw-71c3e9',
      vendorMessage: 'bad api_key=key-5d2f0a',
      requestId: 'req-1 authorization: Bearer tok-8b1e4d',
    });
    expect(JSON.stringify([error.url, error.bodyExcerpt, error.vendorMessage, error.requestId])).not.toMatch(/pw-71c3e9|key-5d2f0a|tok-8b1e4d/);
    expect(error.url).toContain('vendor.example/events');
  });
});
