import { describe, expect, it } from 'vitest';
import { HttpError, isConfigurationError, type ConfigurationError } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { watch } from '../../src/core/watch.js';
import { configurationOption } from '../support/options.js';

const factories: Record<string, (options: never) => unknown> = { socotra, tines, fujitsu, illumio, informatica };

describe('every provider factory', () => {
  for (const [name, factory] of Object.entries(factories)) {
    it.each([null, undefined, 'https://x.example', ['baseUrl']])(`${name}: refuses %j as options, naming them`, (options) => {
      expect(configurationOption(() => factory(options as never), 'x.example')).toBe('options');
    });
  }
});

describe('credentials', () => {
  const secret = 'Zq7-secret-value-0123';
  const base = 'https://vendor.example';
  const tenantLocator = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';
  // Each credential option, with the factory's other options valid.
  const credentials: Array<[string, (value: string) => unknown]> = [
    ['token', (token) => socotra({ baseUrl: base, tenantLocator, token })],
    ['token', (token) => tines({ baseUrl: base, token })],
    ['token', (token) => fujitsu({ baseUrl: base, tenantId: 't1', token })],
    ['identity.userName', (userName) => fujitsu({ baseUrl: base, tenantId: 't1', identity: { url: base, userName, password: 'pw-1234', domainName: 'd' } })],
    ['identity.password', (password) => fujitsu({ baseUrl: base, tenantId: 't1', identity: { url: base, userName: 'u', password, domainName: 'd' } })],
    ['apiKey', (apiKey) => illumio({ baseUrl: base, orgId: 1, apiKey, apiSecret: 'abcdef012345' })],
    ['apiSecret', (apiSecret) => illumio({ baseUrl: base, orgId: 1, apiKey: 'api_1', apiSecret })],
    ['username', (username) => informatica({ baseUrl: base, username, password: 'pw-1234' })],
    ['password', (password) => informatica({ baseUrl: base, username: 'u', password })],
  ];

  // fetch would send the first without its newline (a form never registered for redaction) and
  // refuse the others with the value in its message.
  it.each(credentials)('%s: refuses a line break or a control character, without repeating the value', (option, build) => {
    for (const value of [`${secret}\n`, `${secret}\r\nX-Other: 1`, `${secret}\u0000`, `${secret}\u007f`]) {
      expect(configurationOption(() => build(value), secret)).toBe(option);
    }
  });

  it.each(credentials.filter(([option]) => ['token', 'apiKey', 'apiSecret'].includes(option)))('%s: refuses white space in a token', (option, build) => {
    expect(configurationOption(() => build(` ${secret}`), secret)).toBe(option);
  });

  // fetch sends a header value only as Latin-1 bytes: every request would fail, after its retries.
  it.each(credentials.filter(([option]) => ['token', 'apiKey', 'apiSecret'].includes(option)))('%s: refuses a character a header cannot carry', (option, build) => {
    expect(configurationOption(() => build(`${secret}\u2013`), secret)).toBe(option);
    expect(() => build(`${secret}\u00e9`)).not.toThrow();
  });

  it('refuses a Tines email a header cannot carry, and a password or user name sent in a body or as Base64 may hold any letter', () => {
    const options = { baseUrl: base, token: 'tok-1234', authScheme: 'x-user-token' as const };
    expect(configurationOption(() => tines({ ...options, email: 'δοκιμή@example.com' }), 'tok-1234')).toBe('email');
    expect(() => tines({ ...options, email: 'ops@example.com' })).not.toThrow();
    expect(() => informatica({ baseUrl: base, username: 'δοκιμή', password: 'pässwörd–1' })).not.toThrow();
  });

  // Every character of Latin-1, C1 controls included, and those past it that break or hide a line.
  const characters = [...Array.from({ length: 0x100 }, (_, code) => String.fromCharCode(code)), '\u0100', '\u2013', '\u2028', '\u2029', '\ufeff', '\ud800', '\u{1f600}'];
  // The values that go into a header as given (the others are Base64 or a login's body): whatever a
  // factory takes, fetch sends unchanged, neither refused at each request, trimmed, nor cut into another header.
  const headerValues: Array<[string, string, (value: string) => unknown]> = [
    ...credentials.filter(([option]) => option === 'token').map(([option, build]): [string, string, (value: string) => unknown] => [option, secret, build]),
    ['email', 'ops@example.com', (email) => tines({ baseUrl: base, token: 'tok-1234', authScheme: 'x-user-token', email })],
  ];
  it.each(headerValues)('%s: whatever a factory takes is a header value fetch sends as given', (_option, valid, build) => {
    for (const char of characters) {
      for (const value of [`${char}${valid}`, `${valid.slice(0, 2)}${char}${valid.slice(2)}`, `${valid}${char}`]) {
        try {
          build(value);
        } catch (error) {
          expect(isConfigurationError(error)).toBe(true);
          continue;
        }
        expect(new Headers({ 'x-value': value }).get('x-value')).toBe(value);
      }
    }
  });

  it('accepts a space inside a password', () => {
    expect(() => informatica({ baseUrl: base, username: 'u', password: 'correct horse battery' })).not.toThrow();
  });

  // Swapped values (a token in the tenant's variable): the option that echoes its bad value was checked,
  // and showed it, before the credential was registered for redaction.
  it.each([
    ['tenantLocator', (token: string) => socotra({ baseUrl: base, tenantLocator: token, token })],
    ['authScheme', (token: string) => tines({ baseUrl: base, token, authScheme: token as 'bearer' })],
    ['apiPath', (token: string) => tines({ baseUrl: base, token, apiPath: token as 'actions' })],
    ['orgId', (apiSecret: string) => illumio({ baseUrl: base, orgId: apiSecret, apiKey: 'api_1', apiSecret })],
    // The login's pipeline checks the common options, an unknown one named in its error, before the
    // password was registered.
    ['[REDACTED]', (password: string) => fujitsu({ baseUrl: base, tenantId: 't1', identity: { url: base, userName: 'u', password, domainName: 'd' }, [password]: 1 } as never)],
  ])('a credential given to %s as well is not echoed by its error', (option, build) => {
    for (const value of [secret, 'b', 'Zq', 'Zq7']) {
      const error = (() => {
        try {
          build(value);
        } catch (caught) {
          return caught as ConfigurationError;
        }
        throw new Error('expected a ConfigurationError');
      })();
      expect(isConfigurationError(error)).toBe(true);
      if (option !== '[REDACTED]') expect(error.option).toBe(option);
      expect(JSON.stringify(error) + String(error)).not.toMatch(new RegExp(`(?<![A-Za-z0-9])${value}(?![A-Za-z0-9])`));
    }
  });

  it('lets a refused construction\'s credential go once it is over, rather than redact it from every error after', async () => {
    const token = 'swapped-token-5c1e';
    expect(() => socotra({ baseUrl: base, tenantLocator: token, token })).toThrow();
    await Promise.resolve();
    // No client sends it: an option named like it, or a query value, is quoted as given.
    expect(configurationOption(() => tines({ baseUrl: base, token: 'tok-1234', [token]: 1 } as never), 'tok-1234')).toBe(token);
  });
});

