/**
 * Validation of the options every emulator shares. A bad option is a `ConfigurationError` naming it,
 * thrown by `create` before the emulator answers anything.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { describe, isPlainObject, isRecord } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import { isSlash, stripEnd } from '../core/strip.js';
import { anyValue, checkEmulatorOptions, type OptionRule, type OptionRules } from './option-rules.js';
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
 * Set to `true` on an emulator's options, keeps no request in `requests`: for `tributary emulate`,
 * which serves for days and whose requests nobody reads (each kept one was about 2.5 KB). Not exported
 * by the package.
 */
export const UNRECORDED_REQUESTS: unique symbol = Symbol('tributary.unrecordedRequests');

/**
 * An emulator's own options: each one's rule, or `true` (any value, read as it comes) or the names of
 * the members of one that takes an object (`rateLimit: ['requests', 'interval']`). The names let a
 * misspelt option (`ratelimit`, `async.locaton`) be refused instead of silently ignored.
 */
export type OptionSpecs = Readonly<Record<string, OptionRule | true | readonly string[]>>;

/** Checked one by one below. */
const COMMON: OptionRules = { seed: anyValue, events: anyValue, clock: anyValue, baseUrl: anyValue };
/** A clock's scale, as a client's `clock` takes it: a finite number above 0. */
const isScale = (value: unknown): boolean => typeof value === 'number' && value > 0 && Number.isFinite(value);

/**
 * An option of members (`rateLimit`, `async`) given as an object is a plain one: a `Map` or a class
 * instance would be read as no members at all. Any other value is the emulator's to read (`false`).
 */
const isMembers = (value: unknown): boolean => typeof value !== 'object' || value === null || isPlainObject(value);

function rulesOf(specs: OptionSpecs): OptionRules {
  const rules: Record<string, OptionRule> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec === true) rules[name] = anyValue;
    else if (isStringList(spec)) {
      const members = Object.fromEntries(spec.map((member) => [member, anyValue]));
      rules[name] = { test: isMembers, expected: 'a plain object', shows: false, members };
    } else rules[name] = spec;
  }
  return rules;
}

const isStringList = (spec: OptionRule | readonly string[]): spec is readonly string[] => Array.isArray(spec);

/**
 * Resolves `options` against the definition's `baseUrl`, or throws naming the bad option. With the
 * emulator's `specs`, any option they do not name is refused and each one given is checked against its
 * rule; without them (an emulator that lists none) its own options could not be told from typos.
 */
export function resolveEmulatorOptions(options: EmulatorOptions, defaultBaseUrl: string, specs?: OptionSpecs): ResolvedEmulatorOptions {
  if (!isRecord(options as unknown)) {
    throw new ConfigurationError(`options must be an object, got ${describe(options)}`, { option: 'options' });
  }
  if (specs !== undefined) checkEmulatorOptions(options as Record<string, unknown>, { ...COMMON, ...rulesOf(specs) });
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
  return { seed, events, clock: clock as unknown as Clock, baseUrl: stripEnd(baseUrl, isSlash) };
}
