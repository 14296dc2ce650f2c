import { build } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// An application's bundler may minify tributary and rename its classes: error names and guards must
// not depend on class names.
describe('errors after minification', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keep their names and their guards', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-minified-'));
    const outfile = join(dir, 'errors.mjs');
    await build({
      entryPoints: [new URL('../../src/core/errors.ts', import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
    const errors = (await import(pathToFileURL(outfile).href)) as typeof import('../../src/core/errors.js');
    expect(await readFile(outfile, 'utf8')).not.toContain('class HttpError'); // the minifier renamed it
    // Loggers (pino, Sentry) name an error by its constructor's name.
    expect(errors.HttpError.name).toBe('HttpError');
    expect(new errors.RateLimitError('x', { status: 429, method: 'GET', url: 'https://x/y' }).constructor.name).toBe('RateLimitError');
    const error = new errors.RateLimitError('slow down', { status: 429, method: 'GET', url: 'https://x/y', retryAfterMs: 5 });
    expect(error.name).toBe('RateLimitError');
    expect(errors.isRateLimitError(error)).toBe(true);
    expect(errors.isHttpError(error)).toBe(true);
    expect(errors.isTributaryError(error)).toBe(true);
    expect(errors.isAuthenticationError(error)).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'RateLimitError', status: 429 });
    expect(new errors.ConfigurationError('bad', { option: 'x' }).name).toBe('ConfigurationError');
  });
});
