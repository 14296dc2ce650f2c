/**
 * Validation of the options every emulator shares. A bad option is a `ConfigurationError` naming it,
 * thrown by `create` before the emulator answers anything.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { checkMembers, describe, isPlainObject, isRecord, type Rule, type Rules } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import type { EmulatorOptions, ResolvedEmulatorOptions } from './types.js';

/** The default number of generated events. */
export const DEFAULT_EVENTS = 50;

/**
 * The most events a store starts with. Building is linear or worse in the count: 50_000 take under a
 * second for every emulator (FUJITSU's, the slowest, about 0.7 s), 2 ** 31 hung.
 */
export const MAX_EVENTS = 50_000;

/**
 * Set to `true` on an emulator's options, lifts `MAX_EVENTS` for a caller that means to wait for a
 * larger store (the benchmark's hundreds of thousands). Not exported by the package.
 */
export const UNBOUNDED_EVENTS: unique symbol = Symbol('tributary.unboundedEvents');

/**
 * An emulator's own options by name: `true`, or the names of the members of one that takes an object
 * (`rateLimit: ['requests', 'interval']`). The emulator checks the values; the names let a misspelt
 * option (`ratelimit`, `async.locaton`) be refused instead of silently ignored.
 */
export type OptionNames = Readonly<Record<string, true | readonly string[]>>;

const COMMON: OptionNames = { seed: true, events: true, clock: true, baseUrl: true };
/** A clock's scale, as a client's `clock` takes it: a finite number above 0. */
const isScale = (value: unknown): boolean => typeof value === 'number' && value > 0 && Number.isFinite(value);

/** A rule that only names an option: its value is checked by whoever reads it. */
const NAMED: Rule = [() => true, ''];
/**
 * An option of members (`rateLimit`, `async`) given as an object is a plain one: a `Map` or a class
 * instance would be read as no members at all. Any other value is the emulator's to check (`false`).
 */
const isMembers = (value: unknown): boolean => typeof value !== 'object' || value === null || isPlainObject(value);

function rulesOf(names: OptionNames): Rules {
  const rules: Record<string, Rule> = {};
  for (const [name, members] of Object.entries(names)) {
    rules[name] = members === true ? NAMED : [isMembers, 'a plain object', Object.fromEntries(members.map((member) => [member, NAMED]))];
  }
  return rules;
}

/**
 * Resolves `options` against the definition's `baseUrl`, or throws naming the bad option. With the
 * emulator's `names`, any option not named is refused; without them (an emulator that lists none) its
 * own options could not be told from typos.
 */
export function resolveEmulatorOptions(options: EmulatorOptions, defaultBaseUrl: string, names?: OptionNames): ResolvedEmulatorOptions {
  if (!isRecord(options as unknown)) {
    throw new ConfigurationError(`options must be an object, got ${describe(options)}`, { option: 'options' });
  }
  if (names !== undefined) checkMembers(options as Record<string, unknown>, '', rulesOf({ ...COMMON, ...names }), true);
  // Only `undefined` takes the default: `null` is a value, refused as the clients refuse it.
  const seed = options.seed === undefined ? 1 : options.seed;
  if (!Number.isSafeInteger(seed)) {
    throw new ConfigurationError(`seed must be a safe integer, got ${describe(seed)}`, { option: 'seed' });
  }
  const events = options.events === undefined ? DEFAULT_EVENTS : options.events;
  const max = (options as { [UNBOUNDED_EVENTS]?: unknown })[UNBOUNDED_EVENTS] === true ? Number.MAX_SAFE_INTEGER : MAX_EVENTS;
  if (!Number.isSafeInteger(events) || events < 0 || events > max) {
    throw new ConfigurationError(`events must be an integer from 0 to ${max}, got ${describe(events)}`, { option: 'events' });
  }
  const clock: unknown = options.clock === undefined ? systemClock : options.clock;
  if (!isRecord(clock) || typeof clock['now'] !== 'function' || typeof clock['sleep'] !== 'function' || !isScale(clock['scale'])) {
    throw new ConfigurationError('clock must be a Clock (now, sleep, a finite scale > 0)', { option: 'clock' });
  }
  const baseUrl: unknown = options.baseUrl === undefined ? defaultBaseUrl : options.baseUrl;
  if (typeof baseUrl !== 'string' || !/^https?:$/.test(URL.parse(baseUrl)?.protocol ?? '')) {
    throw new ConfigurationError(`baseUrl must be an absolute http(s) URL string, got ${typeof baseUrl === 'string' ? JSON.stringify(baseUrl) : describe(baseUrl)}`, {
      option: 'baseUrl',
    });
  }
  return { seed, events, clock: clock as unknown as Clock, baseUrl: baseUrl.replace(/\/+$/, '') };
}
