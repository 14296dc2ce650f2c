/**
 * A factory that refuses several options: the command names each, with the variable or --config key
 * that sets it (or would), in one run.
 */
import { describe, expect, it } from 'vitest';
import { cliInProcess as cli } from '../support/cli-in-process.js';

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
