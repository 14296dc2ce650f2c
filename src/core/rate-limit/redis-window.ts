/**
 * The sliding window of a Redis-shared limit, kept in Redis for every process of a limiter key. Each
 * process's `SendGate` keeps the window of its own sends; what no process can see alone is the others'.
 * bottleneck's reservoir does not fill that gap: it refills at fixed instants, so N requests just
 * before a refill and N just after it reach the vendor within one interval (twice Informatica's 5 a
 * minute, VENDORS.md). Here every send takes a place in a sorted set, scored by the latest instant the
 * vendor can have counted it, as the gate counts: once answered, when its answer came back; a place
 * frees an interval after its score. While the request is in flight that instant is not known yet, so
 * its place is scored a lease ahead (`now + lease`) and its process renews that every third of a lease
 * (as it renews its slots, redis-lease.ts): the place stays in every window for as long as the request
 * takes, where a place scored by its send time would leave the window an interval after the send, and
 * let another process fill it while the vendor may still count the request. A process that dies
 * mid-request stops renewing: its place counts as answered when its lease runs out (the latest instant
 * the process can have been there to send anything) and frees an interval later.
 *
 * A server flushed or restarted empty loses every place. A process cannot tell an empty window from a
 * lost one by the window alone, so each keeps a mark of its own beside it, set when it takes a place
 * and kept as long as the key's state (`IDLE_LIMITER_MS`): a process that took a place since and finds
 * its mark gone knows the places were lost, and waits one window before it takes another, the longest
 * any lost place, answered before the loss, can still count; its own places in flight are put back
 * at once. Without it each process filled an empty window of its own after a FLUSHALL, up to the limit
 * times the number of processes in one window (the emulators refused them with 429s). A process that
 * took no place (or none within the mark's life) has no mark to miss: the first process that finds its
 * own gone says so beside the window, and the others wait out the rest of their window from then; before
 * that, nothing tells them. A window closed
 * (`closeRateLimiters()`, an idle limiter dropped) hands its mark to the next one of its key in the
 * process, which would otherwise know of no place taken before it.
 *
 * Times come from `clock.now()`, as the shared pause's do (redis-pause.ts): processes on one clock
 * agree on them. A place scored after `now` is one still in flight.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { call, type RedisCommands } from './redis-pause.js';
import { Renewal } from './redis-renewal.js';

/**
 * Keeps the window (KEYS[1]) for as long as its newest place counts for the process of the longest
 * interval that uses it (ARGV[1] now, ARGV[2] this process's span): that span is kept beside it (KEYS[2]),
 * for as long as the window, since each process counts the window against its own interval and one
 * with a shorter interval must not drop or let expire places a longer one still counts.
 */
const KEEP = `local function longest(spanKey, span)
  return math.max(span, tonumber(redis.call('GET', spanKey) or '0'))
end
local function keep(key, spanKey, now, span)
  local long = longest(spanKey, span)
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if newest[2] then
    local ttl = math.max(1, math.ceil(tonumber(newest[2]) + long - now))
    redis.call('PEXPIRE', key, ttl)
    redis.call('SET', spanKey, tostring(long), 'PX', ttl)
  end
end
local now, span = tonumber(ARGV[1]), tonumber(ARGV[2])
`;

/**
 * -1, and the process's mark (KEYS[3]) set again for ARGV[7], if the process took a place since its
 * mark was set (ARGV[6] '1') and the mark is gone: the places were lost; the first process to find
 * that out since the loss says when (KEYS[4]). Else what is left of this process's interval from then,
 * if it has not passed (a process that took no place since its mark was set cannot tell by itself that
 * the places were lost). Else drops the places older
 * than the longest interval of the key, then takes one, in flight for a lease (ARGV[5]), if fewer than
 * the limit (ARGV[3]) are in this process's window (0); else says in how many milliseconds the place
 * that must free first may free (at least 1): an interval after its score, or at the soonest an
 * interval from now while that request is still in flight (it then frees an interval after its answer).
 */
const TAKE = `${KEEP}local limit = tonumber(ARGV[3])
if ARGV[6] == '1' and redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[7])
  redis.call('SET', KEYS[4], ARGV[1], 'NX', 'PX', ARGV[7])
  return -1
end
local lost = tonumber(redis.call('GET', KEYS[4]) or '')
if lost and lost + span > now then return math.max(1, math.ceil(lost + span - now)) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest(KEYS[2], span))
local from = '(' .. (now - span)
local count = redis.call('ZCOUNT', KEYS[1], from, '+inf')
if count < limit then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[4])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[7])
  keep(KEYS[1], KEYS[2], now, span)
  return 0
end
local frees = tonumber(redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)[2])
if frees > now then return math.ceil(span) end
return math.max(1, math.ceil(frees + span - now))`;

/** Counts a place from its answer; added again if its place was dropped (a lease not renewed, a server flushed). */
const ANSWERED = `${KEEP}redis.call('ZADD', KEYS[1], now, ARGV[3])
keep(KEYS[1], KEYS[2], now, span)
return 0`;

/**
 * Moves the places of requests still in flight (ARGV[4..]) a lease ahead (ARGV[3]), and puts back those
 * lost (a server flushed or restarted; a lease that lapsed while the server did not answer): the
 * process renews only places it has not answered nor given back, and its commands reach the server in
 * the order they were sent.
 */
const RENEW = `${KEEP}for i = 4, #ARGV do redis.call('ZADD', KEYS[1], ARGV[3], ARGV[i]) end
keep(KEYS[1], KEYS[2], now, span)
return 0`;

