import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  CursorError,
  HttpError,
  NotFoundError,
  RateLimitError,
  TributaryError,
} from '../../src/core/errors.js';
import { IllumioJobError } from '../../src/providers/illumio/errors.js';

const http = { status: 401, method: 'GET', url: 'https://x.example/' };

describe('instanceof the error classes', () => {
  it('holds for a class and its ancestors only', () => {
    const auth = new AuthenticationError('no', http);
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect(auth).toBeInstanceOf(HttpError);
    expect(auth).toBeInstanceOf(TributaryError);
    expect(auth).toBeInstanceOf(Error);
    expect(auth instanceof NotFoundError).toBe(false);
    expect(auth instanceof RateLimitError).toBe(false);
    expect(auth instanceof ConfigurationError).toBe(false);
    expect(new TributaryError('x') instanceof HttpError).toBe(false);
    expect(new HttpError('x', http) instanceof AuthenticationError).toBe(false);
    expect(new IllumioJobError('x', { job: '/orgs/1/jobs/1', status: 'failed' }) instanceof HttpError).toBe(false);
    expect(new IllumioJobError('x', { job: '/orgs/1/jobs/1', status: 'failed' })).toBeInstanceOf(TributaryError);
    for (const value of [null, undefined, 'TributaryError', {}, new Error('x')]) expect(value instanceof TributaryError).toBe(false);
  });

  it("an application's subclass without a brand of its own matches its instances, not every error of its parent", () => {
    class RetryableError extends HttpError {}
    expect(new RetryableError('x', http)).toBeInstanceOf(RetryableError);
    expect(new RetryableError('x', http)).toBeInstanceOf(HttpError);
    expect(new HttpError('x', http) instanceof RetryableError).toBe(false);
    expect(new AuthenticationError('x', http) instanceof RetryableError).toBe(false);
  });

  it('an object made from a prototype without the constructor keeps the ordinary answer', () => {
    expect(Object.create(CursorError.prototype) instanceof CursorError).toBe(true);
    expect(Object.create(CursorError.prototype) instanceof ConfigurationError).toBe(false);
  });
});

// Another copy of the module (a duplicated install, a bundled copy): its errors are instances of these classes.
describe('instanceof across copies of the package', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers as the is* guards do', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-copy-'));
    const outfile = join(dir, 'errors.mjs');
    await build({
      entryPoints: [new URL('../../src/core/errors.ts', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
    const copy = (await import(pathToFileURL(outfile).href)) as typeof import('../../src/core/errors.js');
    expect(copy.TributaryError).not.toBe(TributaryError);
    const foreign = new copy.RateLimitError('slow', { ...http, status: 429 });
    expect(foreign).toBeInstanceOf(RateLimitError);
    expect(foreign).toBeInstanceOf(HttpError);
    expect(foreign).toBeInstanceOf(TributaryError);
    expect(foreign instanceof AuthenticationError).toBe(false);
    expect(new ConfigurationError('x')).toBeInstanceOf(copy.ConfigurationError);
    expect(new ConfigurationError('x') instanceof copy.HttpError).toBe(false);
  });
});
