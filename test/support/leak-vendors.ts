/**
 * The five vendors with credentials drawn at random, for the credential-leak property: each draws the
 * credentials its auth takes (tokens, API keys and secrets, user names and passwords), builds an
 * emulator that accepts them (or other ones, for the 401 of a wrong credential) and a client over a
 * `fetch` given, and lists what a client of that vendor does.
 *
 * The credentials are awkward on purpose: characters that URLs, JSON and HTML escape, base64 text with
 * its `+/=`, Latin-1 in header values, any Unicode where the vendor takes text (a login in a body or a
 * Basic password), one or two characters, and one credential inside another.
 */
import type { Clock } from '../../src/core/clock.js';
import type { CommonOptions } from '../../src/core/options.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { Rng } from '../../src/testing/rng.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import type { VendorName } from './emulated-vendors.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** What URLs, JSON, HTML and shells escape, and base64's own `+/=`. */
const SPECIAL = `%&+/=?#@:;,!$'()*[]~-._"<>\\\`^{}|`;
/** Header values carry Latin-1 (a ByteString); `µ` and `²` change under NFKC (`μ`, `2`). */
const LATIN1 = 'éÿßñ©µ¿Ø²';
/** Text beyond Latin-1, where the vendor takes text (a password in a Basic login or a login body); `ﬁ` and `Ｗ` change under NFKC. */
const UNICODE = 'äö日本語😀ßÆ€ ﬁＷ';

export type CredentialForm = 'token' | 'text';

function char(rng: Rng, form: CredentialForm): string {
  const pools = form === 'token' ? [ALNUM, ALNUM, SPECIAL, LATIN1] : [ALNUM, ALNUM, SPECIAL, LATIN1, UNICODE];
  return rng.pick([...rng.pick(pools)]);
}

/**
 * A credential of `form`, at random: one to three characters now and then (with a letter, so it is not
 * a number or a piece of punctuation a dump holds anyway), base64 text, up to 30 characters of the
 * pools above, or 41 to 80 of them. `inside`, when given, is held by it, or holds it.
 */
export function credential(rng: Rng, form: CredentialForm, inside?: string): string {
  const draw = (): string => {
    const kind = rng.int(0, 9);
    if (kind <= 2) {
      const letter = rng.pick([...'abcXYZé']);
      return rng.chance(0.4) ? letter : rng.chance(0.5) ? letter + char(rng, form) : char(rng, form) + letter + char(rng, form);
    }
    if (kind === 3) return Buffer.from(rng.hex(rng.int(4, 24)), 'hex').toString('base64');
    let text = '';
    // Now and then longer than the 40 characters a message cuts a value at (Illumio's secrets are 64).
    for (let n = kind === 4 ? rng.int(41, 80) : rng.int(4, 30); n > 0; n--) text += char(rng, form);
    return text;
  };
  let value = draw();
  if (inside !== undefined && rng.chance(0.3)) value = rng.chance(0.5) ? `${value}${inside}${rng.chance(0.5) ? value : ''}` : inside.slice(0, Math.max(1, rng.int(1, inside.length)));
  // The rules of the factories (config.ts `requireCredential`): no white space in a token, something besides it in a text,
  // no lone surrogate (the cut of `inside` above may halve an emoji).
  if (form === 'token') value = value.replace(/\s/g, '_');
  value = (value as string & { toWellFormed(): string }).toWellFormed();
  return value.trim() === '' ? 'k' : value;
}

export interface LeakSetup {
  /** The credentials that must appear nowhere, the vendor's header values among them. */
  secrets: string[];
  /** The secrets among the options (not the forms they travel in), which a caller may misplace. */
  given: string[];
  /** The emulator's `fetch`, for a hostile vendor to wrap. */
  emulatorFetch: typeof globalThis.fetch;
  /** Serves the emulator on 127.0.0.1. */
  listen(): Promise<EmulatorServer>;
  /** The client's options, over `fetch` (the global one when undefined) and `baseUrl`. */
  options(baseUrl: string, fetch: typeof globalThis.fetch | undefined): Record<string, unknown>;
  /** A client of these options. */
  client(options: Record<string, unknown>): { events: { list(query?: never): Paginated<{ id: string }> } };
  /** The listing's query. */
  query: Record<string, unknown>;
  /** The vendor's own URL (and its login's, FUJITSU's). */
  baseUrl: string;
  /** The CLI's environment for a server at `url`. */
  env(url: string): Record<string, string>;
  /** Option names the credential could be given to by mistake, and the factory echoes a bad value of. */
  misplaced: string[];
}

