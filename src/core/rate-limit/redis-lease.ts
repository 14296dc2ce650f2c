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
 * Renews the leases of the given jobs still held (a job whose lease ran out stays freed), and keeps the
 * key's state for `idle` from now: bottleneck refreshes that expiry only when a job is registered, and
 * a key made before it had one (by an earlier release) is given one here. Nothing when the state is gone.
 */
const RENEW = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'groupTimeout', ARGV[2])
for i = 3, #ARGV do
  if redis.call('ZSCORE', KEYS[3], ARGV[i]) then redis.call('ZADD', KEYS[3], ARGV[1], ARGV[i]) end
end
for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return 0`;

/** bottleneck 2.19.5's keys of limiter `id` (its Scripts.allKeys), the settings first, the job expirations third. */
export function bottleneckKeys(id: string): string[] {
  return ['settings', 'job_weights', 'job_expirations', 'job_clients', 'client_running', 'client_num_queued', 'client_last_registered', 'client_last_seen'].map(
    (name) => `b_${id}_${name}`,
  );
}

/*
 * bottleneck 2.19.5 registers a job's slot through its datastore's `__register__(index, weight,
 * expiration)` and gives it back through `__free__(index, weight)`: wrapping both gives every slot its
 * lease and tells which to renew. test/core/rate-limit-internals.test.ts fails if they move.
 */
interface Registration {
  success: boolean;
}
interface LeasedStore {
  __register__(index: string, weight: number, expiration: number | null): Promise<Registration>;
  __free__(index: string, weight: number): Promise<unknown>;
}

export class SlotLeases {
  /** bottleneck's indexes of this process's running jobs. */
  readonly #running = new Set<string>();
  readonly #keys: string[];
  readonly #renewal: Renewal;

  /**
   * @param commands bounded commands of the limiter's client
   * @param leaseMs how long a slot stays taken without a renewal (and a window's place, redis-window.ts)
   * @param idleMs how long the key's state outlives its last use
   */
  constructor(
    bottleneck: Bottleneck,
    id: string,
    private readonly commands: RedisCommands,
    readonly leaseMs: number,
    private readonly idleMs: number,
  ) {
    this.#keys = bottleneckKeys(id);
    this.#renewal = new Renewal(leaseMs, () => this.renew());
    const store = (bottleneck as unknown as { _store: LeasedStore })._store;
    const register = store.__register__.bind(store);
    store.__register__ = async (index, weight) => {
      const registration = await register(index, weight, leaseMs);
      if (registration.success) this.#hold(index);
      return registration;
    };
    const free = store.__free__.bind(store);
    store.__free__ = (index, weight) => {
      this.#release(index);
      return free(index, weight);
    };
  }

  /** Renews the leases held now, and the key's idle expiry. */
  renew(): Promise<unknown> {
    const expires = String(Date.now() + this.leaseMs);
    return call((reply) => this.commands.eval(RENEW, this.#keys.length, ...this.#keys, expires, String(this.idleMs), ...this.#running, reply));
  }

  close(): void {
    this.#renewal.stop();
  }

  #hold(index: string): void {
    this.#running.add(index);
    this.#renewal.start();
  }

  #release(index: string): void {
    this.#running.delete(index);
    if (this.#running.size === 0) this.close();
  }
}
