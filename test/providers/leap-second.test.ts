/**
 * A leap second as a query bound, through each vendor's client and emulator. Vendors date events in
 * POSIX time, which has no `:60`: an event at 23:59:59.999 is before the leap second 23:59:60, one at
 * the next minute's 00:00:00.000 after it. So `since: '…23:59:60Z'` lists exactly the events at or
 * after it, and `until` the events at or before it, whichever way the vendor reads its bounds: Socotra,
 * Illumio and Informatica take an inclusive `since`, Tines an exclusive one, FUJITSU whole seconds, and
 * every `until` is inclusive.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tinesEmulator } from '../../src/providers/tines/emulator.js';
import { isConfigurationError } from '../../src/core/errors.js';
import { inProcessClients } from '../support/in-process-clients.js';
import { clocks } from '../support/tail.js';

const BEFORE = Date.parse('2016-12-31T23:59:59.000Z');
const LAST = Date.parse('2016-12-31T23:59:59.999Z');
const AFTER = Date.parse('2017-01-01T00:00:00.000Z');
/** Well before the events: Informatica needs a `since` for an `until`, FUJITSU would search the hour before `until`. */
const EARLIER = '2016-12-31T23:00:00Z';

interface Query {
  since?: string;
  until?: string;
}

type Lister = (query: Query) => Promise<string[]>;

async function timesOf(events: AsyncIterable<{ time: string }>): Promise<string[]> {
  const times: string[] = [];
  for await (const event of events) times.push(event.time);
  return times.sort();
}

/** Each vendor's client over its emulator, holding events at `times` (FUJITSU's in whole seconds). */
function vendor(name: string, times: readonly number[]): Lister {
  const { vendor: vendorClock, client: clock } = clocks(AFTER + 600_000);
  switch (name) {
    case 'socotra': {
      const emulator = socotraEmulator.create({ seed: 1, events: 0, clock: vendorClock, policies: 0, failedJobs: 0 });
      for (const at of times) emulator.store.addEvent({ timestamp: new Date(at).toISOString() });
      const client = inProcessClients.socotra(emulator.fetch, clock);
      return async (query) => timesOf(client.events.list(query));
    }
    case 'tines': {
      // The seed's form, which writes every time with its milliseconds: 23:59:59.999 is not shown as 23:59:59.
      const emulator = tinesEmulator.create({ seed: 5, events: 0, clock: vendorClock, api: 'legacy' });
      for (const at of times) emulator.store.emit({ actionId: 21, createdAt: at });
      const client = inProcessClients.tines(emulator.fetch, clock);
      return async (query) => timesOf(client.events.list(query));
    }
    case 'fujitsu': {
      const emulator = fujitsuEmulator.create({ events: 0, clock: vendorClock });
      times.forEach((at, n) => emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at, message: `event ${n}` }));
      const client = inProcessClients.fujitsu(emulator.fetch, clock);
      return async (query) => timesOf(client.events.list(query.since === undefined ? { since: EARLIER, ...query } : query));
    }
    case 'illumio': {
      const emulator = illumioEmulator.create({ seed: 1, events: 0, clock: vendorClock, rateLimit: false });
      for (const at of times) emulator.store.record(1, at);
      const client = inProcessClients.illumio(emulator.fetch, clock);
      return async (query) => timesOf(client.events.list({ ...query, mode: 'sync' }));
    }
    case 'informatica': {
      const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: vendorClock, rateLimit: false, responseForms: 'list' });
      for (const at of times) emulator.store.events.add({ createTime: at }, vendorClock.now());
      const client = inProcessClients.informatica(emulator.fetch, clock);
      return async (query) => timesOf(client.events.list(query.since === undefined ? { since: EARLIER, ...query } : query));
    }
    default:
      throw new Error(`no vendor ${name}`);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

describe.each([
  // FUJITSU dates events in whole seconds: 23:59:59.999 is an event of 23:59:59.
  ['socotra', [BEFORE, LAST, AFTER]],
  ['tines', [BEFORE, LAST, AFTER]],
  ['fujitsu', [BEFORE, AFTER]],
  ['illumio', [BEFORE, LAST, AFTER]],
  ['informatica', [BEFORE, LAST, AFTER]],
] as const)('a leap second as a bound on %s', (name, times) => {
  const before = times.filter((at) => at < AFTER).map(iso);
  const after = [iso(AFTER)];

  it.each(['2016-12-31T23:59:60Z', '2016-12-31T23:59:60.000Z', '2016-12-31T23:59:60.5Z', '2017-01-01T08:59:60.999+09:00', '2016-12-31T23:59:60'])(
    'since %s lists the events from the next minute on, none of the second before it',
    async (since) => {
      expect(await vendor(name, times)({ since })).toEqual(after);
    },
  );

  it.each(['2016-12-31T23:59:60Z', '2016-12-31T23:59:60.5Z', '2016-12-31T20:29:60.999-03:30'])(
    'until %s lists every event of the second before it, none of the next minute',
    async (until) => {
      expect(await vendor(name, times)({ until })).toEqual(before);
    },
  );

  it('a window from within the second before the leap second to the leap second is not refused', async () => {
    // FUJITSU reads the start to its whole second, which holds the event of 23:59:59.
    const listed = name === 'fujitsu' ? before : [iso(LAST)];
    expect(await vendor(name, times)({ since: '2016-12-31T23:59:59.500Z', until: '2016-12-31T23:59:60Z' })).toEqual(listed);
  });

  it('a window from the leap second on lists what is after it', async () => {
    expect(await vendor(name, times)({ since: '2016-12-31T23:59:60.2Z', until: '2017-01-01T00:00:00Z' })).toEqual(after);
  });

  it('a window within the leap second is not refused, and lists nothing; an until earlier in it than since is', async () => {
    // No event is dated in the leap second: not the next minute's first, which the vendors that take
    // since at or after it would list for a window of that millisecond.
    await expect(vendor(name, times)({ since: '2016-12-31T23:59:60.2Z', until: '2016-12-31T23:59:60.7Z' })).resolves.toEqual([]);
    const refused = await vendor(name, times)({ since: '2016-12-31T23:59:60.7Z', until: '2016-12-31T23:59:60.2Z' }).catch((error: unknown) => error);
    expect(isConfigurationError(refused) && refused.option).toBe('until');
  });
});
