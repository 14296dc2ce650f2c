/**
 * Every optional property of the public option and query types accepts `undefined`, as the runtime
 * does ("a key given as undefined filters nothing"): under `exactOptionalPropertyTypes` a caller can
 * pass `{ cursor: saved }` with `saved: string | undefined`. `npx tsc --noEmit` checks the types here;
 * the tests run the same calls against an emulator.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  scaledClock,
  watch,
  type ByPageOptions,
  type CommonOptions,
  type Hooks,
  type RateLimitOptions,
  type RetryOptions,
  type ToArrayOptions,
  type WatchOptions,
} from 'tributary';
import type { FujitsuEventsQuery, FujitsuIdentity, FujitsuOptions } from 'tributary/fujitsu';
import type { IllumioListQuery, IllumioOptions } from 'tributary/illumio';
import type { InformaticaListQuery } from 'tributary/informatica';
import type { RedisRateLimitOptions } from 'tributary/redis';
import type { SocotraFailedJobsQuery, SocotraListQuery, SocotraOptions } from 'tributary/socotra';
import { tines, type TinesListQuery, type TinesOptions } from 'tributary/tines';
import {
  DEFAULT_TINES_CREDENTIAL,
  tinesEmulator,
  type EmulatorOptions,
  type FaultMatch,
  type FujitsuEmulatorOptions,
  type GenericEmulatorOptions,
  type HtmlFault,
  type IllumioAsyncOptions,
  type IllumioEmulatorOptions,
  type InformaticaEmulatorOptions,
  type IntParamOptions,
  type ListenOptions,
  type MalformedJsonFault,
  type RateLimitFault,
  type ResponseOptions,
  type SocotraEmulatorOptions,
  type StatusFault,
  type TinesEmulatorOptions,
  type TruncateFault,
  type WindowLimiterOptions,
} from 'tributary/testing';

/** The keys of `T` that may be left out. */
type OptionalKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? K : never }[keyof T];
/** `true` when every optional key of `T` may be given as `undefined`. */
type AcceptsUndefined<T> = { [K in OptionalKeys<T>]: undefined } extends Pick<T, OptionalKeys<T>> ? true : false;

describe('optional options accept undefined', () => {
  it('in every public option and query type', () => {
    expectTypeOf<AcceptsUndefined<CommonOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<Hooks>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<RetryOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<RateLimitOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<ByPageOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<ToArrayOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<WatchOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<RedisRateLimitOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<TinesOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<TinesListQuery>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<IllumioOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<IllumioListQuery>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<FujitsuOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<FujitsuIdentity>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<FujitsuEventsQuery>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<SocotraOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<SocotraListQuery>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<SocotraFailedJobsQuery>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<InformaticaListQuery>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<EmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<ListenOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<GenericEmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<TinesEmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<IllumioEmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<IllumioAsyncOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<FujitsuEmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<SocotraEmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<InformaticaEmulatorOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<WindowLimiterOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<ResponseOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<IntParamOptions>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<FaultMatch>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<RateLimitFault>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<StatusFault>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<TruncateFault>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<MalformedJsonFault>>().toEqualTypeOf<true>();
    expectTypeOf<AcceptsUndefined<HtmlFault>>().toEqualTypeOf<true>();
  });

  /** What a caller typically holds: a value that may be missing. */
  function maybe<T>(value: T | undefined): T | undefined {
    return value;
  }

  const clock = scaledClock(0.001);

  function tenant(signal: AbortSignal | undefined) {
    const emulator = tinesEmulator.create({ seed: maybe<number>(undefined), events: 25, clock, baseUrl: maybe<string>(undefined) });
    const client = tines({
      baseUrl: 'https://tenant.tines.com',
      token: DEFAULT_TINES_CREDENTIAL.key,
      fetch: emulator.fetch,
      clock,
      signal,
      timeout: maybe<number>(undefined),
      retry: { retries: maybe<number>(undefined), minDelay: maybe<number>(undefined) },
      rateLimit: maybe<RateLimitOptions>(undefined),
      hooks: { onRetry: maybe<Hooks['onRetry']>(undefined) },
      userAgent: maybe<string>(undefined),
      authScheme: maybe<'bearer'>(undefined),
      email: undefined,
    });
    return { emulator, client };
  }

  it('a factory with `signal: maybe`, for an absent and a present signal', async () => {
    const absent = tenant(maybe<AbortSignal>(undefined)).client;
    expect(await absent.events.list().toArray()).toHaveLength(25);
    const present = tenant(maybe(new AbortController().signal)).client;
    expect(await present.events.list().toArray({ maxItems: maybe<number>(undefined) })).toHaveLength(25);
  });

  it('`list({ since: maybe })` filters nothing when maybe is undefined', async () => {
    const { client } = tenant(undefined);
    const all = await client.events.list().toArray();
    const since = maybe<string>(undefined);
    const withUndefined = await client.events
      .list({ since, until: maybe<string>(undefined), storyId: maybe<number>(undefined), pageSize: maybe<number>(undefined) })
      .toArray();
    expect(withUndefined.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('`byPage({ cursor: maybe })` starts at the beginning, then resumes from a saved cursor', async () => {
    const { client } = tenant(undefined);
    const listing = client.events.list({ pageSize: 10 });
    let saved = maybe<string>(undefined);
    const firstIds: string[] = [];
    for await (const page of listing.byPage({ cursor: saved, pageSize: maybe<number>(undefined) })) {
      firstIds.push(...page.items.map((e) => e.id));
      saved = page.cursor;
      break;
    }
    expect(firstIds).toHaveLength(10);
    const rest: string[] = [];
    for await (const page of listing.byPage({ cursor: saved })) rest.push(...page.items.map((e) => e.id));
    expect(rest).toHaveLength(15);
    expect(new Set([...firstIds, ...rest]).size).toBe(25);
  });

  it('`watch(listing, { cursor: maybe })` watches from the start', async () => {
    const { client } = tenant(undefined);
    const controller = new AbortController();
    const seen: string[] = [];
    const options: WatchOptions = {
      cursor: maybe<string>(undefined),
      checkpoint: undefined,
      pageSize: maybe<number>(undefined),
      interval: maybe<number>(undefined),
      signal: controller.signal,
      clock,
    };
    for await (const page of watch(client.events.list(), options)) {
      seen.push(...page.items.map((e) => e.id));
      if (!page.hasMore) controller.abort();
    }
    expect(new Set(seen).size).toBe(25);
  });
});
