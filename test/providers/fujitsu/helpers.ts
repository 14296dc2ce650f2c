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
