/**
 * The vendor emulators `createEmulator` knows, by provider name. A sixth vendor adds its import and its
 * line here.
 *
 * A provider's emulator.ts imports the kit's building blocks from their own files
 * (`../../testing/define.js`, `../../testing/responses.js`, ...), never from `testing/index.ts`, which
 * imports this registry: that would be an import cycle.
 */
import type { ProviderName } from '../core/errors.js';
import { fujitsuEmulator } from '../providers/fujitsu/emulator.js';
import { illumioEmulator } from '../providers/illumio/emulator.js';
import { informaticaEmulator } from '../providers/informatica/emulator.js';
import { socotraEmulator } from '../providers/socotra/emulator.js';
import { tinesEmulator } from '../providers/tines/emulator.js';
import type { Emulator, EmulatorDefinition } from './types.js';

export const emulators = {
  socotra: socotraEmulator,
  tines: tinesEmulator,
  fujitsu: fujitsuEmulator,
  illumio: illumioEmulator,
  informatica: informaticaEmulator,
} satisfies Record<ProviderName, Pick<EmulatorDefinition, 'provider' | 'baseUrl'>>;

export type Emulators = typeof emulators;
/** The store type of a provider's emulator. */
export type EmulatorStoreOf<P extends ProviderName> = ReturnType<Emulators[P]['create']> extends Emulator<infer S> ? S : never;
/** The vendor-specific options of a provider's emulator. */
export type EmulatorOptionsOf<P extends ProviderName> = Parameters<Emulators[P]['create']>[0];
