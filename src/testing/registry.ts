/**
 * The vendor emulators `createEmulator` knows, by provider name.
 *
 * Each provider adds one line here, importing its definition from its own folder:
 *
 *   import { illumioEmulator } from '../providers/illumio/emulator.js';
 *   ...
 *   illumio: illumioEmulator,
 *
 * A provider's emulator.ts must import the kit's building blocks from their own files
 * (`../../testing/define.js`, `../../testing/responses.js`, ...), never from `testing/index.ts`, which
 * imports this registry: that would be an import cycle.
 */
import type { ProviderName } from '../core/errors.js';
import type { EmulatorDefinition } from './types.js';
import { socotraEmulator } from '../providers/socotra/emulator.js';
import { informaticaEmulator } from '../providers/informatica/emulator.js';
import { tinesEmulator } from '../providers/tines/emulator.js';
import { illumioEmulator } from '../providers/illumio/emulator.js';
import { fujitsuEmulator } from '../providers/fujitsu/emulator.js';

export const emulators: Partial<Record<ProviderName, EmulatorDefinition>> = {
  // One line per provider goes here, e.g. `illumio: illumioEmulator,`
  socotra: socotraEmulator,
  informatica: informaticaEmulator,
  tines: tinesEmulator,
  illumio: illumioEmulator,
  fujitsu: fujitsuEmulator,
};
