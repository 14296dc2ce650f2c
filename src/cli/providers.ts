/**
 * The providers the CLI knows, loaded on demand so `tributary --help` does not load five schemas.
 */
import type { ProviderName, TributaryEvent } from '../core/event.js';
import type { Paginated } from '../core/paginate/types.js';
import { UsageError } from './args.js';

/** The part of every client the CLI uses. */
export interface EventsClient {
  events: { list(query?: Record<string, unknown>): Paginated<TributaryEvent> };
}

type Factory = (options: Record<string, unknown>) => EventsClient;

const loaders: Record<ProviderName, () => Promise<Factory>> = {
  socotra: async () => (await import('../providers/socotra/index.js')).socotra as unknown as Factory,
  tines: async () => (await import('../providers/tines/index.js')).tines as unknown as Factory,
  fujitsu: async () => (await import('../providers/fujitsu/index.js')).fujitsu as unknown as Factory,
  illumio: async () => (await import('../providers/illumio/index.js')).illumio as unknown as Factory,
  informatica: async () => (await import('../providers/informatica/index.js')).informatica as unknown as Factory,
};

export const providerNames = Object.keys(loaders) as ProviderName[];

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(loaders, name);
}

/** `name` as a provider; anything else is a mistake in the command line. */
export function providerOf(name: string): ProviderName {
  if (!isProviderName(name)) throw new UsageError(`unknown provider ${JSON.stringify(name)}; one of ${providerNames.join(', ')}`);
  return name;
}

export async function loadFactory(provider: ProviderName): Promise<Factory> {
  return loaders[provider]();
}
