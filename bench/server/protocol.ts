/**
 * The messages between the benchmark and its emulator server, a separate process so that serving
 * pages never competes with the measured client for the same event loop.
 */
import type { EmulatorTarget } from '../../src/testing/types.js';

/** A server-side rate limit, checked on every request (cached pages included), answered with 429. */
export interface ServerRateLimit {
  requests: number;
  /** Vendor milliseconds; the server's clock scale shortens them. */
  interval: number;
}

export interface StartCommand {
  type: 'start';
  provider: EmulatorTarget;
  /** Events the emulator starts with. */
  events: number;
  seed: number;
  /** The emulator's `now()`, fixed so that generated data and query windows are the same every round. */
  now: number;
  /** Real milliseconds per vendor millisecond for the server's rate limit. */
  scale: number;
  /** Vendor options of the emulator beside the common ones (plain JSON). */
  options: Record<string, unknown>;
  /**
   * Keep each answer the first time it is computed and serve the kept bytes afterwards, so that after a
   * warm-up pass the server costs the same for every contestant and is not what is measured.
   * @default true
   */
  cache: boolean;
  /** FUJITSU events loaded in bulk over days instead of the emulator's last hour (see `adapt.ts`). */
  adapt?: 'fujitsu';
}

export interface ConfigureCommand {
  type: 'configure';
  /** Real milliseconds every answer is held back, modelling the network round trip. */
  latencyMs: number;
  rateLimit: ServerRateLimit | false;
}

export interface StatsCommand {
  type: 'stats';
  /** Zero the counters after reading them. */
  reset: boolean;
}

export interface StopCommand {
  type: 'stop';
}

export type Command = StartCommand | ConfigureCommand | StatsCommand | StopCommand;

export interface ServerStats {
  requests: number;
  /** Answers computed by the emulator (a miss of the page cache). */
  computed: number;
  /** Answers with status 429 from the server's own limit. */
  rateLimited: number;
  /** Largest number of requests in flight at once. */
  maxInFlight: number;
  /** Bytes of response bodies sent. */
  bytes: number;
}

export type Reply =
  | { type: 'started'; url: string; setupMs: number }
  | { type: 'configured' }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
