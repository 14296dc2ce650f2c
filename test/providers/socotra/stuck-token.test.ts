/**
 * VENDORS.md: never loop forever on the same cursor. A Socotra token is on every page, the last one
 * too, and polling the newest later is how a tail reads on: a token that comes back is normal. One that
 * comes back with only events already delivered is a stream that stopped moving (the emulator's
 * `stuckToken`, as a stalled tenant or a caching proxy answers): the listing must fail clearly after
 * what it delivered, each event once, not ask again for good.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../../src/core/errors.js';
import { connect, listRequests, type Connected } from './connect.js';

describe('socotra token that comes back unmoved (emulator stuckToken)', () => {
  let open: Connected | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it('fails the listing after the events it delivered once each, within a few requests', async () => {
    open = await connect('msw', { events: 40, stuckToken: true });
    const delivered: string[] = [];
    let failure: unknown;
    try {
      for await (const event of open.client({ rateLimit: false }).events.list({ pageSize: 10 })) delivered.push(event.id);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ResponseValidationError);
    expect(String((failure as Error).message)).toMatch(/pagination stopped/);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered).toEqual(open.emulator.store.page(0, {}, 20).events.map((event) => event.locator));
    expect(listRequests(open.emulator).length).toBeLessThanOrEqual(4);
  });

  it('ends as usual when the token that comes back brings the empty page of the end', async () => {
    open = await connect('msw', { events: 8, stuckToken: true });
    const delivered = await open.client({ rateLimit: false }).events.list({ pageSize: 10 }).toArray();
    expect(delivered.map((event) => event.id)).toEqual(open.emulator.store.page(0, {}, 1000).events.map((event) => event.locator));
  });
});
