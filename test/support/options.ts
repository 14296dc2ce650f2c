/**
 * Bad-option tests: the option a `ConfigurationError` names, with a check that the error does not
 * repeat the credential.
 */
import { expect } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';

export function configurationOption(run: () => unknown, secret: string): string | undefined {
  try {
    run();
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    expect(String(error)).not.toContain(secret);
    return (error as { option?: string }).option;
  }
  throw new Error('expected a ConfigurationError');
}
