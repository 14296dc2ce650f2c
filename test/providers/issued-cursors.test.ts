/**
 * Cursors saved by earlier versions resume on this one. Users keep cursors in files, databases and
 * Redis across upgrades; a cursor refused after one forces a listing from scratch, and one read
 * differently loses or repeats events with nothing to say so.
 *
 * `../fixtures/issued-cursors.json` holds cursors each version named there issued against these
 * emulator states (fixed seeds, a fixed clock), with what that version delivered when it resumed
 * them: on the same state (`rest`), and after new events and ten minutes more (`late`), each as the
 * ids or, when long, their count and SHA-256. They span the formats cursors have had: plain without a
 * check (41fd0b7, e73b12f, up to 27,000 characters), compressed (6102bb4) and checked (fd725a3).
 *
 * FUJITSU's ids changed once (content ids write each field with its length, announced in the
 * changelog): a cursor of 41fd0b7 delivers the events of the second it stopped in once more, with their
 * new ids, and loses none; FUJITSU events are compared by their content here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const SINCE_6H = new Date(T0 - 6 * 3_600_000).toISOString();
const SINCE_30H = new Date(T0 - 30 * 3_600_000).toISOString();

/** The ids a listing delivered, or their count and SHA-256 when long. */
type Expected = string[] | { count: number; sha256: string };
interface Issued {
  scenario: string;
  afterPage: number;
  cursor: string;
  rest: Expected;
  late: Expected;
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/issued-cursors.json', import.meta.url), 'utf8')) as Record<string, Issued[]>;

/** An event, or a failed job (`triggerGroup/triggerName`). */
interface Item {
  id?: string;
  time?: string;
  data?: unknown;
  triggerName?: string;
  triggerGroup?: string;
}

/** An emulator state, a client over it on the test's clock, and what happens before a late resume. */
interface Scenario {
  pageSize: number;
  /** The client's listing over a new emulator in the scenario's state. */
  build(clock: Clock, time: { now: number }): { listing(): Paginated<Item>; addLater(): void };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** FUJITSU's ids changed with the hash; its events are told apart by their content instead. */
const keyOf = (scenario: string, item: Item): string =>
  scenario.startsWith('fujitsu') ? sha(`${item.time}|${JSON.stringify(item.data)}`).slice(0, 12) : (item.id ?? `${item.triggerGroup}/${item.triggerName}`);

const common = (clock: Clock, fetch: typeof globalThis.fetch) => ({ fetch, clock, rateLimit: false as const });

const informaticaScenario = (query: Parameters<ReturnType<typeof informatica>['events']['list']>[0]): Scenario => ({
  pageSize: 10,
  build(clock, time) {
    const emulator = informaticaEmulator.create({ seed: 7, events: 45, clock, rateLimit: false });
    const { user: username, password } = DEFAULT_INFORMATICA_USER;
    const client = informatica({ baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username, password, ...common(clock, emulator.fetch) });
    return {
      listing: () => client.events.list(query),
      addLater() {
        time.now = T0 + 180_000;
        for (let i = 0; i < 3; i++) emulator.store.events.add({ createTime: T0 + 100_000 + i * 1000 }, time.now);
      },
    };
  },
});

const tinesScenario = (events: number, pageSize: number, actionId?: number): Scenario => ({
  pageSize,
  build(clock, time) {
    const emulator = tinesEmulator.create({ seed: 7, events, clock, rateLimit: false });
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, ...common(clock, emulator.fetch) });
    return {
      listing: () => client.events.list(actionId === undefined ? {} : { actionId }),
      addLater() {
        time.now = T0 + 120_000;
        for (let i = 0; i < 3; i++) emulator.store.emit({ ...(actionId === undefined ? {} : { actionId }), createdAt: T0 + 100_000 + i });
      },
    };
  },
});

const illumioScenario = (events: number, pageSize: number, burst: number): Scenario => ({
  pageSize,
  build(clock, time) {
    const emulator = illumioEmulator.create({ seed: 7, events, clock, rateLimit: false });
    if (burst > 0) emulator.store.record(burst, T0 - 5_000);
    const { apiKey, apiSecret } = DEFAULT_ILLUMIO_CREDENTIAL;
    const client = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, apiKey, apiSecret, ...common(clock, emulator.fetch) });
    return {
      listing: () => client.events.list({ since: SINCE_6H }),
      addLater() {
        time.now = T0 + 180_000;
        emulator.store.record(3, T0 + 100_000);
      },
    };
  },
});

