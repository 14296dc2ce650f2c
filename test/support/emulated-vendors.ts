/**
 * The five vendors' emulators on a clock the test moves (`clocks()` of `tail.ts`), each with a client
 * over it in process, for the property tests that add events over time: an event is created with its
 * own time and the time from which the vendor lists it, and the ids the client gives the events the
 * vendor lists now are the ground truth to compare deliveries with.
 *
 * `kind` picks one of two filters where the vendor has one a tail follows (Tines' action, Socotra's
 * event type): events are created of a kind, and a listing and the ground truth may be narrowed to it.
 */
import type { Paginated } from '../../src/core/paginate/types.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { serveEvent, type StoredEvent as FujitsuStoredEvent } from '../../src/providers/fujitsu/emulator-store.js';
import { keyEvents } from '../../src/providers/fujitsu/normalize.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { FaultController } from '../../src/testing/faults.js';
import { fujitsuDemoEnv, illumioDemoEnv, informaticaDemoEnv, socotraDemoEnv, tinesDemoEnv } from '../../src/testing/index.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { inProcessClients, type ExtraOptions } from './in-process-clients.js';
import { counting, type clocks } from './tail.js';

export type VendorName = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica';
export const VENDOR_NAMES: readonly VendorName[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];

/** The `tributary` command's environment for each vendor's emulator served at a URL. */
export const DEMO_ENV: Record<VendorName, (url: string) => Record<string, string>> = {
  socotra: socotraDemoEnv,
  tines: tinesDemoEnv,
  fujitsu: fujitsuDemoEnv,
  illumio: illumioDemoEnv,
  informatica: informaticaDemoEnv,
};

/** Where the listings of the vendors that need a start begin: an hour before the clocks' start. */
const BEFORE_START_MS = 3_600_000;

export interface EmulatedVendor {
  /** Adds an event dated `at` (vendor time) that the vendor lists from `visibleAt`; `n` is unique to it. */
  create(at: number, visibleAt: number, n: number, kind?: number): void;
  /** Moves the vendor's clock to `to`, listing the events due by then. */
  advance(to: number): void;
  listing(pageSize: number, kind?: number): Paginated<{ id: string }>;
  /** Event requests sent so far. */
  requests(): number;
  /** The ids the client gives the events the vendor lists now (of `kind`, when given). */
  visible(kind?: number): string[];
  /** The emulator's faults, for transient failures of its listing. */
  faults: FaultController;
  /** Drops the requests the emulator recorded so far, which a long run would otherwise pile up. */
  forgetRequests(): void;
  /** Serves the emulator on 127.0.0.1, for a client in another process. */
  listen(): Promise<EmulatorServer>;
}

type Clocks = ReturnType<typeof clocks>;

/**
 * For the emulators that list an event as soon as it is stored: an event listed late is stored when
 * the clock reaches `visibleAt`, with its earlier time, as tail-settle.test.ts makes them.
 */
export function storedWhenVisible(time: { now: number }, store: (at: number, n: number, kind: number) => void) {
  const pending: Array<{ at: number; visibleAt: number; n: number; kind: number }> = [];
  return {
    create(at: number, visibleAt: number, n: number, kind = 0): void {
      pending.push({ at, visibleAt, n, kind });
    },
    advance(to: number): void {
      time.now = to;
      pending.sort((a, b) => a.visibleAt - b.visibleAt || a.n - b.n);
      while (pending[0] !== undefined && pending[0].visibleAt <= to) {
        const { at, n, kind } = pending.shift() as { at: number; n: number; kind: number };
        store(at, n, kind);
      }
    },
  };
}

/** Tines' actions of the emulator's tenant, 7 apart (`emulator-store.ts`). */
const tinesAction = (kind: number): number => 21 + 7 * kind;
const SOCOTRA_TYPES = ['policy.issue', 'policy.cancel'] as const;
const socotraType = (kind: number): string => SOCOTRA_TYPES[kind] ?? 'policy.issue';

/**
 * `flavor`: the form of the service, where it has several (Tines' page order, FUJITSU's marker);
 * `extra`: client options over those of `inProcessClients` (a signal, a limiter).
 */
