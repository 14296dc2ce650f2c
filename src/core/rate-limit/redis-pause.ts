/**
 * A server's `Retry-After` pause, shared through Redis by every process of a limiter key (DESIGN.md: "a
 * 429 pauses the whole limiter"; with Redis "the limit is shared across processes"). The pause is kept
 * as one "not before" instant per key, read from `clock.now()`, so that processes on the same clock
 * agree on it, scaled or not. It only ever moves later: a shorter pause from one process never shortens
 * a longer one from another.
 */
import type { Clock } from '../clock.js';

export type Reply = (error: Error | null, reply: unknown) => void;

/**
 * The commands the shared pause and window use, in the callback form that both clients bottleneck
 * supports accept (ioredis and node-redis v3, which has no promises).
 */
export interface RedisCommands {
  get(key: string, callback: Reply): unknown;
  eval(script: string, keys: number, ...args: [...string[], Reply]): unknown;
}

/** Moves the instant later, never earlier; it expires with the pause, so an idle key leaves nothing behind. */
const EXTEND = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0`;

export class SharedPause {
  readonly #key: string;
  /**
   * The latest instant this process has written or applied: one read only reports a newer one, so a
   * pause is applied once (a clock whose `now()` does not move would otherwise extend it forever).
   */
  #known = 0;

  constructor(
    private readonly client: RedisCommands,
    key: string,
    private readonly clock: Clock,
  ) {
    this.#key = `tributary:${key}:not-before`;
  }

  /** Publishes a pause of `wait` real (scaled) milliseconds from now. */
  extend(wait: number): Promise<unknown> {
    const at = Math.ceil(this.clock.now() + wait);
    this.#known = Math.max(this.#known, at);
    const ttl = String(Math.max(1, Math.ceil(wait)));
    return call((reply) => this.client.eval(EXTEND, 1, this.#key, String(at), ttl, reply));
  }

  /** The real milliseconds left of a pause another process published since the last look; 0 if none. */
  async remaining(): Promise<number> {
    const at = Number(await call((reply) => this.client.get(this.#key, reply)));
    if (!(at > this.#known)) return 0;
    this.#known = at;
    return Math.max(0, at - this.clock.now());
  }
}

/** A command of either client, as a promise. */
export function call(command: (reply: Reply) => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    command((error, reply) => (error ? reject(error) : resolve(reply)));
  });
}
