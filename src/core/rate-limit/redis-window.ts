/**
 * The sliding window of a Redis-shared limit, kept in Redis for every process of a limiter key. Each
 * process's `SendGate` keeps the window of its own sends; what no process can see alone is the others'.
 * bottleneck's reservoir does not fill that gap: it refills at fixed instants, so N requests just
 * before a refill and N just after it reach the vendor within one interval (twice Informatica's 5 a
 * minute, VENDORS.md). Here every send takes a place in a sorted set, scored by when it was sent and,
 * once answered, by when its answer came back (as the gate counts: the latest instant the vendor can
 * have counted it); a place frees an interval after its score. Times come from `clock.now()`, as the
 * shared pause's do (redis-pause.ts): processes on one clock agree on them.
 */
import type { Clock } from '../clock.js';
import { call, type RedisCommands } from './redis-pause.js';

/**
 * Drops the places older than the window, then takes one if fewer than the limit are left (0) or says
 * in how many milliseconds the oldest frees (at least 1). The key expires with its newest place.
 */
const TAKE = `local now, span = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil(span))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + span - now))`;

/** Counts a place from its answer; added again if a request outlived the window and its place was dropped. */
const ANSWERED = `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
return 0`;

const GIVE_BACK = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

export class SharedWindow {
  readonly #key: string;
  /** Real (scaled) milliseconds. */
  readonly #span: string;
  readonly #limit: string;

  constructor(
    private readonly client: RedisCommands,
    key: string,
    requests: number,
    interval: number,
    private readonly clock: Clock,
  ) {
    this.#key = `tributary:${key}:window`;
    this.#span = String(Math.max(1, interval * clock.scale));
    this.#limit = String(requests);
  }

  /** Takes a place for the send `member`: 0 if taken, else the real milliseconds until one may be. */
  async take(member: string): Promise<number> {
    const reply = await call((done) => this.client.eval(TAKE, 1, this.#key, String(this.clock.now()), this.#span, this.#limit, member, done));
    return Number(reply);
  }

  /** The send `member` has its answer back: its place is counted from now. */
  answered(member: string): Promise<unknown> {
    return call((done) => this.client.eval(ANSWERED, 1, this.#key, String(this.clock.now()), this.#span, member, done));
  }

  /** The place of `member`, taken for a request that was not sent after all. */
  giveBack(member: string): Promise<unknown> {
    return call((done) => this.client.eval(GIVE_BACK, 1, this.#key, member, done));
  }
}