const GIVE_BACK = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** `slotLease`'s default (redis.ts), for a window not told the limiter's own. */
const DEFAULT_LEASE_MS = 30_000;
/** How long a process's mark stays once it last took a place: as long as the key's state (shared.ts). */
const MARK_MS = 15 * 60_000;

/** A closed window's mark, and when its process last took a place. */
interface Mark {
  name: string;
  tookAt: number;
}

/** The marks of the windows closed in this process, by key, for the next window of each key. */
const closedMarks = new Map<string, Mark>();

export class SharedWindow {
  readonly #key: string;
  /** The longest span of the processes that use the window, beside it. */
  readonly #spanKey: string;
  /** When a process that had taken a place first found the places lost, since they were. */
  readonly #lostKey: string;
  /** Real (scaled) milliseconds. */
  readonly #span: string;
  readonly #limit: string;
  /** This process's places not answered yet (taken, maybe not sent yet): the ones it renews. */
  readonly #inFlight = new Set<string>();
  readonly #renewal: Renewal;
  /** This process's mark beside the window: gone while the process took a place since, the places were lost. */
  readonly #mark: string;
  /** When (`performance.now()`) this process last took a place; its mark lasts `MARK_MS` from then. */
  #tookAt = Number.NEGATIVE_INFINITY;
  /** Until when (`performance.now()`) places lost are waited out: no place is taken before. */
  #lostUntil = Number.NEGATIVE_INFINITY;
  #closed = false;

  /**
   * @param commands bounded commands of the limiter's client
   * @param leaseMs how long the place of a request in flight stays in the window without a renewal:
   *   the limiter's `slotLease` (real milliseconds, as a slot's lease)
   */
  constructor(
    private readonly commands: RedisCommands,
    key: string,
    requests: number,
    interval: number,
    private readonly clock: Clock,
    private readonly leaseMs: number = DEFAULT_LEASE_MS,
  ) {
    this.#key = `tributary:${key}:window`;
    this.#spanKey = `${this.#key}:span`;
    this.#lostKey = `${this.#key}:lost`;
    const handed = closedMarks.get(this.#key);
    closedMarks.delete(this.#key);
    this.#mark = handed?.name ?? `${this.#key}:${randomUUID()}`;
    this.#tookAt = handed?.tookAt ?? Number.NEGATIVE_INFINITY;
    this.#span = String(Math.max(1, interval * clock.scale));
    this.#limit = String(requests);
    this.#renewal = new Renewal(leaseMs, () => this.renew());
  }

  /**
   * Takes a place for the send `member`: 0 if taken, else the real milliseconds until one may be. A
   * place taken after `signal` aborted (the caller left while the command was on its way) is given back.
   */
  async take(member: string, signal?: AbortSignal): Promise<number> {
    const before = performance.now();
    if (before < this.#lostUntil) return this.#lostUntil - before;
    // A little short of the mark's life: a mark that expired by itself is not a loss.
    const took = before - this.#tookAt < MARK_MS - 1_000 ? '1' : '0';
    const reply = await call((done) =>
      this.commands.eval(TAKE, 4, this.#key, this.#spanKey, this.#mark, this.#lostKey, String(this.clock.now()), this.#span, this.#limit, member, String(this.leaseMs), took, String(MARK_MS), done),
    );
    const wait = Number(reply);
    if (wait === -1) {
      const span = Number(this.#span);
      this.#lostUntil = performance.now() + span;
      void this.renew().catch(() => undefined);
      return span;
    }
    if (wait === 0) {
      this.#tookAt = before;
      if (signal?.aborted) void this.giveBack(member).catch(() => undefined);
      else this.#hold(member);
    }
    return wait;
  }

  /**
   * The send `member` has its answer back: its place is counted from now. Only the first call counts
   * (as the gate's), so a request answered twice costs one round trip and keeps its first answer.
   */
  answered(member: string): Promise<unknown> {
    if (!this.#release(member)) return Promise.resolve(0);
    return call((done) => this.commands.eval(ANSWERED, 2, this.#key, this.#spanKey, String(this.clock.now()), this.#span, member, done));
  }

  /** The place of `member`, taken for a request that was not sent after all. */
  giveBack(member: string): Promise<unknown> {
    this.#release(member);
    return call((done) => this.commands.eval(GIVE_BACK, 1, this.#key, member, done));
  }

  /** Renews the places of this process's requests in flight; nothing when there are none. */
  renew(): Promise<unknown> {
    if (this.#inFlight.size === 0) return Promise.resolve(0);
    const now = this.clock.now();
    return call((done) => this.commands.eval(RENEW, 2, this.#key, this.#spanKey, String(now), this.#span, String(now + this.leaseMs), ...this.#inFlight, done));
  }

  /** Stops renewing: the connection is about to be closed. */
  close(): void {
    if (!this.#closed && performance.now() - this.#tookAt < MARK_MS) {
      // Those of keys not used since are dropped here, so that the map does not grow with every key.
      for (const [key, mark] of closedMarks) if (performance.now() - mark.tookAt >= MARK_MS) closedMarks.delete(key);
      closedMarks.set(this.#key, { name: this.#mark, tookAt: this.#tookAt });
    }
    this.#closed = true;
    this.#renewal.stop();
  }

  #hold(member: string): void {
    this.#inFlight.add(member);
    if (!this.#closed) this.#renewal.start();
  }

  /** Forgets `member`'s place; whether it was held. */
  #release(member: string): boolean {
    const held = this.#inFlight.delete(member);
    if (this.#inFlight.size === 0) this.#renewal.stop();
    return held;
  }
}
