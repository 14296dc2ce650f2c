/**
 * The shapes every emulator shares. A provider writes an `EmulatorDefinition` (its store and its
 * request handler) with `defineEmulator`; the kit wraps it into an `Emulator`: request recording,
 * faults, and the msw, `fetch` and `node:http` adapters, the same for all five vendors.
 */
import type { MswHandler } from './msw-handler.js';
import type { Clock } from '../core/clock.js';
import type { ProviderName } from '../core/errors.js';
import type { FaultController } from './faults.js';
import type { RecordedRequest } from './recorder.js';
import type { Rng } from './rng.js';

/** An emulated API: a function from a request to its response, over an in-memory store. */
export type EmulatorHandler = (request: Request) => Promise<Response>;

/** What an emulator serves: a vendor, or the kit's vendor-neutral `'generic'` paging target. */
export type EmulatorTarget = ProviderName | 'generic';

/**
 * A server-side limit of an emulator, counted per credential (Informatica's for the organization): at
 * most `requests` in any `interval` (a sliding window), then `429` with a `Retry-After` that ends it.
 * @example { requests: 5, interval: 60_000 }
 */
export interface EmulatorRateLimit {
  /**
   * Requests allowed in one window.
   * @example { requests: 5, interval: 60_000 }
   */
  requests: number;
  /**
   * The window's length, in milliseconds of the emulator's clock (a scaled clock shortens it).
   * @example { requests: 500, interval: 60_000 }
   */
  interval: number;
}

/** Options every emulator accepts, beside its vendor's own. */
export interface EmulatorOptions {
  /**
   * Seeds the generated events and the probability faults: the same seed gives the same data.
   * @default 1
   * @example 42
   */
  seed?: number | undefined;
  /**
   * How many events the store starts with, from 0 to 50_000; more can be added through
   * `store`. Informatica's are top-level events, each with the zero to three subscription children
   * it is generated with: `events: 4` lists 4 with `children: 'nested'` and more (10 with seed 1)
   * flattened. The largest store builds in well under a second, where a count without a limit (`2 ** 31`)
   * would hang while it is built.
   * @default 50
   * @example 200
   * @example 50_000 // the most
   */
  events?: number | undefined;
  /**
   * The clock for rate-limit windows, latency and `Retry-After` dates; pass the client's
   * `scaledClock(...)` so both sides agree on how long a second lasts.
   * @default systemClock
   * @example scaledClock(0.001)
   */
  clock?: Clock | undefined;
  /**
   * The base URL msw intercepts when `msw()` is called without one.
   * @default the vendor's example host
   * @example 'https://pce.example.com:8443'
   */
  baseUrl?: string | undefined;
}

/** The resolved common options handed to a definition. */
export interface ResolvedEmulatorOptions {
  seed: number;
  events: number;
  clock: Clock;
  baseUrl: string;
}

/** What a definition's handler gets besides the request. */
export interface EmulatorContext<S, O> {
  /** The emulator's state; the handler reads and changes it. */
  readonly store: S;
  readonly clock: Clock;
  /**
   * Randomness for answers (new ids, jitter), seeded from the emulator's seed but separate from the
   * generator that built the store, so that adding a request does not change the generated data.
   */
  readonly rng: Rng;
  /** The options the emulator was created with, resolved. */
  readonly options: ResolvedEmulatorOptions & O;
}

/** Where `listen` binds. */
export interface ListenOptions {
  /**
   * `0` picks a free port.
   * @default 0
   * @example { port: 8443 }
   */
  port?: number | undefined;
  /**
   * The address to bind. Only loopback by default: the emulators accept well-known test credentials.
   * @default '127.0.0.1'
   * @example { host: '0.0.0.0' }
   */
  host?: string | undefined;
}

/** A running local server. */
export interface EmulatorServer {
  /** `http://<host>:<port>` of the `host` it listens on (`http://127.0.0.1:<port>` by default), without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends open connections, and resolves when the server is closed. */
  close(): Promise<void>;
}

/** A running emulator: the vendor's API over an in-memory store, ready for any of the three adapters. */
export interface Emulator<S = unknown> {
  readonly provider: EmulatorTarget;
  /** The API as a plain function: records, applies faults, then answers. */
  readonly handle: EmulatorHandler;
  /** A `fetch` that calls the emulator in process; pass it as a client's `fetch` option. */
  readonly fetch: typeof globalThis.fetch;
  /**
   * msw handlers for `baseUrl` (default: the emulator's `baseUrl` option). msw is an optional peer
   * dependency, loaded on this first call, hence the promise.
   * @example const server = setupServer(...(await emulator.msw()))
   */
  msw(baseUrl?: string): Promise<MswHandler[]>;
  /** Starts a real HTTP server on 127.0.0.1 that serves the emulator. */
  listen(options?: ListenOptions): Promise<EmulatorServer>;
  /** The emulator's state: add, remove or inspect events. Replaced by `reset()`. */
  readonly store: S;
  /** Every request received, oldest first (faulted ones included). */
  readonly requests: readonly RecordedRequest[];
  readonly faults: FaultController;
  /** Rebuilds the store from the seed, forgets the requests and removes the faults. */
  reset(): void;
}

/** A vendor's emulator, as `defineEmulator` returns it and as the registry holds it. */
export interface EmulatorDefinition<S = unknown, O = object> {
  readonly provider: EmulatorTarget;
  /** The default `baseUrl`. */
  readonly baseUrl: string;
  /** Creates a running emulator. Throws a `ConfigurationError` naming a bad option. */
  create(options?: EmulatorOptions & O): Emulator<S>;
}
