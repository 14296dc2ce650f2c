import { describe, expect, it } from 'vitest';
import { statusError, type StatusErrorInput } from '../../src/core/status-error.js';
import type { ProviderDefaults } from '../../src/core/request.js';
import { tinesErrorMessage } from '../../src/providers/tines/errors.js';

function mapped(text: string, defaults: Partial<ProviderDefaults> = {}, status = 400) {
  const input: StatusErrorInput = {
    provider: 'tines',
    operation: 'events.list',
    method: 'GET',
    url: 'https://tenant.tines.com/api/v1/events',
    status,
    statusText: 'Bad Request',
    headers: new Headers(),
    text,
    defaults: defaults as ProviderDefaults,
    retryAfterMs: undefined,
  };
  return statusError(input);
}

describe('a body that is not text', () => {
  const png = new TextDecoder().decode(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));

  it('gives no vendor message and keeps control characters out of the message, the status kept', () => {
    const error = mapped(png);
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBeUndefined();
    expect(error.message).toBe('events.list: GET https://tenant.tines.com/api/v1/events returned 400 Bad Request');
    expect(error.bodyExcerpt).toBe(png);
  });

  it('is not asked of the provider either', () => {
    const error = mapped(png, { errorMessage: (body) => (typeof body === 'string' ? body : undefined) });
    expect(error.vendorMessage).toBeUndefined();
  });

  it('is told from text cut in the middle of a character at the read limit', () => {
    const cut = new TextDecoder().decode(new TextEncoder().encode('Zeitüberschreitung').subarray(0, 5));
    expect(cut.endsWith('\uFFFD')).toBe(true);
    expect(mapped(cut).vendorMessage).toBe(cut);
    expect(mapped('line one\r\n\tline two').vendorMessage).toBe('line one\r\n\tline two');
  });
});

