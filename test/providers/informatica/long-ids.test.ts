/**
 * VENDORS.md: Informatica ids are Java `Long`s. Past 2^53 `JSON.parse` rounds them, so two events can
 * arrive with one id and deduplication on it would drop one unseen: the SDK must fail clearly, naming
 * the field, rather than deliver a rounded id. Held through the client against the emulator, whose
 * store serves such ids as the digits a Long past 2^53 parses to.
 */
import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../../src/core/errors.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { failure, fastClock, inProcessClient } from './connect.js';

describe('informatica ids past 2^53', () => {
  it('fail the listing with a ResponseValidationError naming eventId, not a page of rounded ids', async () => {
    const clock = fastClock();
    const emulator = informaticaEmulator.create({ seed: 7, events: 3, clock, rateLimit: false });
    const now = clock.now();
    // Two Longs that parse to neighbours of 2^53: beside each other, a rounding could make them one.
    emulator.store.events.add({ eventId: 2 ** 53 + 2, createTime: now - 60_000 }, now);
    emulator.store.events.add({ eventId: 2 ** 53 + 4, createTime: now - 30_000 }, now);
    const error = await failure(inProcessClient(emulator.fetch, clock).events.list().toArray());
    expect(error).toBeInstanceOf(ResponseValidationError);
    const issues = (error as ResponseValidationError).issues;
    expect(issues.some((issue) => issue.includes('eventId'))).toBe(true);
    // The id is numeric, only too large for a JavaScript number: the issue says so.
    expect(issues.find((issue) => issue.includes('eventId'))).toMatch(/2\^53/);
    expect(String((error as Error).message)).not.toContain(DEFAULT_INFORMATICA_USER.password);
  });

  it('list the largest safe id as itself', async () => {
    const clock = fastClock();
    const emulator = informaticaEmulator.create({ seed: 7, events: 0, clock, rateLimit: false });
    const now = clock.now();
    emulator.store.events.add({ eventId: Number.MAX_SAFE_INTEGER, createTime: now - 60_000 }, now);
    const ids = (await inProcessClient(emulator.fetch, clock).events.list().toArray()).map((event) => event.id);
    expect(ids).toEqual([String(Number.MAX_SAFE_INTEGER)]);
  });
});
