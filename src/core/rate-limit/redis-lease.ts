/**
 * Leases on the concurrency slots a process holds in Redis. bottleneck 2.19 gives a running job's slot
 * back when the job ends or when its `expiration` passes, so a process that died mid-request held its
 * slot for ever. A fixed expiration would not do: a job holds its slot while it waits out a
 * `Retry-After` pause (up to `maxRetryAfter`, 5 minutes by default) or a full window, then during the
 * request, whose `timeout` the limiter is not told (and which may be `false`); and bottleneck fails a
 * job whose expiration passes, and frees its slot, while the request is still in flight. So each slot is
 * taken for a lease only, in Redis (bottleneck keeps no timer of its own for it), and the process renews
 * the leases of its running jobs every third of one: a live process keeps its slots for as long as its
 * requests take, a dead one's free a lease after its last renewal, at the next heartbeat of any process.
 *
 * Expirations are `Date.now()` instants, as bottleneck's are: the processes' clocks are assumed to agree.
 */
import type Bottleneck from 'bottleneck';
import { call, type RedisCommands } from './redis-pause.js';
import { Renewal } from './redis-renewal.js';

/**
 * Renews the leases of the given jobs (ARGV[4..], index and weight in turn), and keeps the key's state
 * for `idle` (ARGV[2]) from now: bottleneck refreshes that expiry only when a job is registered, and a
 * key made before it had one (by an earlier release) is given one here. A job whose slot the server
 * forgot (a FLUSHALL, a restart; or a lease that ran out while the server did not answer) is registered
 * again for client ARGV[3], as bottleneck's register.lua would: its request is still running, and the
 * others would otherwise take its place beside it, past `maxConcurrent`. -1 when the state itself is
 * gone, for the process to make it again (the jobs are registered at the next renewal).
 */
const RENEW = `if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'groupTimeout', ARGV[2])
for i = 4, #ARGV, 2 do
  local index, weight = ARGV[i], tonumber(ARGV[i + 1])
  if redis.call('HEXISTS', KEYS[2], index) == 0 then
    redis.call('HINCRBY', KEYS[1], 'running', weight)
    redis.call('HSET', KEYS[2], index, weight)
    redis.call('HSET', KEYS[4], index, ARGV[3])
    redis.call('ZINCRBY', KEYS[5], weight, ARGV[3])
  end
  redis.call('ZADD', KEYS[3], ARGV[1], index)
end
for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return 0`;

/**
 * After a loss, fills what is free of `maxConcurrent` in the state bottleneck has just made again with
 * one job (ARGV[3]) of client ARGV[2] that expires at ARGV[1]. The state knows none of the requests
 * still running then; their processes take their slots again at their next renewal (RENEW), up to a
 * third of a lease later, and meanwhile the other processes were given those slots: a job given one
 * held it while it waited for the window (one interval after a loss, redis-window.ts) and was sent
 * beside the renewed requests, past `maxConcurrent`. The expired job is freed by bottleneck's next tick
 * (a heartbeat, a job registered or freed), which tells the processes waiting that there is room.
 * Nothing when another process of the key filled it already, or nothing is free. The client is
 * registered first, with its ARGV[4] jobs queued and seen at ARGV[5], as bottleneck's
 * register_client.lua would: registered later, it would start from no running weight, and the job's
 * weight be taken off that when it is freed. The keys made here are given the state's expiry.
 */
const HOLD = `if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 0 end
local settings = redis.call('HMGET', KEYS[1], 'maxConcurrent', 'running')
local max, running = tonumber(settings[1]), tonumber(settings[2]) or 0
if max == nil or max <= running then return 0 end
local weight = max - running
if not redis.call('ZSCORE', KEYS[8], ARGV[2]) then
  redis.call('ZADD', KEYS[5], 0, ARGV[2])
  redis.call('HSET', KEYS[6], ARGV[2], ARGV[4])
  redis.call('ZADD', KEYS[7], 0, ARGV[2])
  redis.call('ZADD', KEYS[8], ARGV[5], ARGV[2])
end
redis.call('HINCRBY', KEYS[1], 'running', weight)
redis.call('HSET', KEYS[2], ARGV[3], weight)
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[2])
redis.call('ZINCRBY', KEYS[5], weight, ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end end
return weight`;

/** The job that holds the free slots after a loss: one per key, whichever process makes the state again. */
const HOLDER = 'tributary-after-loss';

