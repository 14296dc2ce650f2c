/**
 * The cross-process limiter: bottleneck with its Redis datastore holds one concurrency count for every
 * process that uses the same key (`rateLimit.shared` made by `redisRateLimit()`, src/redis/index.ts).
 * The reservoir is a sliding window kept in Redis (`SharedWindow`, redis-window.ts): bottleneck's own
 * refills at fixed instants and lets twice the limit through across one. The `SendGate` adds what
 * bottleneck does not do in each process: its window counted from answers, `minTime` between actual
 * sends (bottleneck spaces jobs by when it planned them, so one late timer shortens the next gap) and
 * the `Retry-After` pause, which `SharedPause` (redis-pause.ts) carries to the other processes of the key.
 * A slot is leased, so that a process that dies does not keep it (redis-lease.ts), and every wait for
 * the server is bounded (redis-link.ts).
 *
 * bottleneck is loaded here, on the first limiter built with a Redis-shared limit, so an application that
 * does not share its limit never loads it (9-15 ms of import, about 59 KiB minified). The specifier is
 * a variable so that bundlers leave it out too, as bottleneck itself does for its Redis clients.
 */
import type Bottleneck from 'bottleneck';
import type { Clock } from '../clock.js';
import { invalidOption } from '../config.js';
import type { LimiterSettings, RequestLimiter } from '../rate-limit.js';
import { linkSignals, untilAborted } from '../signal.js';
import { DISCONNECT_TIMEOUT_MS, disconnectClients } from './redis-disconnect.js';
import { SlotLeases } from './redis-lease.js';
import { boundScripts, RedisLink } from './redis-link.js';
import { RedisLimiter } from './redis-limiter.js';
import { onRefusal } from './redis-refusal.js';
import type { RedisCommands } from './redis-pause.js';
import { IDLE_LIMITER_MS } from './shared.js';

