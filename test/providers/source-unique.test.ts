/**
 * CloudEvents requires `source` + `id` to be unique for each distinct event, and consumers drop a repeat
 * as a duplicate. Tines numbers its events per tenant and Informatica per pod, so two tenants (pods)
 * merged into one stream hand out the same ids: the source names the tenant's (pod's) host.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { toCloudEvent } from '../../src/core/cloudevent.js';
import { merge } from '../../src/core/merge.js';
import { DEFAULT_INFORMATICA_USER } from '../../src/providers/informatica/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { createEmulator } from '../../src/testing/index.js';

const clock = scaledClock(0.001);

/** `source id` of every event of the merged listings, and how many events there were. */
async function keys(listings: ReadonlyArray<AsyncIterable<Parameters<typeof toCloudEvent>[0]>>): Promise<{ events: number; distinct: number }> {
  const seen = new Set<string>();
  let events = 0;
  for await (const event of merge(...listings)) {
    const cloudEvent = toCloudEvent(event);
    seen.add(`${cloudEvent.source} ${cloudEvent.id}`);
    events += 1;
  }
  return { events, distinct: seen.size };
}

describe('source + id across tenants', () => {
  it('of two Tines tenants with the same ids, merged: distinct', async () => {
    const tenant = (host: string) => {
      // The same seed: the same ids in both tenants.
      const emulator = createEmulator('tines', { seed: 3, events: 40, clock });
      return tines({ baseUrl: `https://${host}`, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock, rateLimit: false }).events.list();
    };
    const { events, distinct } = await keys([tenant('tenant-1.tines.com'), tenant('tenant-2.tines.com')]);
    expect(events).toBe(80);
    expect(distinct).toBe(80);
  });

  it('of two Informatica pods with the same ids, merged: distinct', async () => {
    const pod = (host: string) => {
      const emulator = createEmulator('informatica', { seed: 3, events: 40, clock, rateLimit: false });
      return informatica({
        baseUrl: `https://${host}`,
        username: DEFAULT_INFORMATICA_USER.user,
        password: DEFAULT_INFORMATICA_USER.password,
        fetch: emulator.fetch,
        clock,
        rateLimit: false,
      }).events.list({ range: 'LAST_7_DAYS', children: 'flatten' });
    };
    const { events, distinct } = await keys([pod('cih-pod1.dm-us.informaticacloud.com'), pod('cih-pod2.dm-us.informaticacloud.com')]);
    expect(events).toBeGreaterThan(0);
    expect(distinct).toBe(events);
  });
});