/**
 * bottleneck 2.19.5's keys of limiter `id` (its Scripts.allKeys): the settings, the job weights, the job
 * expirations, the job clients and the clients' running weights first, in that order.
 */
export function bottleneckKeys(id: string): string[] {
  return ['settings', 'job_weights', 'job_expirations', 'job_clients', 'client_running', 'client_num_queued', 'client_last_registered', 'client_last_seen'].map(
    (name) => `b_${id}_${name}`,
  );
}

/*
 * bottleneck 2.19.5 registers a job's slot through its datastore's `__register__(index, weight,
 * expiration)` and gives it back through `__free__(index, weight)`: wrapping both gives every slot its
 * lease and tells which to renew. It makes a lost state again through `runScript('init', ...)`, wrapped
 * to hold the slots free then (HOLD). test/core/rate-limit-internals.test.ts fails if they move.
 */
interface Registration {
  success: boolean;
}
interface LeasedStore {
  clientId: string;
  runScript(name: string, args: unknown[]): Promise<unknown>;
  __register__(index: string, weight: number, expiration: number | null): Promise<Registration>;
  __free__(index: string, weight: number): Promise<unknown>;
}

export class SlotLeases {
  /** bottleneck's indexes of this process's running jobs, and each one's weight. */
  readonly #running = new Map<string, number>();
  readonly #keys: string[];
  readonly #renewal: Renewal;
  readonly #client: string;

  /**
   * @param commands bounded commands of the limiter's client
   * @param leaseMs how long a slot stays taken without a renewal (and a window's place, redis-window.ts)
   * @param idleMs how long the key's state outlives its last use
   * @param stateLost makes the key's state again once a renewal found it gone (a server flushed or
   *   restarted with jobs of this process running); their slots are taken again at the next renewal
   */
  constructor(
    bottleneck: Bottleneck,
    id: string,
    private readonly commands: RedisCommands,
    readonly leaseMs: number,
    private readonly idleMs: number,
    private readonly stateLost: () => Promise<unknown> = () => Promise.resolve(),
  ) {
    this.#keys = bottleneckKeys(id);
    this.#renewal = new Renewal(leaseMs, () => this.renew());
    const store = (bottleneck as unknown as { _store: LeasedStore })._store;
    this.#client = store.clientId;
    const register = store.__register__.bind(store);
    store.__register__ = async (index, weight) => {
      const registration = await register(index, weight, leaseMs);
      if (registration.success) this.#hold(index, weight);
      return registration;
    };
    const free = store.__free__.bind(store);
    store.__free__ = (index, weight) => {
      this.#release(index);
      return free(index, weight);
    };
    // Built once the limiter is ready: an `init` from now on is bottleneck making the state again after
    // a script found it gone (SETTINGS_KEY_NOT_FOUND), a server flushed or restarted.
    const runScript = store.runScript.bind(store);
    store.runScript = async (name, args) => {
      const result = await runScript(name, args);
      if (name === 'init') await this.#holdAfterLoss(bottleneck.queued()).catch(() => undefined);
      return result;
    };
  }

  /** Renews the leases held now, and the key's idle expiry. */
  async renew(again = true): Promise<unknown> {
    const expires = String(Date.now() + this.leaseMs);
    const jobs = [...this.#running].flatMap(([index, weight]) => [index, String(weight)]);
    const reply = await call((done) => this.commands.eval(RENEW, this.#keys.length, ...this.#keys, expires, String(this.idleMs), this.#client, ...jobs, done));
    if (Number(reply) === -1 && jobs.length > 0 && again) {
      await this.stateLost();
      return this.renew(false);
    }
    return reply;
  }

  close(): void {
    this.#renewal.stop();
  }

  /**
   * Half a lease: every live process renews its slots within a third of one, the rest is for a renewal
   * a loaded machine runs late.
   */
  #holdAfterLoss(queued: number): Promise<unknown> {
    const now = Date.now();
    const expires = String(now + this.leaseMs / 2);
    return call((done) => this.commands.eval(HOLD, this.#keys.length, ...this.#keys, expires, this.#client, HOLDER, String(queued), String(now), done));
  }

  #hold(index: string, weight: number): void {
    this.#running.set(index, weight);
    this.#renewal.start();
  }

  #release(index: string): void {
    this.#running.delete(index);
    if (this.#running.size === 0) this.close();
  }
}
