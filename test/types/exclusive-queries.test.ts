/**
 * Query members that the runtime never accepts together are refused by the types too, while every
 * combination it accepts still compiles (a member given as `undefined` is as if not given).
 * `npx tsc --noEmit -p .` checks the `@ts-expect-error` lines; the test runs the refused calls, as a
 * JavaScript caller would make them, and gets the `ConfigurationError` naming the option.
 */
import { describe, expect, it } from 'vitest';
import { isConfigurationError } from 'tributary';
import { fujitsu, type FujitsuEventsQuery } from 'tributary/fujitsu';
import { illumio, type IllumioListQuery } from 'tributary/illumio';
import { informatica, type InformaticaListQuery } from 'tributary/informatica';
import { socotra, type SocotraFailedJobsQuery } from 'tributary/socotra';
import { tines, type TinesListQuery } from 'tributary/tines';

const soc = socotra({ baseUrl: 'https://x.example', tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' });
const tin = tines({ baseUrl: 'https://x.example', token: 'tok-1234' });
const fuj = fujitsu({ baseUrl: 'https://x.example', tenantId: 't1', token: 'tok-1234' });
const ill = illumio({ baseUrl: 'https://x.example', orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234' });
const inf = informatica({ baseUrl: 'https://x.example', username: 'u', password: 'pw-1234' });

/** The option a call's `ConfigurationError` names. */
function refused(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    return (error as { option?: string }).option;
  }
  throw new Error('expected a ConfigurationError');
}

describe('combinations the runtime refuses', () => {
  it('do not compile, and throw for JavaScript callers', () => {
    // @ts-expect-error one failed-jobs listing at a time
    expect(refused(() => soc.schedules.failed.list({ policyLocator: 'p', tenant: true }))).toBe('tenant');
    // @ts-expect-error one failed-jobs listing at a time
    expect(refused(() => soc.schedules.failed.list({ tenant: true, state: 'quit' }))).toBe('state');
    // @ts-expect-error one failed-jobs listing at a time
    expect(refused(() => soc.schedules.failed.list({ policyLocator: 'p', state: 'queued' }))).toBe('state');
    // @ts-expect-error storyId filters every action's events
    expect(refused(() => tin.events.list({ actionId: 1, storyId: 2 }))).toBe('storyId');
    // @ts-expect-error teamId filters every action's events
    expect(refused(() => tin.events.list({ actionId: 1, teamId: 2 }))).toBe('teamId');
    // @ts-expect-error since or duration
    expect(refused(() => fuj.events.list({ since: '2026-11-01', duration: 60 }))).toBe('duration');
    // @ts-expect-error a relative range takes no since
    expect(refused(() => inf.events.list({ range: 'LAST_7_DAYS', since: '2026-11-01' }))).toBe('range');
    // @ts-expect-error until needs since
    expect(refused(() => inf.events.list({ until: '2026-11-01' }))).toBe('since');
    // @ts-expect-error a CUSTOM range needs since
    expect(refused(() => inf.events.list({ range: 'CUSTOM' }))).toBe('since');
    // @ts-expect-error only mode 'auto' reads asyncThreshold
    expect(refused(() => ill.events.list({ asyncThreshold: 5 }))).toBe('asyncThreshold');
    // @ts-expect-error only mode 'auto' reads asyncThreshold
    expect(refused(() => ill.events.list({ mode: 'async', asyncThreshold: 5 }))).toBe('asyncThreshold');
  });

  it('among factory options do not compile, and throw for JavaScript callers', () => {
    const identity = { url: 'https://identity.example', userName: 'u', password: 'pw-1234', domainName: 'd' };
    // @ts-expect-error a token or an identity, not both
    expect(refused(() => fujitsu({ baseUrl: 'https://x.example', tenantId: 't1', token: 'tok-1234', identity }))).toBe('token');
    // @ts-expect-error a token or an identity, one of them
    expect(refused(() => fujitsu({ baseUrl: 'https://x.example', tenantId: 't1' }))).toBe('token');
    // @ts-expect-error X-User-Email goes with the X-User-Token scheme only
    expect(refused(() => tines({ baseUrl: 'https://x.example', token: 'tok-1234', email: 'a@example.com' }))).toBe('email');
    const accepted = [
      fujitsu({ baseUrl: 'https://x.example', tenantId: 't1', identity, token: undefined }),
      tines({ baseUrl: 'https://x.example', token: 'tok-1234', authScheme: 'x-user-token', email: 'a@example.com' }),
      tines({ baseUrl: 'https://x.example', token: 'tok-1234', authScheme: 'bearer', email: undefined }),
    ];
    expect(accepted).toHaveLength(3);
  });
});

describe('combinations the runtime accepts', () => {
  it('compile, a member given as undefined included', () => {
    const maybe = undefined as string | undefined;
    const accepted: [SocotraFailedJobsQuery[], TinesListQuery[], FujitsuEventsQuery[], InformaticaListQuery[]] = [
      [{}, { policyLocator: 'p', tenant: false }, { tenant: true, pageSize: 10 }, { state: 'quit', tenant: undefined }, { policyLocator: undefined, state: 'queued' }, { policyLocator: maybe, pageSize: 5 }],
      [{}, { actionId: 1, since: '2026-11-01' }, { storyId: 2, teamId: 3 }, { actionId: 1, storyId: undefined }, { storyId: 2, actionId: undefined }],
      [{}, { since: '2026-11-01' }, { duration: 60, until: '2026-11-02' }, { since: '2026-11-01', duration: undefined }],
      [
        {},
        { range: 'LAST_HOUR', eventStatus: 'ERROR' },
        { since: '2026-11-01', until: '2026-11-02' },
        { since: '2026-11-01', range: 'CUSTOM' },
        { range: 'LAST_HOUR', since: undefined, until: undefined },
      ],
    ];
    const illumioQueries: IllumioListQuery[] = [
      {},
      { mode: 'auto', asyncThreshold: 5 },
      { mode: 'sync', asyncThreshold: undefined },
      { mode: maybe === undefined ? 'async' : 'sync', pageSize: 10 },
      { asyncThreshold: undefined },
    ];
    for (const query of illumioQueries) expect(() => ill.events.list(query)).not.toThrow();
    const [failed, tinesQueries, fujitsuQueries, informaticaQueries] = accepted;
    for (const query of failed) expect(() => soc.schedules.failed.list(query)).not.toThrow();
    for (const query of tinesQueries) expect(() => tin.events.list(query)).not.toThrow();
    for (const query of fujitsuQueries) expect(() => fuj.events.list(query)).not.toThrow();
    for (const query of informaticaQueries) expect(() => inf.events.list(query)).not.toThrow();
  });
});
