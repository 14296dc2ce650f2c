import { describe, expect, it } from 'vitest';
import { isConfigurationError, type ConfigurationError } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';

/** The error `run` throws, and the requests it made meanwhile. */
function refusal(run: (fetch: typeof globalThis.fetch) => unknown): { error: ConfigurationError; requests: number } {
  let requests = 0;
  const fetch: typeof globalThis.fetch = async () => {
    requests += 1;
    return new Response('{}');
  };
  try {
    run(fetch);
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    return { error: error as ConfigurationError, requests };
  }
  throw new Error('expected a ConfigurationError');
}

const problemOptions = (error: ConfigurationError) => error.problems.map((problem) => problem.option);

describe('a factory given several bad options names them all in one ConfigurationError', () => {
  const tenantLocator = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';
  const cases: Array<[string, (fetch: typeof globalThis.fetch) => unknown, string[]]> = [
    ['socotra', (fetch) => socotra({ fetch } as never), ['tenantLocator', 'token', 'baseUrl']],
    ['tines', (fetch) => tines({ fetch, baseUrl: 'ftp://x.example', token: '', apiPath: 'acts', timout: 1 } as never), ['token', 'apiPath', 'timout', 'baseUrl']],
    [
      'fujitsu',
      (fetch) => fujitsu({ fetch, baseUrl: 'https://k5.example', tenantId: '..', identity: { url: 'ftp://id.example', userName: 'u', password: 'pw-1234', domainName: 1 }, retry: { retries: -1 } } as never),
      ['tenantId', 'identity.domainName', 'identity.url', 'retry.retries'],
    ],
    ['illumio', (fetch) => illumio({ fetch, baseUrl: 'ftp://x.example', orgId: -1, apiKey: 'api_1', apiSecret: 'secret-1234', jobTimeout: 0 }), ['orgId', 'jobTimeout', 'baseUrl']],
    ['informatica', (fetch) => informatica({ fetch, baseUrl: 'https://x.example', username: 'a:b', password: '', timeout: -1 }), ['username', 'password', 'timeout']],
  ];

  it.each(cases)('%s: every problem, in the order of the rules, the first as `option`, before any request', (_name, build, options) => {
    const { error, requests } = refusal(build);
    expect(problemOptions(error)).toEqual(options);
    expect(error.option).toBe(options[0]);
    expect(requests).toBe(0);
    for (const problem of error.problems) {
      expect(problem.message).toMatch(new RegExp(`^Invalid option \`${String(problem.option).replace(/[.[\]]/g, '\\$&')}\`: `));
      expect(error.message).toContain(problem.message);
    }
    expect(error.message.split('; Invalid option ')).toHaveLength(options.length);
  });

  it('one problem keeps the message it always had', () => {
    const { error } = refusal(() => socotra({ baseUrl: 'https://x.example', tenantLocator, token: '' }));
    expect(error.message).toBe('Invalid option `token`: must not be empty');
    expect(error.problems).toEqual([{ option: 'token', reason: 'invalid', message: error.message }]);
  });

  it('an unknown option is a problem among the others, with its reason', () => {
    const { error } = refusal(() => socotra({ baseUrl: 'https://x.example', tenantLocator: 'not-a-uuid', token: 'tok-1234', timout: 5, retry: { retires: 2 } } as never));
    expect(error.problems.map(({ option, reason }) => [option, reason])).toEqual([
      ['tenantLocator', 'invalid'],
      ['timout', 'unknown'],
      ['retry.retires', 'unknown'],
    ]);
    expect(error.reason).toBe('invalid');
  });

  it('several unknown options are named together, the options expected listed once; each is still a problem of its own', () => {
    const { error } = refusal(() => tines({ baseUrl: 'https://x.example', token: '', foo: 1, bar: 2, retry: { retires: 2, limt: 1 } } as never));
    expect(error.problems.map(({ option, reason }) => [option, reason])).toEqual([
      ['token', 'invalid'],
      ['foo', 'unknown'],
      ['bar', 'unknown'],
      ['retry.retires', 'unknown'],
      ['retry.limt', 'unknown'],
    ]);
    const listed = (problem: number) => (error.problems[problem]?.message ?? '').replace(/^Invalid option `[^`]+`: /, '');
    expect(error.problems[1]?.message).toMatch(/^Invalid option `foo`: unknown option; expected one of .*\btimeout\b/);
    expect(listed(2)).toBe(listed(1));
    expect(error.message).toBe(
      `${String(error.problems[0]?.message)}; Invalid options \`foo\`, \`bar\`: ${listed(1)}; Invalid options \`retry.retires\`, \`retry.limt\`: ${listed(3)}`,
    );
    expect(error.message.match(/expected one of/g)).toHaveLength(2);
  });

  it('a check that relates an option to another that is already refused is left out', () => {
    // Whether an email goes with the scheme says nothing while the scheme is a typo.
    const scheme = refusal(() => tines({ baseUrl: 'https://x.example', token: 'tok-1234', authScheme: 'bearr' as 'bearer', email: 'ops@example.com' as never }));
    expect(problemOptions(scheme.error)).toEqual(['authScheme']);
    const delays = refusal(() => tines({ baseUrl: 'https://x.example', token: 'tok-1234', retry: { minDelay: -1, maxDelay: 5 } }));
    expect(problemOptions(delays.error)).toEqual(['retry.minDelay']);
    const both = refusal(() => tines({ baseUrl: 'https://x.example', token: 'tok-1234', retry: { minDelay: 10, maxDelay: 5, budget: -1 } }));
    expect(problemOptions(both.error)).toEqual(['retry.budget']);
  });

  it('a clock that is no Clock is one problem, not one of its scale as well', () => {
    const { error } = refusal(() => tines({ baseUrl: 'https://x.example', token: '', clock: {} as never }));
    expect(problemOptions(error)).toEqual(['token', 'clock']);
  });
});

describe('credentials among several problems', () => {
  const secret = 'Zq7-secret-value-0123';

  it.each([
    ['informatica', () => informatica({ baseUrl: 'ftp://x.example', username: '', password: secret, [secret]: 1 } as never), ['username', '[REDACTED]', 'baseUrl']],
    ['socotra', () => socotra({ baseUrl: 'https://x.example', tenantLocator: secret, token: secret, timeout: -1 }), ['tenantLocator', 'timeout']],
    ['tines', () => tines({ baseUrl: 'https://x.example', token: secret, apiPath: secret as 'actions', authScheme: secret as 'bearer' }), ['authScheme', 'apiPath']],
    ['illumio', () => illumio({ baseUrl: 'https://x.example', orgId: secret, apiKey: 'api_1', apiSecret: secret, jobPollInterval: 0 }), ['orgId', 'jobPollInterval']],
    [
      'fujitsu',
      () => fujitsu({ baseUrl: 'https://x.example', tenantId: '.', identity: { url: 'https://id.example', userName: 'u', password: secret, domainName: '' }, [secret]: 1 } as never),
      ['tenantId', 'identity.domainName', '[REDACTED]'],
    ],
  ])('%s: a credential given in the wrong option is shown by no problem', (_name, build, options) => {
    const { error } = refusal(build);
    expect(problemOptions(error)).toEqual(options);
    expect(JSON.stringify(error) + String(error) + JSON.stringify(error.problems)).not.toContain(secret);
  });
});
