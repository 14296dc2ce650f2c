/**
 * Validation of the options every emulator shares. A bad option is a `ConfigurationError` naming it,
 * thrown by `create` before the emulator answers anything.
 */
import { systemClock } from '../core/clock.js';
import { ConfigurationError } from '../core/errors.js';
import type { EmulatorOptions, ResolvedEmulatorOptions } from './types.js';

/** The default number of generated events. */
export const DEFAULT_EVENTS = 50;

/** Resolves `options` against the definition's `baseUrl`, or throws naming the bad option. */
export function resolveEmulatorOptions(options: EmulatorOptions, defaultBaseUrl: string): ResolvedEmulatorOptions {
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