/** Where a Redis-shared limit is kept. */
export interface RedisRateLimitOptions {
  /**
   * Options for the Redis client bottleneck creates (ioredis, or node-redis 3): `host`, `port`,
   * `username`, `password`, `db`, `tls`, `keyPrefix`... ioredis takes no connection string (`url`):
   * refused, as it would connect to 127.0.0.1:6379 instead.
   * @default {} (the client's own defaults: 127.0.0.1:6379)
   * @example { host: 'redis.internal', port: 6379, password: process.env.REDIS_PASSWORD }
   */
  clientOptions?: Record<string, unknown> | undefined;
  /**
   * The Redis client library bottleneck should use; it must be installed beside bottleneck. `'redis'`
   * is node-redis 3 only (`npm install redis@3`): bottleneck speaks its callback API.
   * @default 'ioredis'
   * @example { datastore: 'redis' }
   */
  datastore?: 'ioredis' | 'redis' | undefined;
  /**
   * Milliseconds a request waits for the Redis server: to connect, on the first request of a limiter;
   * for the answer to each command; for a lost connection to come back. Past it the requests waiting
   * for their turn fail with a `NetworkError` that names the server (the client would otherwise retry,
   * and the requests wait, for as long as the server stays away), and new ones fail at once until the
   * server answers again.
   * @default 10_000
   * @example { connectTimeout: 2_000 }
   */
  connectTimeout?: number | undefined;
  /**
   * Milliseconds a concurrency slot stays taken in Redis without its process renewing it: how long a
   * process that dies mid-request (or loses Redis) keeps the others out of its slot. A live process
   * renews its slots every third of it, however long its requests take.
   * @default 30_000
   * @example { slotLease: 10_000 }
   */
  slotLease?: number | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_SLOT_LEASE_MS = 30_000;
/**
 * How long a key's state stays in Redis once no process uses it (a credential rotated, a vendor
 * dropped): as long as the registry keeps an idle limiter in a process. Long beside any pause between
 * requests: a process that finds it gone makes it again, at the cost of two round trips.
 */
const IDLE_EXPIRY_MS = IDLE_LIMITER_MS;
/** bottleneck's heartbeat, which also frees the slots whose lease ran out: its default, or half a lease. */
const HEARTBEAT_MS = 5_000;

/** The settings bottleneck keeps in Redis for every process of the key. */
function storeSettings(settings: LimiterSettings, scale: number): { maxConcurrent: number | null; minTime: number } {
  return {
    maxConcurrent: settings.maxConcurrent === Infinity ? null : settings.maxConcurrent,
    // Also here, so that sends are spaced across processes; the gate keeps the spacing exact locally.
    minTime: Math.round(settings.minTime * scale),
  };
}

/**
 * Writes this process's settings over the key's in Redis. bottleneck's typings say `updateSettings`
 * returns the limiter; it returns a promise of it.
 */
function writeSettings(bottleneck: Bottleneck, settings: LimiterSettings, scale: number): Promise<unknown> {
  return Promise.resolve(bottleneck.updateSettings(storeSettings(settings, scale)));
}

export async function buildRedisLimiter(
  key: string,
  settings: LimiterSettings,
  redis: RedisRateLimitOptions,
  clock: Clock,
  closing?: AbortSignal,
): Promise<RequestLimiter> {
  const datastore = redis.datastore ?? 'ioredis';
  const client = await importOptional(datastore, datastore === 'redis' ? 'redis@3' : datastore);
  if (datastore === 'redis' && !isNodeRedisV3(client)) {
    invalidOption(
      'rateLimit.shared',
      'the "redis" datastore needs node-redis 3 (bottleneck speaks its callback API; version 4 and later fail inside bottleneck): install redis@3, or use the default "ioredis"',
    );
  }
  const { default: BottleneckClass } = (await importOptional('bottleneck', 'bottleneck')) as { default: typeof Bottleneck };
  const timeoutMs = redis.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const leaseMs = redis.slotLease ?? DEFAULT_SLOT_LEASE_MS;
  const id = bottleneckId(key, datastore, redis.clientOptions);
  const bottleneck = new BottleneckClass({
    ...storeSettings(settings, clock.scale),
    id,
    datastore,
    clientOptions: { ...(datastore === 'ioredis' ? { disconnectTimeout: DISCONNECT_TIMEOUT_MS } : {}), ...redis.clientOptions },
    clearDatastore: false,
    timeout: IDLE_EXPIRY_MS,
    heartbeatInterval: Math.min(HEARTBEAT_MS, leaseMs / 2),
  });
  const tls = redis.clientOptions?.['tls'];
  const link = new RedisLink(describeServer(redis.clientOptions), timeoutMs, tls !== undefined && tls !== null && tls !== false);
  boundScripts(bottleneck, link, () => {
    // Jobs queued here would wait for a capacity message that no process sends until a job of the
    // key is scheduled or ends: writing the settings makes the state again and sends one.
    if (bottleneck.queued() > 0) void writeSettings(bottleneck, settings, clock.scale).catch(() => undefined);
  });
  // An unreachable server keeps `ready()` waiting while the client retries: closing gives up on it, and
  // so does the connect deadline, with an error that says which server did not answer.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(link.unanswered()), timeoutMs);
  // A server that refuses the handshake, or whose TLS handshake fails, answered: the client would
  // retry it until the deadline, and the request fail then as though nothing had answered.
  const refused = new AbortController();
  const stopRefusals = onRefusal(bottleneck, link, (error) => refused.abort(error));
  const giveUp = linkSignals([closing, deadline.signal, refused.signal]);
  try {
    await untilAborted(bottleneck.ready(), giveUp.signal);
    // Writing the settings makes the key's state again (bottleneck's recovery from SETTINGS_KEY_NOT_FOUND).
    const remake = (): Promise<unknown> => writeSettings(bottleneck, settings, clock.scale);
    const leases = new SlotLeases(bottleneck, id, link.commands(bottleneck.clients().client as RedisCommands), leaseMs, IDLE_EXPIRY_MS, remake);
    // bottleneck writes its settings only when it makes the key's state: the newest process's apply to
    // every process of the key, so that a redeploy with new settings takes effect.
    await untilAborted(Promise.all([writeSettings(bottleneck, settings, clock.scale), leases.renew()]), giveUp.signal);
    return new RedisLimiter(bottleneck, key, clock, settings, link, leases);
  } catch (error) {
    link.close();
    await disconnectClients(bottleneck).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    stopRefusals();
    giveUp.dispose();
  }
}

/**
 * bottleneck's name for the key, which it also gives its pub/sub channels (`b_<id>`, where it tells the
 * key's processes that capacity came back). The client's key prefix (ioredis's `keyPrefix`, node-redis
 * 3's `prefix`) keeps deployments that share a Redis apart, but reaches keys only: written into the id,
 * it reaches the channels too. Quoted, so that no prefix and key make another's id.
 */
function bottleneckId(key: string, datastore: 'ioredis' | 'redis', clientOptions: Record<string, unknown> | undefined): string {
  const prefix = clientOptions?.[datastore === 'ioredis' ? 'keyPrefix' : 'prefix'];
  return typeof prefix === 'string' && prefix !== '' ? `tributary@${JSON.stringify(prefix)}:${key}` : `tributary:${key}`;
}

/** `host:port` of the client options (no credential), or the client's default. */
function describeServer(clientOptions: Record<string, unknown> | undefined): string {
  const host = typeof clientOptions?.['host'] === 'string' ? clientOptions['host'] : '127.0.0.1';
  const port = typeof clientOptions?.['port'] === 'number' || typeof clientOptions?.['port'] === 'string' ? clientOptions['port'] : 6379;
  return `${host}:${String(port)}`;
}

/** Imports a package that may be missing; a missing one is a bad `rateLimit.shared` that says what to install. */
async function importOptional(name: string, install: string): Promise<unknown> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the package.
    const specifier: string = name;
    return await import(specifier);
  } catch {
    return invalidOption('rateLimit.shared', `the "${name}" package is needed for a shared rate limit; install it (npm install ${install})`);
  }
}

/**
 * Whether an imported `redis` package is node-redis 3, whose callback API bottleneck uses: its client
 * has `end()`, which version 4 dropped. With a later one bottleneck fails with a bare `TypeError`
 * (`this.client.end is not a function`).
 */
export function isNodeRedisV3(module: unknown): boolean {
  type Client = { prototype?: { end?: unknown } } | undefined;
  const exports = module as { RedisClient?: Client; default?: { RedisClient?: Client } } | null;
  return typeof (exports?.RedisClient ?? exports?.default?.RedisClient)?.prototype?.end === 'function';
}
