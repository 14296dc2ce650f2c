/**
 * Helpers shared by the strategies: checking a state decoded from a cursor, and the signal a strategy
 * raises when the vendor makes no progress (the engine turns it into a `ResponseValidationError` that
 * names the provider and operation).
 */
import type { z } from 'zod';
import { ConfigurationError } from '../errors.js';

/** Thrown by a strategy when the vendor's answer cannot move the listing forward. */
export class NoProgressError extends Error {
  constructor(
    message: string,
    /** What the vendor sent, kept for the error's `raw`. */
    readonly raw: unknown,
    /** What the caller can do, where resuming later or with a larger page size would not help. */
    readonly advice?: string,
  ) {
    super(message);
    this.name = 'NoProgressError';
  }
}

/** Parses a cursor state with `schema`; throws the mismatches as a message, as `Strategy.validate` does. */
export function parseState<S>(schema: z.ZodType<S>, state: unknown): S {
  const result = schema.safeParse(state);
  if (result.success) return result.data;
  throw result.error.issues.map((issue) => `${issue.path.join('.') || 'state'}: ${issue.message}`).join('; ');
}

/** Checks a strategy factory option before any request; the error names the option. */
export function requireOption(ok: boolean, option: string, expected: string): void {
  if (!ok) throw new ConfigurationError(`${option} must be ${expected}`, { option });
}
