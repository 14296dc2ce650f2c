/**
 * A listing's query, a call's options and a watch's options given several bad values name them all in
 * one `ConfigurationError`, in the order of their checks, before any request; a check that relates a
 * value to another already refused is left out.
 */
import { describe, expect, it } from 'vitest';
import { isConfigurationError, type ConfigurationError } from '../../src/core/errors.js';
import { watch } from '../../src/core/watch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';

let requests = 0;
const common = {
  baseUrl: 'https://vendor.example',
  fetch: async () => {
    requests += 1;
    return new Response('{}');
  },
} as const;
const clients = {
  socotra: socotra({ ...common, tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1234' }),
  tines: tines({ ...common, token: 'tok-1234' }),
  fujitsu: fujitsu({ ...common, tenantId: 't1', token: 'tok-1234' }),
  illumio: illumio({ ...common, orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234' }),
  informatica: informatica({ ...common, username: 'u', password: 'pw-1234' }),
};

/** The options the error `run` throws, or rejects with, names, each in order. */
async function refused(run: () => unknown): Promise<{ options: Array<string | undefined>; error: ConfigurationError }> {
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  expect(isConfigurationError(error)).toBe(true);
  const refusal = error as ConfigurationError;
  expect(refusal.option).toBe(refusal.problems[0]?.option);
  return { options: refusal.problems.map(({ option }) => option), error: refusal };
}

describe('a listing given several bad query options names them all', () => {
  const cases: Array<[string, () => unknown, string[]]> = [
    ['socotra events', () => clients.socotra.events.list({ since: 'yesterday', type: '', pageSize: 0, sinse: 1 } as never), ['sinse', 'since', 'type', 'pageSize']],
    ['socotra failed jobs', () => clients.socotra.schedules.failed.list({ state: 'lost', pageSize: -1 } as never), ['state', 'pageSize']],
    ['tines', () => clients.tines.events.list({ pageSize: 0, sinceId: 'x', until: 'soon' } as never), ['pageSize', 'sinceId', 'until']],
    ['fujitsu', () => clients.fujitsu.events.list({ since: 'x', until: 'y', categories: [], pageSize: 5 } as never), ['since', 'until', 'categories', 'pageSize']],
    ['illumio', () => clients.illumio.events.list({ severity: 'loud', mode: 'fast', pageSize: 0 } as never), ['severity', 'mode', 'pageSize']],
    ['informatica', () => clients.informatica.events.list({ eventType: 'X', range: 'LAST_YEAR', pageSize: 0, children: 'all' } as never), ['eventType', 'pageSize', 'children', 'range']],
  ];

  it.each(cases)('%s: each, the first as `option`, before any request', async (_name, list, options) => {
    const before = requests;
    expect((await refused(list)).options).toEqual(options);
    expect(requests).toBe(before);
  });

  it('a relation to an option already refused is left out', async () => {
    // Whether a threshold goes with the mode says nothing while the mode is a typo.
    expect((await refused(() => clients.illumio.events.list({ mode: 'fast', asyncThreshold: 5 } as never))).options).toEqual(['mode']);
    // `until` needs `since`: said only when `since` was not given, not when it was refused.
    expect((await refused(() => clients.informatica.events.list({ since: 'x', until: '2026-11-01' } as never))).options).toEqual(['since']);
    // `duration` goes without `since`: not said of a `since` refused.
    expect((await refused(() => clients.fujitsu.events.list({ since: 'x', duration: 5 } as never))).options).toEqual(['since']);
    // ... but said of a `since` taken beside an `until` refused, which the relation does not read.
    expect((await refused(() => clients.fujitsu.events.list({ since: '2026-11-01', until: 'y', duration: 5 } as never))).options).toEqual(['until', 'duration']);
    // An empty range of ids, not said of one refused.
    expect((await refused(() => clients.tines.events.list({ sinceId: 5, untilId: 'x', pageSize: 0 } as never))).options).toEqual(['pageSize', 'untilId']);
  });
});

describe('a call or a watch given several bad options names them all', () => {
  it('a get with an unknown option and a bad one', async () => {
    expect((await refused(() => clients.informatica.events.get(1, { children: 'all', signl: 1 } as never))).options).toEqual(['signl', 'children']);
    // An unknown member named `options` is not the options refused as a whole: `children` is still read.
    expect((await refused(() => clients.informatica.events.get(1, { children: 'all', options: 1 } as never))).options).toEqual(['options', 'children']);
    expect((await refused(() => clients.socotra.events.get('e1', { signal: 1, timeout: 5 } as never))).options).toEqual(['timeout', 'signal']);
    expect((await refused(() => clients.socotra.schedules.failed.resume({} as never))).options).toEqual(['triggerName', 'triggerGroup']);
  });

  it('a watch with an unknown option and bad ones', async () => {
    const listing = clients.tines.events.list();
    const { options, error } = await refused(() => watch(listing, { interval: -1, checkpoint: {}, intervl: 5 } as never));
    expect(options).toEqual(['intervl', 'interval', 'checkpoint']);
    expect(error.reason).toBe('unknown');
  });
});
