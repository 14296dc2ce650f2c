/**
 * A corporate proxy in front of the vendor that answers `200` with its HTML sign-in page: the message
 * said only that the body was not valid JSON, which reads as a vendor's fault. It names the page's
 * `Content-Type` now, so the reader looks at the proxy; a body labelled otherwise says nothing more.
 */
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../src/core/errors.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';

const SIGN_IN = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login"></form></body></html>';

async function failureWith(headers: Record<string, string>): Promise<unknown> {
  const client = tines({
    baseUrl: 'https://tenant-1234.tines.com',
    token: DEFAULT_TINES_CREDENTIAL.key,
    rateLimit: false,
    retry: false,
    fetch: async () => new Response(SIGN_IN, { status: 200, headers }),
  });
  return client.events.list().toArray().then(() => undefined, (error: unknown) => error);
}

describe("a 200 with a proxy's HTML sign-in page", () => {
  it.each(['text/html; charset=utf-8', 'application/xhtml+xml'])('%s: a ResponseValidationError whose message names the media type, the page kept', async (header) => {
    const error = await failureWith({ 'content-type': header });
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/is not valid JSON \(unexpected text\); it came as (text\/html|application\/xhtml\+xml), as a proxy's or sign-in page does/);
    expect(isResponseValidationError(error) && error.raw).toBe(SIGN_IN);
  });

  it('labelled JSON or plain text, or with a Content-Type that is no media type, the message says nothing more', async () => {
    for (const type of ['application/json', 'text/plain', 'text/html\u001b[2J']) {
      const error = await failureWith({ 'content-type': type });
      expect((error as Error).message).toMatch(/is not valid JSON \(unexpected text\)$/);
    }
  });
});
