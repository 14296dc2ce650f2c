/** Shared set-up of the FUJITSU client tests: an emulator on a fast clock and a client pointed at it. */
import { scaledClock } from '../../../src/core/clock.js';
import { fujitsu, type FujitsuOptions } from '../../../src/providers/fujitsu/index.js';
import {
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_TOKEN,
  DEFAULT_FUJITSU_USER,
  fujitsuEmulator,
  type FujitsuEmulatorOptions,
} from '../../../src/providers/fujitsu/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';

export const BASE = 'https://database.uk-1.cloud.global.fujitsu.com';
export const IDENTITY = 'https://identity.uk-1.cloud.global.fujitsu.com';
export const TENANT = DEFAULT_FUJITSU_TENANT;
export const TOKEN = DEFAULT_FUJITSU_TOKEN;
export const USER = DEFAULT_FUJITSU_USER;
/** A minute lasts 60 ms: back-off, Retry-After and limiter windows run fast; `now()` stays real. */
export const clock = scaledClock(0.001);

/** A fast clock whose `now()` a test moves: `at.now` is real time until it is set. */
export function movableClock(): { clock: ReturnType<typeof scaledClock>; at: { now: number } } {
  const at = { now: Date.now() };
  return { clock: scaledClock(0.001, () => at.now), at };
}

export function createEmulator(options: EmulatorOptions & FujitsuEmulatorOptions = {}) {
  return fujitsuEmulator.create({ events: 0, clock, ...options });
}

export type FujitsuEmulator = ReturnType<typeof createEmulator>;

export const identity = (overrides: Partial<NonNullable<FujitsuOptions['identity']>> = {}) => ({
  url: IDENTITY,
  userName: USER.userName,
  password: USER.password,
  domainName: USER.domainName,
  ...overrides,
});

/** A client on the emulator's in-process `fetch`, with a pre-issued token unless told otherwise. */
export function clientOf(emulator: FujitsuEmulator, overrides: Partial<FujitsuOptions> = {}) {
  const options: FujitsuOptions = { baseUrl: BASE, tenantId: TENANT, fetch: emulator.fetch, clock, ...overrides };
  if (options.identity === undefined && !('token' in overrides)) options.token = TOKEN;
  return fujitsu(options);
}

/**
 * Keystone answering its login without `issued_at`, so that the token's lifetime (an hour) is dated by
 * the answer's `Date` (written by `date` when given, as the emulator writes it otherwise), with the
 * client's clock `skew` ms ahead of Keystone's: how many logins five listings take, then how many once
 * both clocks have moved to 40 s before the token expires, and the listings' requests in all.
 */
export async function loginsWithoutIssuedAt(skew: number, date?: (ms: number) => string): Promise<{ first: number; renewed: number; listings: number }> {
  const { clock, at } = movableClock();
  const keystone = movableClock();
  keystone.at.now = at.now - skew;
  const emulator = createEmulator({ events: 5, clock: keystone.clock, tokenTtl: 3_600_000 });
  const withoutIssuedAt: typeof fetch = async (input, init) => {
    const answer = await emulator.fetch(input as string, init);
    if (answer.status !== 201) return answer;
    const body = (await answer.json()) as { token: Record<string, unknown> };
    delete body.token['issued_at'];
    const headers = new Headers(answer.headers);
    if (date !== undefined) headers.set('date', date(keystone.at.now));
    return new Response(JSON.stringify(body), { status: 201, headers });
  };
  const client = clientOf(emulator, { identity: identity(), clock, fetch: withoutIssuedAt });
  for (let i = 0; i < 5; i++) await client.events.list().toArray();
  const first = emulator.store.keystone.loginAttempts;
  at.now += 3_560_000;
  keystone.at.now += 3_560_000;
  await client.events.list().toArray();
  return { first, renewed: emulator.store.keystone.loginAttempts, listings: emulator.requests.filter((request) => request.method === 'GET').length };
}
