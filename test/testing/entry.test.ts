import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isConfigurationError, type ProviderName } from '../../src/core/errors.js';
import { createEmulator } from '../../src/testing/index.js';
import { emulators } from '../../src/testing/registry.js';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('createEmulator', () => {
  it('throws a ConfigurationError naming the provider when it has no emulator', () => {
    let thrown: unknown;
    try {
      createEmulator('salesforce' as ProviderName);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option: 'provider' });
    expect(String((thrown as Error).message)).toContain('salesforce');
  });

  it('does not find emulators through the prototype chain', () => {
    expect(() => createEmulator('toString' as ProviderName)).toThrow(/no emulator/);
  });

  for (const [name, definition] of Object.entries(emulators)) {
    it(`${name}: is registered under its own name with the common surface`, () => {
      const emulator = createEmulator(name as ProviderName, { seed: 3, events: 5 });
      expect(definition?.provider).toBe(name);
      expect(emulator.provider).toBe(name);
      expect(emulator.requests).toEqual([]);
      expect(emulator.faults.list()).toEqual([]);
      expect(typeof emulator.handle).toBe('function');
      expect(typeof emulator.listen).toBe('function');
    });
  }
});

describe('tributary/testing entry', () => {
  it('works for fetch and the real server where msw is not installed', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', fixture('block-msw.mjs'), fixture('without-msw.ts')], {
      timeout: 15_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(result).toMatchObject({ inProcess: 200, overTcp: 200, mswError: { name: 'ConfigurationError', option: 'msw' } });
    expect(JSON.stringify(result['mswError'])).toContain('npm install -D msw');
  });
});