export function emulatedVendor(name: VendorName, { time, vendor, client: clock }: Clocks, flavor?: string, extra?: ExtraOptions): EmulatedVendor {
  const since = new Date(time.now - BEFORE_START_MS);
  switch (name) {
    case 'illumio': {
      const emulator = illumioEmulator.create({ seed: 1, events: 0, clock: vendor, rateLimit: false });
      const { sent, fetch } = counting(emulator.fetch);
      const client = inProcessClients.illumio(fetch, clock, extra);
      return {
        ...storedWhenVisible(time, (at) => void emulator.store.record(1, at)),
        listing: (pageSize) =>
          client.events.list(flavor === 'auto' ? { pageSize, mode: 'auto', asyncThreshold: 40 } : { pageSize, mode: (flavor || 'sync') as 'sync' | 'async' }),
        requests: () => sent.requests,
        visible: () => emulator.store.events.map((event) => event.href),
        faults: emulator.faults,
        forgetRequests: () => void ((emulator.requests as unknown[]).length = 0),
        listen: () => emulator.listen(),
      };
    }
    case 'fujitsu': {
      const emulator = fujitsuEmulator.create({ events: 0, clock: vendor, marker: (flavor ?? 'inclusive') as 'inclusive' | 'exclusive' });
      const { sent, fetch } = counting(emulator.fetch);
      const client = inProcessClients.fujitsu(fetch, clock, extra);
      // Ids are content hashes: a message of its own keeps each event apart from the others in its second.
      const idOf = (event: FujitsuStoredEvent) => keyEvents([serveEvent(event, 'zoneless', 'array') as never], 'events.list')[0]!.id;
      return {
        create: (at, visibleAt, n) => void emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at, visibleAt, message: `event ${n}` }),
        advance: (to) => void (time.now = to),
        listing: (pageSize) => client.events.list({ since, pageSize }),
        requests: () => sent.requests,
        visible: () => emulator.store.events.all(DEFAULT_FUJITSU_TENANT).filter((event) => (event.visibleAt ?? event.at) <= time.now).map(idOf),
        faults: emulator.faults,
        forgetRequests: () => void ((emulator.requests as unknown[]).length = 0),
        listen: () => emulator.listen(),
      };
    }
    case 'tines': {
      const emulator = tinesEmulator.create({ seed: 5, events: 0, clock: vendor, order: (flavor ?? 'newest-first') as 'newest-first' | 'oldest-first' });
      const { sent, fetch } = counting(emulator.fetch);
      const client = inProcessClients.tines(fetch, clock, extra);
      return {
        // The id is taken when the event is created (in time order), and it is listed from `visibleAt`.
        create: (at, visibleAt, _n, kind = 0) => void emulator.store.emit({ actionId: tinesAction(kind), createdAt: at, visibleAt }),
        advance: (to) => void (time.now = to),
        listing: (pageSize, kind) => client.events.list({ pageSize, ...(kind === undefined ? {} : { actionId: tinesAction(kind) }) }),
        requests: () => sent.requests,
        visible: (kind) =>
          emulator.store.events
            .filter((event) => (event.visibleAt ?? event.createdAt) <= time.now && (kind === undefined || event.actionId === tinesAction(kind)))
            .map((event) => String(event.id)),
        faults: emulator.faults,
        forgetRequests: () => void ((emulator.requests as unknown[]).length = 0),
        listen: () => emulator.listen(),
      };
    }
    case 'informatica': {
      const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: vendor, rateLimit: false, responseForms: 'list' });
      const { sent, fetch } = counting(emulator.fetch);
      const client = inProcessClients.informatica(fetch, clock, extra);
      return {
        ...storedWhenVisible(time, (at) => void emulator.store.events.add({ createTime: at }, time.now)),
        listing: (pageSize) => client.events.list({ since: since.toISOString(), pageSize }),
        requests: () => sent.requests,
        visible: () => emulator.store.events.all().map((event) => String(event.eventId)),
        faults: emulator.faults,
        forgetRequests: () => void ((emulator.requests as unknown[]).length = 0),
        listen: () => emulator.listen(),
      };
    }
    case 'socotra': {
      const emulator = socotraEmulator.create({ seed: 1, events: 0, clock: vendor, policies: 0, failedJobs: 0 });
      const { sent, fetch } = counting(emulator.fetch);
      const client = inProcessClients.socotra(fetch, clock, extra);
      // The stream is in the order calls completed: an event listed late is one whose call completed
      // late, appended then with its earlier timestamp.
      return {
        ...storedWhenVisible(time, (at, _n, kind) => void emulator.store.addEvent({ timestamp: new Date(at).toISOString(), type: socotraType(kind) })),
        listing: (pageSize, kind) => client.events.list({ pageSize, ...(kind === undefined ? {} : { type: socotraType(kind) }) }),
        requests: () => sent.requests,
        visible: (kind) => [
          ...new Set(emulator.store.page(0, kind === undefined ? {} : { type: socotraType(kind) }, Number.MAX_SAFE_INTEGER).events.map((event) => event.locator)),
        ],
        faults: emulator.faults,
        forgetRequests: () => void ((emulator.requests as unknown[]).length = 0),
        listen: () => emulator.listen(),
      };
    }
  }
}
