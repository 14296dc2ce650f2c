/**
 * A factory that refuses several options: the command names each, with the variable or --config key
 * that sets it (or would), in one run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settableOnly } from '../../src/cli/options.js';
import { cliInProcess as cli } from '../support/cli-in-process.js';
import { LINEAR_BOUND_MS, millisecondsOf } from '../support/linear-time.js';

describe('tributary pull with several refused factory options', () => {
  it('names each problem with where to set or fix it, before any request', async () => {
    const secret = 'Zq7-secret-value-0123';
    const { code, stdout, stderr } = await cli(['pull', 'illumio'], {
      TRIBUTARY_ILLUMIO_BASE_URL: 'ftp://pce.example.com',
      TRIBUTARY_ILLUMIO_API_SECRET: secret,
      TRIBUTARY_ILLUMIO_API_KEY: 'api_1',
      TRIBUTARY_ILLUMIO_TIMOUT: '5',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Invalid option `orgId`: [^;]*\(set it with TRIBUTARY_ILLUMIO_ORG_ID or in --config\); /);
    expect(stderr).toMatch(/; Invalid option `timout`: unknown option; .*\(remove or correct TRIBUTARY_ILLUMIO_TIMOUT\); /);
    expect(stderr).toMatch(/; Invalid option `baseUrl`: expected an http\(s\) URL, got "ftp:" \(correct or remove TRIBUTARY_ILLUMIO_BASE_URL\)\n/);
    expect(stderr).not.toContain(secret);
  });

  it('names several unknown options together, with the options it can set listed once and where each was set', async () => {
    const { code, stderr } = await cli(['pull', 'illumio'], {
      TRIBUTARY_ILLUMIO_BASE_URL: 'https://pce.example.com',
      TRIBUTARY_ILLUMIO_ORG_ID: '1',
      TRIBUTARY_ILLUMIO_API_SECRET: 'secret-1234',
      TRIBUTARY_ILLUMIO_API_KEY: 'api_1',
      TRIBUTARY_ILLUMIO_TIMOUT: '5',
      TRIBUTARY_ILLUMIO_RETRIES: '2',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /Invalid options `timout`, `retries`: unknown option; expected one of [^;()]*\btimeout\b[^;()]* \(`timout`: remove or correct TRIBUTARY_ILLUMIO_TIMOUT; `retries`: remove or correct TRIBUTARY_ILLUMIO_RETRIES\)\n/,
    );
    expect(stderr.match(/expected one of/g)).toHaveLength(1);
  });
});

describe('tributary pull with an unknown --config key that reads as a list of options', () => {
  // The list was found by a pattern tried from every "expected one of " in the message, each to its end.
  const key = (repeats: number) => `${'expected one of '.repeat(repeats)}(`;

  it('lists the options --config can set after the key, and leaves the key as it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-factory-problems-'));
    try {
      const config = join(dir, 'config.json');
      await writeFile(config, JSON.stringify({ [key(3)]: 1 }));
      const env = { TRIBUTARY_ILLUMIO_BASE_URL: 'https://pce.example.com', TRIBUTARY_ILLUMIO_API_KEY: 'api_1', TRIBUTARY_ILLUMIO_API_SECRET: 'Zq7-secret', TRIBUTARY_ILLUMIO_ORG_ID: '1' };
      const { code, stderr } = await cli(['pull', 'illumio', '--config', config], env);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^tributary: ConfigurationError: Invalid option `(?:expected one of ){3}\(`: unknown option; expected one of orgId, apiKey, [^;()]*maxResponseSize \(remove or correct `(?:expected one of ){3}\(` in --config /);
      expect(stderr).not.toMatch(/\b(?:fetch|hooks|clock|signal)\b/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the list in time linear in the key', () => {
    // 40,000 took half a minute.
    const message = `Invalid option \`${key(40_000)}\`: unknown option; expected one of orgId, fetch, baseUrl`;
    let settable = '';
    expect(millisecondsOf(() => (settable = settableOnly(message)))).toBeLessThan(LINEAR_BOUND_MS);
    expect(settable).toBe(message.replace(', fetch', ''));
  });
});