/** Basic's header value of a user and password, as fetch sends it. */
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** `wrong`: the emulator accepts other credentials than the client sends (every request answers 401). */
export function leakSetup(name: VendorName, rng: Rng, clock: Clock, common: Omit<CommonOptions, 'baseUrl'>, wrong: boolean): LeakSetup {
  const seed = rng.int(1, 1_000_000);
  const since = new Date(clock.now() - 86_400_000).toISOString();
  const other = (value: string): string => (wrong ? `${value}-other` : value);
  switch (name) {
    case 'socotra': {
      const token = credential(rng, 'token');
      const emulator = socotraEmulator.create({ seed, events: rng.int(0, 30), policies: 1, failedJobs: 0, token: other(token), clock });
      const baseUrl = 'https://api-ec-sandbox.socotra.com';
      return {
        secrets: [token, `Bearer ${token}`],
        given: [token],
        emulatorFetch: emulator.fetch,
        listen: () => emulator.listen(),
        options: (url, fetch) => ({ ...common, baseUrl: url, tenantLocator: SOCOTRA_EMULATOR_TENANT, token, ...(fetch ? { fetch } : {}) }),
        client: (options) => socotra(options as never) as never,
        query: {},
        baseUrl,
        env: (url) => ({ TRIBUTARY_SOCOTRA_BASE_URL: url, TRIBUTARY_SOCOTRA_TENANT_LOCATOR: SOCOTRA_EMULATOR_TENANT, TRIBUTARY_SOCOTRA_TOKEN: token }),
        misplaced: ['tenantLocator'],
      };
    }
    case 'tines': {
      const token = credential(rng, 'token');
      const legacy = rng.chance(0.4);
      // The emulator takes keys of four characters or more; a shorter one meets a 401 from it.
      const emulator = tinesEmulator.create({ seed, events: rng.int(0, 30), credentials: [{ key: token.length < 4 ? `${token}-other` : other(token) }], clock });
      const baseUrl = 'https://tenant-1234.tines.com';
      const scheme = legacy ? { authScheme: 'x-user-token', ...(rng.chance(0.5) ? { email: 'analyst@example.com' } : {}) } : {};
      return {
        secrets: [token, ...(legacy ? [] : [`Bearer ${token}`])],
        given: [token],
        emulatorFetch: emulator.fetch,
        listen: () => emulator.listen(),
        options: (url, fetch) => ({ ...common, baseUrl: url, token, ...scheme, ...(fetch ? { fetch } : {}) }),
        client: (options) => tines(options as never) as never,
        query: {},
        baseUrl,
        env: (url) => ({
          TRIBUTARY_TINES_BASE_URL: url,
          TRIBUTARY_TINES_TOKEN: token,
          ...(legacy ? { TRIBUTARY_TINES_AUTH_SCHEME: 'x-user-token' } : {}),
        }),
        misplaced: ['authScheme', 'apiPath'],
      };
    }
    case 'illumio': {
      // The emulator takes secrets of four characters or more; a shorter one meets a 401 from it.
      const apiSecret = credential(rng, 'token');
      const apiKey = credential(rng, 'token', rng.chance(0.3) ? apiSecret : undefined).replaceAll(':', '_');
      const accepted = wrong || apiSecret.length < 4 ? { apiKey, apiSecret: `${apiSecret}-other` } : { apiKey, apiSecret };
      const emulator = illumioEmulator.create({ seed, events: rng.int(0, 30), credentials: [accepted], clock, rateLimit: false });
      const baseUrl = 'https://pce.example.com:8443';
      return {
        secrets: [apiSecret, basic(apiKey, apiSecret), basic(apiKey, apiSecret).slice(6)],
        given: [apiSecret],
        emulatorFetch: emulator.fetch,
        listen: () => emulator.listen(),
        options: (url, fetch) => ({ ...common, baseUrl: url, orgId: 1, apiKey, apiSecret, ...(fetch ? { fetch } : {}) }),
        client: (options) => illumio(options as never) as never,
        // An asynchronous export follows the job's `Location` and downloads its file: more requests to fail.
        query: ((mode, exportsAll) => ({ mode, ...(mode === 'auto' && exportsAll ? { asyncThreshold: 1 } : {}) }))(rng.pick(['sync', 'async', 'auto']), rng.chance(0.5)),
        baseUrl,
        env: (url) => ({ TRIBUTARY_ILLUMIO_BASE_URL: url, TRIBUTARY_ILLUMIO_ORG_ID: '1', TRIBUTARY_ILLUMIO_API_KEY: apiKey, TRIBUTARY_ILLUMIO_API_SECRET: apiSecret }),
        misplaced: ['orgId'],
      };
    }
    case 'informatica': {
      const password = credential(rng, 'text');
      const username = credential(rng, 'text', rng.chance(0.3) ? password : undefined).replaceAll(':', '_');
      const emulator = informaticaEmulator.create({ seed, events: rng.int(0, 30), users: [{ user: username, password: other(password) }], clock, rateLimit: false });
      const baseUrl = 'https://cih-pod1.dm-us.informaticacloud.com';
      return {
        secrets: [password, basic(username, password), basic(username, password).slice(6)],
        given: [password],
        emulatorFetch: emulator.fetch,
        listen: () => emulator.listen(),
        options: (url, fetch) => ({ ...common, baseUrl: url, username, password, ...(fetch ? { fetch } : {}) }),
        client: (options) => informatica(options as never) as never,
        query: { since },
        baseUrl,
        env: (url) => ({ TRIBUTARY_INFORMATICA_BASE_URL: url, TRIBUTARY_INFORMATICA_USERNAME: username, TRIBUTARY_INFORMATICA_PASSWORD: password }),
        misplaced: [],
      };
    }
    case 'fujitsu': {
      const baseUrl = 'https://database.uk-1.cloud.global.fujitsu.com';
      const identityUrl = 'https://identity.uk-1.cloud.global.fujitsu.com';
      const login = rng.chance(0.7);
      const password = credential(rng, 'text');
      const userName = credential(rng, 'text', rng.chance(0.3) ? password : undefined);
      const token = credential(rng, 'token');
      const user = { userName, password: other(password), domainName: 'contract-kx1234', projectId: DEFAULT_FUJITSU_TENANT };
      // A short-lived token is renewed within a listing: each one issued is a credential too.
      const emulator = fujitsuEmulator.create({ seed, events: rng.int(0, 30), users: [user], tokens: [other(token)], clock, tokenTtl: rng.pick([3_600_000, 2_000, 200]) });
      const credentials = (url: string) => (login ? { identity: { url, userName, password, domainName: user.domainName } } : { token });
      return {
        secrets: login ? [password] : [token],
        given: login ? [password] : [token],
        emulatorFetch: emulator.fetch,
        listen: () => emulator.listen(),
        options: (url, fetch) => ({
          ...common,
          baseUrl: url,
          tenantId: DEFAULT_FUJITSU_TENANT,
          ...credentials(url === baseUrl ? identityUrl : url),
          ...(fetch ? { fetch } : {}),
        }),
        client: (options) => fujitsu(options as never) as never,
        query: { since },
        baseUrl,
        env: (url) => ({
          TRIBUTARY_FUJITSU_BASE_URL: url,
          TRIBUTARY_FUJITSU_TENANT_ID: DEFAULT_FUJITSU_TENANT,
          ...(login
            ? {
                TRIBUTARY_FUJITSU_IDENTITY__URL: url,
                TRIBUTARY_FUJITSU_IDENTITY__USER_NAME: userName,
                TRIBUTARY_FUJITSU_IDENTITY__PASSWORD: password,
                TRIBUTARY_FUJITSU_IDENTITY__DOMAIN_NAME: user.domainName,
              }
            : { TRIBUTARY_FUJITSU_TOKEN: token }),
        }),
        misplaced: ['tenantId'],
      };
    }
  }
}
