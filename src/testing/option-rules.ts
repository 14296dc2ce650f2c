/**
 * The rules of an emulator's own options, one table per emulator, as the clients' common options have
 * theirs (core/client's, of core/config's rules): `create` checks every value given against its rule
 * before it builds a store, so a bad one is a `ConfigurationError` naming the option before any
 * request, in one form for every emulator: `timeZones must be one of "utc", "mixed", got "local"`. The
 * value is shown only where it cannot be a credential: a token or a list of users is described
 * (`a string`, `an array`), never shown.
 */
import { describe, invalidOption, isPlainObject, isRecord, show, unknownKey } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import { isoTime } from './query.js';

/**
 * How an emulator checks one of its own options, in `defineEmulator`'s `options`: a bad value is a
 * `ConfigurationError` naming the option when the emulator is created.
 * @example const port: OptionRule = { test: (value) => Number.isInteger(value), expected: 'an integer', shows: true }
 */
export interface OptionRule {
  /** Whether the option takes `value`; never asked of `undefined`, which leaves the default. */
  readonly test: (value: unknown) => boolean;
  /** What the option takes, as its error says it: `an integer >= 1`. */
  readonly expected: string;
  /** Whether the error shows the value given: never for a credential, which it only describes (`a string`). */
  readonly shows: boolean;
  /** The rules of the members of an option that takes an object; any other member is refused (`async.locaton`). */
  readonly members?: OptionRules | undefined;
  /** A deeper check of a value `test` took, throwing the `ConfigurationError` of what it finds. */
  readonly then?: ((value: unknown, option: string) => void) | undefined;
}

/** The rules of an object's members, by name. */
export type OptionRules = Readonly<Record<string, OptionRule>>;

/**
 * Checks the members of `options` against `rules`: one that no rule names is refused as unknown (a
 * misspelt option would leave the default in place), one that breaks its rule as invalid.
 */
export function checkEmulatorOptions(options: Record<string, unknown>, rules: OptionRules, prefix = ''): void {
  const names = Object.keys(rules);
  const unknown = unknownKey(options, names);
  if (unknown !== undefined) invalidOption(`${prefix}${unknown}`, `unknown option; expected one of ${names.join(', ')}`, 'unknown');
  for (const [name, rule] of Object.entries(rules)) {
    const value = options[name];
    if (value === undefined) continue;
    const option = `${prefix}${name}`;
    if (!rule.test(value)) {
      throw new ConfigurationError(`${option} must be ${rule.expected}, got ${rule.shows ? shown(value) : describe(value)}`, { option });
    }
    if (rule.members !== undefined && isRecord(value)) checkEmulatorOptions(value, rule.members, `${option}.`);
    rule.then?.(value, option);
  }
}

/** A value as an error shows it; an object as its members, each as `show` writes it. */
function shown(value: unknown): string {
  if (!isPlainObject(value)) return show(value);
  return `{ ${Object.entries(value)
    .map(([key, member]) => `${key}: ${show(member)}`)
    .join(', ')} }`;
}

/** An option only named, its value read as it comes: what `true` says in a definition's `options`. */
export const anyValue: OptionRule = { test: () => true, expected: '', shows: false };

/** One of `values`, exactly. */
export function oneOf(...values: readonly string[]): OptionRule {
  return { test: (value) => values.includes(value as string), expected: `one of ${values.map((v) => show(v)).join(', ')}`, shows: true };
}

/** `true` or `false`, not a truthy string. */
export const boolean: OptionRule = { test: (value) => typeof value === 'boolean', expected: 'a boolean', shows: true };

/** A safe integer from `min`. */
export function integer(min: number): OptionRule {
  return { test: (value) => Number.isSafeInteger(value) && (value as number) >= min, expected: `an integer >= ${min}`, shows: true };
}

/** A finite number of milliseconds above 0. */
export const milliseconds: OptionRule = {
  test: (value) => typeof value === 'number' && Number.isFinite(value) && value > 0,
  expected: 'a number of milliseconds > 0',
  shows: true,
};

/** `null` or what `rule` takes. */
export function nullOr(rule: OptionRule): OptionRule {
  return { ...rule, test: (value) => value === null || rule.test(value), expected: `null or ${rule.expected}` };
}

/** An RFC 3339 time (a zone-less one UTC), or with `epoch` also epoch milliseconds. */
export function time(epoch: boolean): OptionRule {
  return {
    test: (value) => (typeof value === 'string' ? Number.isFinite(isoTime(value)) : epoch && typeof value === 'number' && Number.isFinite(value)),
    expected: epoch ? 'an RFC 3339 time or epoch milliseconds' : 'an RFC 3339 time',
    shows: true,
  };
}

/** A token the emulator accepts: a header can carry it as it is. */
export const secret: OptionRule = {
  test: (value) => typeof value === 'string' && /^\S+$/.test(value),
  expected: 'a non-empty string without white space',
  shows: false,
};

/** A list of at least `min` entries that `entry` takes; users and keys, so never shown. */
export function listOf(entry: (value: unknown) => boolean, expected: string, min = 0): OptionRule {
  return { test: (value) => Array.isArray(value) && value.length >= min && value.every(entry), expected, shows: false };
}

/** An object of the members `rules` name, each checked by its rule. */
export function members(rules: OptionRules): OptionRule {
  return { test: isPlainObject, expected: 'a plain object', shows: false, members: rules };
}

/** A check of one emulator's own (Socotra's tenant a UUID); `shows` only where the value is no credential. */
export function custom(test: (value: unknown) => boolean, expected: string, shows: boolean, then?: OptionRule['then']): OptionRule {
  return { test, expected, shows, then };
}

/** A server-side limit, or `false` for none: both members are needed, and no other. */
export const rateLimit: OptionRule = {
  test: (value) =>
    value === false ||
    (isPlainObject(value) && integer(1).test(value['requests']) && milliseconds.test(value['interval'])),
  expected: 'false or { requests: an integer >= 1, interval: a number of milliseconds > 0 }',
  shows: true,
  members: { requests: anyValue, interval: anyValue },
};
