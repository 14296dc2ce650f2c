import { describe, expect, it } from 'vitest';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';
import { configurationOption } from '../support/options.js';

const factories: Record<string, (options: never) => unknown> = { socotra, tines, fujitsu, illumio, informatica };

describe('every provider factory', () => {
  for (const [name, factory] of Object.entries(factories)) {
    it.each([null, undefined, 'https://x.example', ['baseUrl']])(`${name}: refuses %j as options, naming them`, (options) => {
      expect(configurationOption(() => factory(options as never), 'x.example')).toBe('options');
    });
  }
});