describe('unknown options', () => {
  const base = 'https://vendor.example';
  const valid: Record<string, Record<string, unknown>> = {
    socotra: { baseUrl: base, tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' },
    tines: { baseUrl: base, token: 'tok-1234' },
    fujitsu: { baseUrl: base, tenantId: 't1', token: 'tok-1234' },
    illumio: { baseUrl: base, orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234' },
    informatica: { baseUrl: base, username: 'u', password: 'pw-1234' },
  };
  for (const [name, factory] of Object.entries(factories)) {
    // A misspelt option passed through a spread or from JavaScript would otherwise be ignored.
    it(`${name}: refuses a misspelt option, naming it, and accepts one given as undefined`, () => {
      expect(configurationOption(() => factory({ ...valid[name], timout: 5 } as never), 'tok-1234')).toBe('timout');
      expect(() => factory({ ...valid[name], timout: undefined } as never)).not.toThrow();
      expect(() => factory(valid[name] as never)).not.toThrow();
    });

    it(`${name}: says by its reason whether an option is unknown or its value refused`, () => {
      const reasonOf = (options: Record<string, unknown>) => {
        try {
          factory(options as never);
        } catch (error) {
          return isConfigurationError(error) ? error.reason : error;
        }
        return 'accepted';
      };
      expect(reasonOf({ ...valid[name], timout: 5 })).toBe('unknown');
      expect(reasonOf({ ...valid[name], retry: { retires: 2 } })).toBe('unknown');
      expect(reasonOf({ ...valid[name], timeout: -1 })).toBe('invalid');
      expect(reasonOf({ ...valid[name], baseUrl: undefined })).toBe('invalid');
    });

    // The message hid it, the `option` field did not: a logger printing the fields showed the credential.
    it(`${name}: an unknown option named by the credential is named [REDACTED], in the message and the field`, () => {
      const options = valid[name] as Record<string, unknown>;
      const credential = String(options.token ?? options.apiSecret ?? options.password);
      const error = (() => {
        try {
          factory({ ...options, [credential]: 1 } as never);
        } catch (caught) {
          return caught as ConfigurationError;
        }
        throw new Error('expected a ConfigurationError');
      })();
      expect(error).toMatchObject({ option: '[REDACTED]', reason: 'unknown' });
      expect(JSON.stringify(error) + String(error)).not.toContain(credential);
    });
  }
});

describe('error pages', () => {
  const page = '<html><body><h1>401</h1>Login failed for S3cret&amp;Pa&lt;ss&gt;</body></html>';
  const fetch: typeof globalThis.fetch = async () => new Response(page, { status: 401, headers: { 'content-type': 'text/html' } });
  const common = { baseUrl: 'https://vendor.example', fetch, retry: false } as const;
  const listings: Array<[string, () => AsyncIterable<unknown>]> = [
    ['socotra', () => socotra({ ...common, tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' }).events.list()],
    ['tines', () => tines({ ...common, token: 'tok-1234' }).events.list()],
    ['fujitsu', () => fujitsu({ ...common, tenantId: 't1', token: 'tok-1234' }).events.list()],
    ['illumio', () => illumio({ ...common, orgId: 1, apiKey: 'api_1', apiSecret: 'abcdef012345' }).events.list()],
    ['informatica', () => informatica({ ...common, username: 'u', password: 'pw-1234' }).events.list()],
  ];

  // A gateway's page is no vendor message, and its escaping would hide an echoed credential from redaction.
  it.each(listings)('%s: an HTML page is kept in the excerpt, not read as the vendor message', async (_name, list) => {
    const error = await (async () => {
      for await (const _ of list()) break;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).vendorMessage).toBeUndefined();
    expect((error as HttpError).message).not.toContain('Login failed');
    expect((error as HttpError).bodyExcerpt).toContain('Login failed');
  });
});

describe('a ConfigurationError names its provider and operation', () => {
  const base = 'https://vendor.example';
  const valid = {
    socotra: { baseUrl: base, tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' },
    tines: { baseUrl: base, token: 'tok-1234' },
    fujitsu: { baseUrl: base, tenantId: 't1', token: 'tok-1234' },
    illumio: { baseUrl: base, orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234' },
    informatica: { baseUrl: base, username: 'u', password: 'pw-1234' },
  } as const;
  const context = (error: unknown) => {
    expect(isConfigurationError(error)).toBe(true);
    const { provider, operation } = error as ConfigurationError;
    return { provider, operation };
  };
  const thrown = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error('expected a ConfigurationError');
  };

  for (const [name, factory] of Object.entries(factories)) {
    // The factory is not an operation of a client: its errors name the provider only.
    it(`${name}: from the factory, a common or an own option`, () => {
      const options = valid[name as keyof typeof valid];
      expect(context(thrown(() => factory({ ...options, timout: 5 } as never)))).toEqual({ provider: name, operation: undefined });
      expect(context(thrown(() => factory({ ...options, timeout: -1 } as never)))).toEqual({ provider: name, operation: undefined });
      expect(context(thrown(() => factory({ ...options, baseUrl: 'ftp://x.example' } as never)))).toEqual({ provider: name, operation: undefined });
      const own = Object.keys(options).at(-1) as string; // the credential
      expect(context(thrown(() => factory({ ...options, [own]: 42 } as never)))).toEqual({ provider: name, operation: undefined });
    });

    it(`${name}: from events.list, a bad query`, () => {
      const client = factory(valid[name as keyof typeof valid] as never) as { events: { list(query: unknown): unknown } };
      expect(context(thrown(() => client.events.list({ bogus: 1 })))).toEqual({ provider: name, operation: 'events.list' });
      expect(context(thrown(() => client.events.list({ pageSize: -1 })))).toEqual({ provider: name, operation: 'events.list' });
    });
  }

  it('fujitsu: from the factory, a bad identity', () => {
    const error = thrown(() => fujitsu({ baseUrl: base, tenantId: 't1', identity: { url: 'http://id.example', userName: 'u', password: 'p', domainName: 'd' } }));
    expect(context(error)).toEqual({ provider: 'fujitsu', operation: undefined });
  });

  it('from every other method, by the name its requests carry', async () => {
    const soc = socotra(valid.socotra);
    const tin = tines(valid.tines);
    const ill = illumio(valid.illumio);
    const inf = informatica(valid.informatica);
    const cases: Array<[string, string, () => unknown]> = [
      ['socotra', 'events.get', () => soc.events.get('..')],
      ['socotra', 'events.forRequest', () => soc.events.forRequest('')],
      ['socotra', 'schedules.forPolicy', () => soc.schedules.forPolicy('..')],
      ['socotra', 'schedules.failed.list', () => soc.schedules.failed.list({ tenant: true, state: 'quit' } as never)],
      ['socotra', 'schedules.failed.resume', () => soc.schedules.failed.resume({} as never)],
      ['socotra', 'schedules.failed.delete', () => soc.schedules.failed.delete({ triggerName: 'x' } as never)],
      ['tines', 'events.get', () => tin.events.get('x1')],
      ['tines', 'events.reemit', () => tin.events.reemit(-1)],
      ['illumio', 'events.get', () => ill.events.get('/nowhere/1')],
      ['informatica', 'events.get', () => inf.events.get('x')],
      ['informatica', 'events.get', () => inf.events.get(1, { chidren: 'flatten' } as never)],
    ];
    for (const [provider, operation, run] of cases) {
      let error: unknown;
      try {
        await run();
      } catch (caught) {
        error = caught;
      }
      expect(context(error), `${provider} ${operation}`).toEqual({ provider, operation });
    }
  });

  it('a listing’s own errors keep theirs', async () => {
    const listing = illumio(valid.illumio).events.list();
    const error = await listing.byPage({ pageSize: 0 })[Symbol.asyncIterator]().next().catch((caught: unknown) => caught);
    expect(context(error)).toEqual({ provider: 'illumio', operation: 'events.list' });
  });
});

describe('a base URL with a query or a fragment', () => {
  // The README drops them; left on, they hid the path suffix a copied URL ends in, and every request
  // went to that suffix twice (`/dih-console/dih-console/api/v1/...`).
  const sent = (run: (fetch: typeof globalThis.fetch) => Promise<unknown>) => {
    const urls: string[] = [];
    return run(async (url) => {
      urls.push(String(url));
      return new Response('{}', { status: 500 });
    }).then(
      () => urls,
      () => urls,
    );
  };
  const first = (listing: AsyncIterable<unknown>) => listing[Symbol.asyncIterator]().next();

  // The last pasted with the white space around it that the URL parser drops.
  it.each(['https://pod.example/dih-console/#/home', 'https://pod.example/dih-console/api/v1?tab=events', 'https://pod.example/dih-console/api/v1/#top', ' https://pod.example/dih-console/api/v1\n'])(
    'informatica: %s is the pod, its suffix trimmed',
    async (baseUrl) => {
      const urls = await sent((fetch) => informatica({ baseUrl: new URL(baseUrl), username: 'u', password: 'pw-1234', fetch, retry: false, rateLimit: false }).events.get(1));
      expect(urls).toEqual(['https://pod.example/dih-console/api/v1/event/1']);
      const again = await sent((fetch) => informatica({ baseUrl, username: 'u', password: 'pw-1234', fetch, retry: false, rateLimit: false }).events.get(1));
      expect(again).toEqual(urls);
    },
  );

  it.each(['https://db.example/v1.0/t1?region=uk-1', 'https://db.example/v1.0/t1/#events'])('fujitsu: the catalog URL %s is the endpoint, its suffix trimmed', async (baseUrl) => {
    const urls = await sent((fetch) => first(fujitsu({ baseUrl, tenantId: 't1', token: 'tok-1234', fetch, retry: false, rateLimit: false }).events.list().byPage()));
    expect(urls.map((url) => new URL(url).pathname)).toEqual(['/v1.0/t1/events']);
  });

  it('fujitsu: an identity URL with a query or a fragment logs in at its /v3', async () => {
    for (const url of ['https://id.example/v3?project=x', 'https://id.example/v3/#login']) {
      const identity = { url, userName: 'u', password: 'pw-1234', domainName: 'd' };
      const urls = await sent((fetch) => first(fujitsu({ baseUrl: 'https://db.example', tenantId: 't1', identity, fetch, retry: false, rateLimit: false }).events.list().byPage()));
      expect(urls).toEqual(['https://id.example/v3/auth/tokens']);
    }
  });
});

describe("a base URL that ends in the API's own path", () => {
  // Copied from the vendor's documentation with the prefix the client adds itself, it sent every
  // request to that prefix twice (`/api/v2/api/v2/...`) and failed with a 404 only once sent.
  const sentPath = async (run: (fetch: typeof globalThis.fetch) => AsyncIterable<unknown>) => {
    const urls: string[] = [];
    const fetch = async (url: unknown) => {
      urls.push(new URL(String(url)).pathname);
      return new Response('{}', { status: 500 });
    };
    await run(fetch)[Symbol.asyncIterator]().next().catch(() => undefined);
    return urls[0];
  };
  const common = { retry: false, rateLimit: false } as const;
  const tenantLocator = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';

  it.each(['https://pce.example/api/v2', 'https://pce.example/api/v2/', 'https://pce.example/gateway/api/v2'])('illumio: %s', async (baseUrl) => {
    const path = await sentPath((fetch) => illumio({ ...common, fetch, baseUrl, orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234' }).events.list());
    expect(path).toBe(`${new URL(baseUrl).pathname.replace(/\/api\/v2\/?$/, '')}/api/v2/orgs/1/events`);
  });

  it.each(['https://t.tines.example/api/v1', 'https://t.tines.example/api/v1/'])('tines: %s', async (baseUrl) => {
    const path = await sentPath((fetch) => tines({ ...common, fetch, baseUrl: new URL(baseUrl), token: 'tok-1234' }).events.list());
    expect(path).toBe('/api/v1/events');
  });

  it.each([`https://api.socotra.example/event/${tenantLocator}/events`, `https://api.socotra.example/event/${tenantLocator}/events/`])('socotra: %s', async (baseUrl) => {
    const path = await sentPath((fetch) => socotra({ ...common, fetch, baseUrl, tenantLocator, token: 'tok-1234' }).events.list());
    expect(path).toBe(`/event/${tenantLocator}/events/list`);
  });
});

describe('options given as undefined, and blank names', () => {
  const base = 'https://vendor.example';
  const options = { baseUrl: base, orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234' };

  it('a member of retry, rateLimit or hooks that the option does not know is as if left out when given as undefined', () => {
    expect(() => illumio({ ...options, retry: { retires: undefined }, rateLimit: { burst: undefined }, hooks: { onRequst: undefined } } as never)).not.toThrow();
    expect(configurationOption(() => illumio({ ...options, retry: { retires: 2 } } as never), 'secret-1234')).toBe('retry.retires');
  });

  // Every other name an option takes is refused blank: clients of unrelated organizations given a blank
  // key would share one limit.
  it.each(['', ' ', '\t'])('refuses %j as rateLimit.key', (key) => {
    expect(configurationOption(() => illumio({ ...options, rateLimit: { key } }), 'secret-1234')).toBe('rateLimit.key');
  });
});

describe('a time bound RFC 3339 cannot write', () => {
  const common = { baseUrl: 'https://vendor.example', retry: false, rateLimit: false } as const;
  const clients: Array<[string, (fetch: typeof globalThis.fetch) => { events: { list(query: never): AsyncIterable<unknown> & { byPage(): AsyncIterable<unknown> } } }]> = [
    ['socotra', (fetch) => socotra({ ...common, fetch, tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' }) as never],
    ['tines', (fetch) => tines({ ...common, fetch, token: 'tok-1234' }) as never],
    ['fujitsu', (fetch) => fujitsu({ ...common, fetch, tenantId: 't1', token: 'tok-1234' }) as never],
    ['illumio', (fetch) => illumio({ ...common, fetch, orgId: 1, apiKey: 'api_1', apiSecret: 'abcdef012345' }) as never],
    ['informatica', (fetch) => informatica({ ...common, fetch, username: 'u', password: 'pw-1234' }) as never],
  ];

  // Illumio left such a `since` out of its query, listing from the oldest event; the others sent
  // `+010000-01-01T00:00:00.000Z`.
  it.each(clients)('%s: a Date beyond the year 9999 or before 0000 is a ConfigurationError naming it, before any request', async (_name, make) => {
    let requests = 0;
    const client = make(async () => (requests++, new Response('[]', { headers: { 'content-type': 'application/json' } })));
    for (const since of [new Date(Date.UTC(10000, 0, 1)), new Date(-8.64e15)]) {
      let error: unknown;
      try {
        await client.events.list({ since } as never).byPage()[Symbol.asyncIterator]().next();
      } catch (caught) {
        error = caught;
      }
      expect(isConfigurationError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ option: 'since' });
    }
    expect(requests).toBe(0);
  });
});

describe('byPage and watch options given as null', () => {
  const common = { baseUrl: 'https://vendor.example', retry: false, rateLimit: false } as const;
  const clients: Array<[string, (fetch: typeof globalThis.fetch) => { events: { list(): Paginated<unknown> } }]> = [
    ['socotra', (fetch) => socotra({ ...common, fetch, tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' })],
    ['tines', (fetch) => tines({ ...common, fetch, token: 'tok-1234' })],
    ['fujitsu', (fetch) => fujitsu({ ...common, fetch, tenantId: 't1', token: 'tok-1234' })],
    ['illumio', (fetch) => illumio({ ...common, fetch, orgId: 1, apiKey: 'api_1', apiSecret: 'abcdef012345' })],
    ['informatica', (fetch) => informatica({ ...common, fetch, username: 'u', password: 'pw-1234' })],
  ];

  // `null` is a value, as in a query: it took the query's page size as `undefined` does.
  it.each(clients)('%s: a pageSize of null is a ConfigurationError naming it, before any request', async (_name, make) => {
    let requests = 0;
    const client = make(async () => (requests++, new Response('[]', { headers: { 'content-type': 'application/json' } })));
    for (const pages of [client.events.list().byPage({ pageSize: null as never }), watch(client.events.list(), { pageSize: null as never })]) {
      const error = await pages[Symbol.asyncIterator]().next().then(() => undefined, (caught: unknown) => caught);
      expect(isConfigurationError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ option: 'pageSize' });
    }
    expect(requests).toBe(0);
  });
});

describe('FUJITSU categories and identity', () => {
  const options = { baseUrl: 'https://db.example', tenantId: 't1', token: 'tok-1234', rateLimit: false } as const;

  // An empty list sent no `eventCategories` and listed every category; a hole of a sparse list was sent
  // as the text `undefined`.
  it('refuses an empty list of categories and a hole in one, naming them', () => {
    const client = fujitsu(options);
    expect(configurationOption(() => client.events.list({ categories: [] }), 'tok-1234')).toBe('categories');
    expect(configurationOption(() => client.events.list({ categories: [, 'backup'] as string[] }), 'tok-1234')).toBe('categories[0]');
  });

  it('refuses an identity given as a list, naming identity', () => {
    const identity = { url: 'https://id.example', userName: 'u', password: 'pw-1234', domainName: 'd' };
    expect(configurationOption(() => fujitsu({ ...options, token: undefined, identity: [identity] as never }), 'pw-1234')).toBe('identity');
  });
});
