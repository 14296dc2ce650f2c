/**
 * Validation of the options every emulator shares. A bad option is a `ConfigurationError` naming it,
 * thrown by `create` before the emulator answers anything.
 */
import { systemClock } from '../core/clock.js';
import { checkMembers, describe, isRecord, type Rule, type Rules } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import type { EmulatorOptions, ResolvedEmulatorOptions } from './types.js';

/** The default number of generated events. */
export const DEFAULT_EVENTS = 50;

/**
 * An emulator's own options by name: `true`, or the names of the members of one that takes an object
 * (`rateLimit: ['requests', 'interval']`). The emulator checks the values; the names let a misspelt
 * option (`ratelimit`, `async.locaton`) be refused instead of silently ignored.
 */
export type OptionNames = Readonly<Record<string, true | readonly string[]>>;

const COMMON: OptionNames = { seed: true, events: true, clock: true, baseUrl: true };
/** A rule that only names an option: its value is checked by whoever reads it. */
const NAMED: Rule = [() => true, ''];

function rulesOf(names: OptionNames): Rules {
  const rules: Record<string, Rule> = {};
  for (const [name, members] of Object.entries(names)) {
    rules[name] = members === true ? NAMED : [NAMED[0], '', Object.fromEntries(members.map((member) => [member, NAMED]))];
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
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    throw new ConfigurationError(`seed must be a safe integer, got ${String(seed)}`, { option: 'seed' });
  }
  const events = options.events ?? DEFAULT_EVENTS;
  if (!Number.isSafeInteger(events) || events < 0) {
    throw new ConfigurationError(`events must be an integer >= 0, got ${String(events)}`, { option: 'events' });
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function' || typeof clock.sleep !== 'function' || !(clock.scale > 0)) {
    throw new ConfigurationError('clock must be a Clock (now, sleep, scale > 0)', { option: 'clock' });
  }
  const baseUrl = options.baseUrl ?? defaultBaseUrl;
  if (!URL.canParse(baseUrl)) {
    throw new ConfigurationError(`baseUrl must be an absolute URL, got ${baseUrl}`, { option: 'baseUrl' });
  }
  return { seed, events, clock, baseUrl: baseUrl.replace(/\/+$/, '') };
}