describe('a JSON body nested deeper than a message is looked for', () => {
  it.each([
    ['arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['errors in errors', `${'{"errors":'.repeat(5_000)}1${'}'.repeat(5_000)}`],
  ])('(%s, within the error body read limit) is the HttpError of its status, not a RangeError', (_shape, text) => {
    expect(text.length).toBeLessThanOrEqual(64 * 1024);
    const error = mapped(text);
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBeUndefined();
  });

  it('still finds a message a few levels down', () => {
    expect(mapped('{"error":{"errors":[{"message":"since_id must be an integer"}]}}').vendorMessage).toBe('since_id must be an integer');
  });
});

describe('JSON of shapes beyond the vendor’s own', () => {
  it.each([
    // Rails' field errors, as a Rails application such as Tines renders a model's errors.
    ['{"errors":{"since_id":["is invalid"],"per_page":["must be at most 500","must be an integer"]}}', 'since_id: is invalid; per_page: must be at most 500, must be an integer'],
    ['{"errors":{"story_id":"not found"}}', 'story_id: not found'],
    // Every entry of a list, not the first only.
    ['{"errors":[null,{"message":"since_id must be an integer"}]}', 'since_id must be an integer'],
    ['{"message":["per_page must be at most 500","since_id must be an integer"]}', 'per_page must be at most 500; since_id must be an integer'],
    ['[{"detail":"a"},{"detail":"b"}]', 'a; b'],
  ])('%s gives %j', (text, message) => {
    expect(mapped(text).vendorMessage).toBe(message);
    expect(mapped(text, { errorMessage: tinesErrorMessage }).vendorMessage).toBe(message);
  });

  it('reads at most twenty entries of a list', () => {
    const text = JSON.stringify({ errors: Array.from({ length: 500 }, (_, i) => ({ message: `m${i}` })) });
    expect(mapped(text).vendorMessage).toBe(Array.from({ length: 20 }, (_, i) => `m${i}`).join('; '));
  });
});

describe('a body of one JSON value', () => {
  it.each([
    ['"Access denied"', 'Access denied'],
    ['"Invalid \\"since_id\\""', 'Invalid "since_id"'],
    ['null', undefined],
    ['true', undefined],
    [' false\n', undefined],
    ['"quoted" in plain text "too"', '"quoted" in plain text "too"'],
    ['429', '429'],
  ])('%s gives %j', (text, message) => {
    expect(mapped(text).vendorMessage).toBe(message);
    expect(mapped(text, { errorMessage: tinesErrorMessage }).vendorMessage).toBe(message);
    expect(mapped(text).message).not.toMatch(/: (null|true|false)$/);
  });
});

describe('JSON that breaks off', () => {
  it.each([
    ['{"events":[{"id":"01J8Z6","time":"2026-11-23T10:00:00Z","type":'],
    ['{"error":{"message":"Internal error"'],
    ['[{"token":"internal_server_error"'],
    ['{ "message": "x" ,'],
  ])('%s is no vendor message: the excerpt keeps it', (text) => {
    for (const defaults of [{}, { errorMessage: tinesErrorMessage }]) {
      const error = mapped(text, defaults, 500);
      expect(error.vendorMessage).toBeUndefined();
      expect(error.message).toBe('events.list: GET https://tenant.tines.com/api/v1/events returned 500 Bad Request');
      expect(error.bodyExcerpt).toBe(text);
    }
  });

  it('is told from plain text that begins with a bracket', () => {
    expect(mapped('[maintenance] back at 10:00 UTC').vendorMessage).toBe('[maintenance] back at 10:00 UTC');
    expect(mapped('{unbalanced brace in a message').vendorMessage).toBe('{unbalanced brace in a message');
  });
});

describe('a provider’s message extractor', () => {
  it('gives its message trimmed, and one of white space only counts as none', () => {
    expect(mapped('{}', { errorMessage: () => '  Invalid since_id \n' }).vendorMessage).toBe('Invalid since_id');
    expect(mapped('{"message":"generic"}', { errorMessage: () => ' \t' }).vendorMessage).toBe('generic');
  });

  it('that throws costs only its own word: the status, the generic message and the excerpt stay', () => {
    const error = mapped('{"message":"quota exceeded"}', {
      errorMessage: () => {
        throw new TypeError('cannot read message');
      },
      errorRequestId: () => {
        throw new TypeError('cannot read id');
      },
    });
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBe('quota exceeded');
    expect(error.requestId).toBeUndefined();
    expect(error.bodyExcerpt).toBe('{"message":"quota exceeded"}');
  });
});

describe('the request id', () => {
  const withIds = (headers: Record<string, string>): string | undefined =>
    statusError({
      provider: 'informatica',
      operation: 'events.list',
      method: 'GET',
      url: 'https://cdi.example.com/dih-console/api/v1/events',
      status: 500,
      statusText: '',
      headers: new Headers(headers),
      text: JSON.stringify({ requestId: 'from-body' }),
      defaults: { requestIdHeader: 'x-vendor-request-id', errorRequestId: (body) => (body as { requestId?: string }).requestId },
      retryAfterMs: undefined,
    }).requestId;

  it("is the vendor's header first, then the id its body carries, and only then a gateway's header, which the vendor cannot look up", () => {
    expect(withIds({ 'x-vendor-request-id': 'from-vendor', 'x-request-id': 'from-gateway' })).toBe('from-vendor');
    expect(withIds({ 'x-request-id': 'from-gateway' })).toBe('from-body');
  });

  it('is named in the message, for a reader of a log line or of the command\'s output, who has no requestId field', () => {
    const error = statusError({
      provider: 'illumio',
      operation: 'events.get',
      method: 'GET',
      url: 'https://pce.example.com:8443/api/v2/orgs/1/events/7',
      status: 404,
      statusText: 'Not Found',
      headers: new Headers({ 'x-request-id': '4f1c2b7e-93aa' }),
      text: '[{"token":"not_found","message":"Event not found"}]',
      defaults: {} as ProviderDefaults,
      retryAfterMs: undefined,
    });
    expect(error.message).toBe('events.get: GET https://pce.example.com:8443/api/v2/orgs/1/events/7 returned 404 Not Found (request id 4f1c2b7e-93aa): Event not found');
    expect(mapped('{"message":"bad"}').message).toBe('events.list: GET https://tenant.tines.com/api/v1/events returned 400 Bad Request: bad');
  });
});

describe('plain text as the vendor message', () => {
  it('is taken up to 200 characters, and left to the excerpt beyond', () => {
    expect(mapped('x'.repeat(200)).vendorMessage).toBe('x'.repeat(200));
    expect(mapped('x'.repeat(201)).vendorMessage).toBeUndefined();
  });
});

describe('field errors', () => {
  it('are read under errors only: another key holding an object without a message gives none', () => {
    expect(mapped('{"error":{"code":"E42"}}').vendorMessage).toBeUndefined();
  });

  it('are not made of a list: its entries are no fields named 0, 1, ...', () => {
    expect(mapped(JSON.stringify({ errors: ['x'.repeat(250)] })).vendorMessage).toBeUndefined();
  });
});

describe('the error’s message', () => {
  it('shows the first 300 characters of the vendor message, which keeps up to 500', () => {
    const error = mapped(JSON.stringify({ message: 'y'.repeat(450) }));
    expect(error.vendorMessage).toBe('y'.repeat(450));
    expect(error.message).toBe(`events.list: GET https://tenant.tines.com/api/v1/events returned 400 Bad Request: ${'y'.repeat(300)}…`);
  });

  it('of an empty body has no excerpt', () => {
    const error = mapped('');
    expect(error.bodyExcerpt).toBeUndefined();
    expect(error.vendorMessage).toBeUndefined();
  });
});

describe('the wait a Retry-After asked for', () => {
  const answered = (status: number, statusText: string, retryAfterMs: number | undefined) =>
    statusError({
      provider: 'tines',
      operation: 'events.list',
      method: 'GET',
      url: 'https://tenant.tines.com/api/v1/events',
      status,
      statusText,
      headers: new Headers(),
      text: '{"error":"slow down"}',
      defaults: {} as ProviderDefaults,
      retryAfterMs,
    });

  it('is named in the message of a 429, which is often all a log line or the command shows', () => {
    const error = answered(429, 'Too Many Requests', 30_000);
    expect(error.message).toBe(
      'events.list: GET https://tenant.tines.com/api/v1/events returned 429 Too Many Requests: slow down; the vendor asked to wait 30 s (Retry-After)',
    );
  });

  it('is named for a 503 too, in seconds to the tenth, and under a second in milliseconds', () => {
    expect(answered(503, 'Service Unavailable', 1_250).message).toMatch(/; the vendor asked to wait 1\.3 s \(Retry-After\)$/);
    expect(answered(429, 'Too Many Requests', 400).message).toMatch(/; the vendor asked to wait 400 ms \(Retry-After\)$/);
    expect(answered(429, 'Too Many Requests', 0).message).toMatch(/; the vendor asked to wait 0 ms \(Retry-After\)$/);
  });

  it('is not made up when the answer named none', () => {
    expect(answered(429, 'Too Many Requests', undefined).message).not.toMatch(/asked to wait/);
  });
});
