import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { path } from '../../src/core/path.js';

describe('path', () => {
  it('encodes every parameter into its own segment', () => {
    expect(path`/event/${'acme corp'}/events/${'01J/../x?y#z%'}`).toBe('/event/acme%20corp/events/01J%2F..%2Fx%3Fy%23z%25');
    expect(path`/api/v2/orgs/${1}/events`).toBe('/api/v2/orgs/1/events');
  });

  it.each([[''], ['.'], ['..']])('refuses the parameter %j', (value) => {
    expect(() => path`/a/${value}/b`).toThrowError(/parameter 1 of path \/a\/\{1\}\/b must not be/);
    // As the last parameter too, where an empty one would leave a trailing "/" and no error of its own.
    expect(() => path`/a/${value}`).toThrowError(ConfigurationError);
    expect(() => path`/a/${value}`).toThrowError(/^parameter 1 of path \/a\/\{1\} must not be/);
  });

  it('refuses a template whose result has a "." or ".." segment', () => {
    expect(() => path`/jobs/../${'x'}`).toThrowError(/different path/);
    expect(path`/jobs/${'x'}..json`).toBe('/jobs/x..json');
  });

  it('refuses a value with a lone surrogate, which no URL can carry, with a ConfigurationError', () => {
    expect(() => path`/a/${'x\ud800'}`).toThrowError(expect.objectContaining({ name: 'ConfigurationError', message: expect.stringMatching(/lone surrogate/) }));
  });

  it('refuses values that are not strings or finite numbers', () => {
    expect(() => path`/a/${Number.NaN}`).toThrowError(/finite number, got NaN/);
    expect(() => path`/a/${undefined as unknown as string}`).toThrowError(/got undefined/);
  });

  it('never lets a value add a segment (property)', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        if (value === '.' || value === '..') return;
        const built = path`/x/${value}/y`;
        expect(built.split('/')).toHaveLength(4);
        expect(built).not.toMatch(/[?#]/);
        expect(decodeURIComponent(built.split('/')[2] ?? '')).toBe(value);
      }),
    );
  });
});
