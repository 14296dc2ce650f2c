/**
 * A small seeded pseudo-random generator for emulators: the same seed gives the same events on every
 * machine and Node version, so a failing test can be replayed. `Math.random` is never used by the kit.
 *
 * The core is sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state), seeded through
 * splitmix32 so that nearby seeds (1, 2, 3) give unrelated streams.
 */
import { instantMs } from './query.js';

/** Seeded randomness with the helpers emulators need to fabricate realistic vendor objects. */
export interface Rng {
  /** A float in `[0, 1)`. */
  next(): number;
  /** An integer in `[min, max]`, both inclusive. */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A random RFC 4122 version 4 UUID, lower case. */
  uuid(): string;
  /** A ULID (26 Crockford base-32 characters) whose time part is `timeMs`, as Socotra locators are. */
  ulid(timeMs: number): string;
  /** `length` lower-case hexadecimal digits. */
  hex(length: number): string;
  /**
   * A date uniformly between `from` and `to` (inclusive, millisecond resolution); a zone-less time is
   * UTC, so a seed gives the same dates on every machine.
   */
  date(from: Date | number | string, to: Date | number | string): Date;
  /** `count` words of plain English, space separated, for messages and names. */
  words(count: number): string;
  /** A new generator derived from this one, so that one consumer's draws do not shift another's. */
  fork(): Rng;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const WORDS = [
  'policy', 'quote', 'claim', 'renewal', 'invoice', 'payment', 'account', 'billing', 'schedule', 'report',
  'export', 'import', 'workload', 'service', 'label', 'ruleset', 'rule', 'agent', 'story', 'action',
  'webhook', 'trigger', 'database', 'instance', 'snapshot', 'backup', 'restore', 'replica', 'volume',
  'network', 'firewall', 'pairing', 'profile', 'user', 'session', 'login', 'token', 'key', 'secret',
  'publication', 'subscription', 'topic', 'connection', 'mapping', 'task', 'job', 'batch', 'record',
  'created', 'updated', 'deleted', 'completed', 'failed', 'started', 'stopped', 'queued', 'retried',
  'north', 'south', 'east', 'west', 'blue', 'green', 'amber', 'silver',
] as const;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
}

/**
 * A deterministic generator for `seed` (any finite number; fractional parts are dropped).
 * @example
 * const rng = createRng(42);
 * rng.pick(['created', 'updated']); // the same on every run
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  const mix = splitmix32(Math.trunc(seed));
  const next = sfc32(mix(), mix(), mix(), mix());
  // Discard the first outputs: sfc32 needs a few rounds before its state is well mixed.
  for (let i = 0; i < 12; i++) next();
  return fromSource(next);
}

function fromSource(next: () => number): Rng {
  const int = (min: number, max: number): number => {
    if (!(max >= min)) throw new RangeError(`empty range [${min}, ${max}]`);
    return Math.floor(next() * (Math.floor(max) - Math.ceil(min) + 1)) + Math.ceil(min);
  };
  const hex = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += int(0, 15).toString(16);
    return out;
  };
  const rng: Rng = {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    uuid() {
      const variant = '89ab'[int(0, 3)] as string;
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
    ulid(timeMs) {
      let time = '';
      let rest = Math.max(0, Math.floor(timeMs));
      for (let i = 0; i < 10; i++) {
        time = CROCKFORD[rest % 32] + time;
        rest = Math.floor(rest / 32);
      }
      let random = '';
      for (let i = 0; i < 16; i++) random += CROCKFORD[int(0, 31)];
      return time + random;
    },
    hex,
    date: (from, to) => new Date(int(instantMs(from, 'from'), instantMs(to, 'to'))),
    words(count) {
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(rng.pick(WORDS));
      return out.join(' ');
    },
    fork: () => createRng(int(0, 0xffffffff)),
  };
  return rng;
}
