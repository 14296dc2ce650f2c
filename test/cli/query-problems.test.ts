/**
 * A command line whose query the client refuses in several places: each problem is named with the flag
 * it came from, in one run, before any request.
 */
import { describe, expect, it } from 'vitest';
import { cliInProcess as cli } from '../support/cli-in-process.js';

describe('tributary pull with several refused query values', () => {
  it('names each with its flag', async () => {
    const env = { TRIBUTARY_TINES_BASE_URL: 'https://tenant.tines.invalid', TRIBUTARY_TINES_TOKEN: 'tok-1234' };
    const { code, stdout, stderr } = await cli(['pull', 'tines', '--since', 'yesterday', '--query', 'pageSize=0'], env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tributary: Invalid option `pageSize`: [^;]* \(from --query pageSize=\); Invalid option `since`: [^;]* \(from --since\)\n/);
  });

  it('names several unknown query options together, with the options it takes listed once', async () => {
    const env = { TRIBUTARY_TINES_BASE_URL: 'https://tenant.tines.invalid', TRIBUTARY_TINES_TOKEN: 'tok-1234' };
    const { code, stderr } = await cli(['pull', 'tines', '--query', 'foo=1&bar=2'], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tributary: Invalid options `foo`, `bar`: unknown query option; expected one of [^;()]* \(`foo`: from --query foo=; `bar`: from --query bar=\)\n/);
    expect(stderr.match(/expected one of/g)).toHaveLength(1);
  });
});
