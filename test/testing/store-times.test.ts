import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { instantMs } from '../../src/testing/query.js';

describe("a time given to an emulator's store", () => {
  it('is read from a Date of another realm as from one of this realm, as the SDK reads since', () => {
    const foreign = runInNewContext('new Date(Date.UTC(2026, 10, 23, 10))') as Date;
    expect(foreign instanceof Date).toBe(false);
    expect(instantMs(foreign, 'at')).toBe(Date.UTC(2026, 10, 23, 10));
  });

  it('refuses an invalid one by name, whatever its realm', () => {
    expect(() => instantMs(runInNewContext('new Date(NaN)') as Date, 'at')).toThrow(ConfigurationError);
    expect(() => instantMs('yesterday', 'visibleAt')).toThrow(/visibleAt must be/);
  });
});
