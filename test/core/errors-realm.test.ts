/**
 * The README ("Errors"): each error class has an `is*` guard, and `instanceof` answers the same across
 * realms. An error made in a `vm` context (another global object, another `Error`) is known here for
 * what it is, and one made here is known there, by guard and by `instanceof` alike.
 */
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as here from '../../src/core/errors.js';

type Errors = typeof here;

/** The errors module loaded in a realm of its own. */
async function loadInNewRealm(): Promise<Errors> {
  const bundle = await build({
    entryPoints: [new URL('../../src/core/errors.ts', import.meta.url).pathname],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} as Errors };
  runInNewContext(bundle.outputFiles[0]!.text, { module, exports: module.exports, require: createRequire(import.meta.url) });
  return module.exports;
}

const http = { method: 'GET', url: 'https://x.example/' };

/** One error of each class, made with the given module, and the guard and classes each answers to. */
function samples(errors: Errors) {
  return [
    { error: new errors.TributaryError('x'), is: ['TributaryError'] },
    { error: new errors.HttpError('x', { ...http, status: 500 }), is: ['TributaryError', 'HttpError'] },
    { error: new errors.AuthenticationError('x', { ...http, status: 401 }), is: ['TributaryError', 'HttpError', 'AuthenticationError'] },
    { error: new errors.PermissionError('x', { ...http, status: 403 }), is: ['TributaryError', 'HttpError', 'PermissionError'] },
    { error: new errors.NotFoundError('x', { ...http, status: 404 }), is: ['TributaryError', 'HttpError', 'NotFoundError'] },
    { error: new errors.RateLimitError('x', { ...http, status: 429 }), is: ['TributaryError', 'HttpError', 'RateLimitError'] },
    { error: new errors.NetworkError('x'), is: ['TributaryError', 'NetworkError'] },
    { error: new errors.TimeoutError('x', { timeoutMs: 1 }), is: ['TributaryError', 'TimeoutError'] },
    { error: new errors.ResponseValidationError('x', { issues: [], raw: {} } as never), is: ['TributaryError', 'ResponseValidationError'] },
    { error: new errors.ConfigurationError('x'), is: ['TributaryError', 'ConfigurationError'] },
    { error: new errors.CursorError('x'), is: ['TributaryError', 'CursorError'] },
  ];
}

const CLASSES = [
  'TributaryError',
  'HttpError',
  'AuthenticationError',
  'PermissionError',
  'NotFoundError',
  'RateLimitError',
  'NetworkError',
  'TimeoutError',
  'ResponseValidationError',
  'ConfigurationError',
  'CursorError',
] as const;

function answers(errors: Errors, error: unknown): { guards: string[]; instances: string[] } {
  const guards = CLASSES.filter((name) => (errors as unknown as Record<string, (value: unknown) => boolean>)[`is${name}`]!(error));
  const instances = CLASSES.filter((name) => error instanceof (errors[name] as unknown as new () => unknown));
  return { guards: [...guards], instances: [...instances] };
}

describe('the error classes across realms', () => {
  let there: Errors;
  beforeAll(async () => {
    there = await loadInNewRealm();
  });

  it('an error of another realm is known here by its guard and by instanceof, and no more', () => {
    for (const { error, is } of samples(there)) {
      expect(error instanceof Error).toBe(false);
      expect(answers(here, error), error.name).toEqual({ guards: is, instances: is });
    }
  });

  it('an error made here is known in another realm the same way', () => {
    for (const { error, is } of samples(here)) expect(answers(there, error), error.name).toEqual({ guards: is, instances: is });
  });

  it('keeps its fields and its name across the realm', () => {
    const error = new there.RateLimitError('slow down', { ...http, status: 429, retryAfterMs: 2_000, provider: 'tines', operation: 'events.list' });
    expect(error).toMatchObject({ name: 'RateLimitError', status: 429, retryAfterMs: 2_000, provider: 'tines', operation: 'events.list' });
    expect(error.constructor.name).toBe('RateLimitError');
  });
});