const SCENARIOS: Record<string, Scenario> = {
  'socotra-events': {
    pageSize: 10,
    build(clock, time) {
      const emulator = socotraEmulator.create({ seed: 7, events: 45, failedJobs: 20, clock, rateLimit: false });
      // A burst of a dozen events completed at one instant.
      time.now = T0 + 1000;
      for (let i = 0; i < 12; i++) emulator.store.addEvent({ timestamp: new Date(T0 + 1000).toISOString() });
      const client = socotra({ baseUrl: 'https://api.sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, ...common(clock, emulator.fetch) });
      return {
        listing: () => client.events.list({}),
        addLater() {
          time.now = T0 + 120_000;
          for (let i = 0; i < 3; i++) emulator.store.addEvent();
        },
      };
    },
  },
  'socotra-failed': {
    pageSize: 7,
    build(clock) {
      const emulator = socotraEmulator.create({ seed: 7, events: 5, failedJobs: 25, clock, rateLimit: false });
      const client = socotra({ baseUrl: 'https://api.sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, ...common(clock, emulator.fetch) });
      return {
        listing: () => client.schedules.failed.list({}),
        // Jobs resumed or deleted meanwhile: the list shifts below the cursor's offset.
        addLater() {
          for (const offset of [0, 3]) {
            const [job] = emulator.store.failedJobs(() => true, offset, 1);
            if (job !== undefined) emulator.store.removeFailedJob(job.triggerName, job.triggerGroup);
          }
        },
      };
    },
  },
  'tines-events': tinesScenario(45, 10),
  'tines-action': tinesScenario(60, 4, 21),
  'fujitsu-events': {
    pageSize: 20,
    build(clock, time) {
      const emulator = fujitsuEmulator.create({ seed: 7, events: 90, clock, rateLimit: false });
      emulator.store.events.addBurst(DEFAULT_FUJITSU_TENANT, T0 - 5_000, 15);
      const client = fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, ...common(clock, emulator.fetch) });
      return {
        listing: () => client.events.list({ since: SINCE_6H }),
        addLater() {
          time.now = T0 + 180_000;
          for (let i = 0; i < 3; i++) emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at: T0 + 100_000 + i * 1000, message: `late ${i}` });
        },
      };
    },
  },
  'illumio-events': illumioScenario(60, 10, 23),
  'illumio-burst': illumioScenario(20, 1000, 3000),
  'informatica-events': informaticaScenario({ since: SINCE_30H }),
  'informatica-nested': informaticaScenario({ since: SINCE_30H, children: 'nested' }),
  'informatica-tail': informaticaScenario({}),
};

/** What resuming `cursor` delivers now, on the scenario's state, after `addLater` and ten minutes when `late`. */
async function resume(name: string, cursor: string, late: boolean): Promise<string[]> {
  const scenario = SCENARIOS[name];
  if (scenario === undefined) throw new Error(`no scenario ${name}`);
  const time = { now: T0 };
  const clock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
  const { listing, addLater } = scenario.build(clock, time);
  if (late) {
    addLater();
    time.now += 600_000;
  }
  const keys: string[] = [];
  for await (const page of listing().byPage({ cursor, pageSize: scenario.pageSize })) keys.push(...page.items.map((item) => keyOf(name, item)));
  return keys;
}

const summary = (expected: Expected, keys: string[]) =>
  Array.isArray(expected) ? keys : { count: keys.length, sha256: sha(keys.join('\n')) };

/** FUJITSU ids of 41fd0b7 were hashed without each field's length. */
const idsChanged = (version: string, scenario: string) => version === '41fd0b7' && scenario === 'fujitsu-events';

describe('cursors issued by earlier versions', () => {
  for (const [version, issued] of Object.entries(fixtures)) {
    for (const { scenario, afterPage, cursor, rest, late } of issued) {
      it(`${version}: ${scenario} after page ${afterPage + 1} (${cursor.length} characters)`, async () => {
        for (const [expected, resumedLate] of [
          [rest, false],
          [late, true],
        ] as const) {
          const keys = await resume(scenario, cursor, resumedLate);
          expect(new Set(keys).size, 'an event delivered twice').toBe(keys.length);
          if (!idsChanged(version, scenario)) {
            expect(summary(expected, keys)).toEqual(expected);
            continue;
          }
          // Nothing lost; what comes again is the second the cursor stopped in, once.
          const old = expected as string[];
          expect(keys.filter((key) => old.includes(key))).toEqual(old);
        }
      }, 30_000);
    }
  }

  it('41fd0b7: a FUJITSU cursor repeats only the events of its last second', async () => {
    const tail = fixtures['41fd0b7']?.find((entry) => entry.scenario === 'fujitsu-events' && (entry.rest as string[]).length === 0);
    expect(tail).toBeDefined();
    // The listing's last second held the 15 events of the burst.
    expect(await resume('fujitsu-events', tail!.cursor, false)).toHaveLength(15);
  });
});
