import { describe, expect, it } from 'vitest';
import { ConfigurationError, CursorError, HttpError, nameContext, ResponseValidationError, TributaryError } from '../../src/core/errors.js';

describe('the fields an error keeps', () => {
  it('a ConfigurationError and a CursorError say why by default: a refused value, a malformed cursor', () => {
    expect(new ConfigurationError('bad').reason).toBe('invalid');
    expect(new CursorError('bad').reason).toBe('malformed');
  });

  it('a ConfigurationError lists its problems, its own alone by default, the first naming `option` and `reason`, without credentials', () => {
    const one = new ConfigurationError('Invalid option `token`: must not be empty', { option: 'token' });
    expect(one.problems).toEqual([{ option: 'token', reason: 'invalid', message: one.message }]);
    const problems = [
      { option: 'timout', reason: 'unknown', message: 'Invalid option `timout`: unknown option' },
      { option: 'baseUrl', reason: 'invalid', message: 'Invalid option `baseUrl`: password=pw-2c7e41' },
    ] as const;
    const several = new ConfigurationError('two problems', { problems });
    expect([several.option, several.reason]).toEqual(['timout', 'unknown']);
    expect(several.problems.map(({ option }) => option)).toEqual(['timout', 'baseUrl']);
    expect(JSON.stringify(several.toJSON())).not.toContain('pw-2c7e41');
    expect(Object.isFrozen(several.problems) && Object.isFrozen(several.problems[0])).toBe(true);
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

  it('a ResponseValidationError keeps its issues without credentials, and its raw body out of what a logger lists', () => {
    const error = new ResponseValidationError('bad page', { issues: ['(root): not JSON: "password=pw-3e8c51"'], raw: { page: 1 } });
    expect(error.issues.join()).not.toContain('pw-3e8c51');
    expect(error.raw).toEqual({ page: 1 });
    expect(Object.keys(error)).not.toContain('raw');
  });

  it("a foreign cause is kept with its own name", () => {
    const cause = new Error('socket closed');
    cause.name = 'SocketError';
    const kept = new TributaryError('failed', { cause }).cause as Error;
    expect(kept.name).toBe('SocketError');
    expect(kept).toBeInstanceOf(Error);
  });

  it('a cause chain that comes back to itself is copied to a bounded depth', () => {
    const cause = new Error('loop') as Error & { cause?: unknown };
    cause.cause = cause;
    let kept = new TributaryError('failed', { cause }).cause as { cause?: unknown } | undefined;
    let depth = 0;
    for (; kept !== undefined; kept = kept.cause as { cause?: unknown } | undefined) depth += 1;
    expect(depth).toBeLessThan(10);
  });

  it('a cause that is no Error is kept as a copy of its JSON, or as its text, without credentials', () => {
    expect(new TributaryError('failed', { cause: { status: 503, detail: 'password=pw-90ad1f' } }).cause).toEqual({ status: 503, detail: 'password=[REDACTED]' });
    const circular: Record<string, unknown> = { toString: () => 'password=pw-90ad1f' };
    circular['self'] = circular;
    expect(new TributaryError('failed', { cause: circular }).cause).toBe('password=[REDACTED]');
  });

  it('a raw body whose only credential is in a key is copied without it; one that refers to itself is walked once', () => {
    const raw = { headers: { 'authorization: Bearer tok-6f0c2e': 1 } };
    expect(JSON.stringify(new ResponseValidationError('bad', { issues: [], raw }).raw)).not.toContain('tok-6f0c2e');
    const loop: Record<string, unknown> = { id: 1 };
    loop['self'] = loop;
    expect(new ResponseValidationError('bad', { issues: [], raw: loop }).raw).toBe(loop);
  });

  it('a client names itself and its operation on an error only where no other name is given, and toJSON leaves out what is unset', () => {
    const named = new ConfigurationError('x', { provider: 'tines', operation: 'events.get' });
    nameContext(named, 'tines', 'events.list');
    expect([named.provider, named.operation]).toEqual(['tines', 'events.get']);
    const bare = new ConfigurationError('x');
    nameContext(bare, 'tines', 'events.list');
    expect([bare.provider, bare.operation]).toEqual(['tines', 'events.list']);
    const another = new ConfigurationError('x', { provider: 'tines' });
    nameContext(another, 'illumio', 'events.list');
    expect([another.provider, another.operation]).toEqual(['tines', undefined]);
    expect(Object.keys(new ConfigurationError('x').toJSON())).toEqual(['name', 'message', 'reason', 'problems']);
  });
});
