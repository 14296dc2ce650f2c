/**
 * What the tail tests share: the vendor's clock and the client's, both moved by the test (nothing
 * sleeps), a count of the requests to the events endpoint, and cursors as they were written before the
 * settle time (`settle.ts`) was kept.
 */
import type { Clock } from '../../src/core/clock.js';
import { cursorJson } from '../../src/core/cursor.js';

/** The vendor's clock, from `start`, and the client's, `time.skew` off it. */
export function clocks(start: number) {
  const time = { now: start, skew: 0 };
  const vendor: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
  const client: Clock = { now: () => time.now + time.skew, scale: 1, sleep: async () => undefined };
  return { time, vendor, client };
}

/** Counts the requests to the events endpoint (Socotra's `events/list`). */
export function counting(fetch: typeof globalThis.fetch) {
  const sent = { requests: 0 };
  const wrapped: typeof globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (/\/events(\/list)?$/.test(new URL(url).pathname)) sent.requests++;
    return fetch(input, init);
  };
  return { sent, fetch: wrapped };
}

/**
 * `cursor` without the time its newest instant was first delivered, as cursors were written before it
 * was kept. Informatica's tail cursors (`tail`) kept no newest time then either; the cursors within
 * its listings did.
 */
export function withoutSettleTime(cursor: string, tail = true): string {
  const envelope = JSON.parse(cursorJson(cursor)) as { s: Record<string, unknown> };
  delete envelope.s['sa'];
  if (tail && 'e' in envelope.s) envelope.s['a'] = null;
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
}

/**
 * `cursor`, written within an Informatica listing, as such cursors were before the window's newest
 * `createTime` (`a`) was kept: without it, the settle time and the events met ahead of the window.
 */
export function withoutNewestTime(cursor: string): string {
  const envelope = JSON.parse(cursorJson(cursor)) as { s: Record<string, unknown> };
  for (const key of ['a', 'sa', 'e']) delete envelope.s[key];
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
}

/** What a listing's `byPage` is to `burstPollCosts`. */
interface PagedListing {
  byPage(options: { cursor?: string }): AsyncIterable<{ items: ReadonlyArray<{ id: string }>; cursor: string }>;
}

/**
 * A tail's polls after a burst of 1000 events within a minute, the vendor's and the client's clocks
 * moved by `time` (`clocks`): a drain at +50 s, then polls every 30 s from +80 s, each resumed from the
 * last page's cursor. The requests each poll cost (`sent`, `counting`), and how many events were
 * delivered in all: the README's figures for reading the burst's minute again until two minutes after
 * its newest event was first delivered, then one request a quiet poll.
 */
export async function burstPollCosts(start: number, time: { now: number }, sent: { requests: number }, list: () => PagedListing) {
  let cursor: string | undefined;
  const delivered: string[] = [];
  const poll = async (at: number): Promise<number> => {
    time.now = start + at;
    const before = sent.requests;
    for await (const page of list().byPage(cursor === undefined ? {} : { cursor })) {
      delivered.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
    }
    return sent.requests - before;
  };
  await poll(50_000);
  const drained = delivered.length;
  const costs: number[] = [];
  for (const at of [80_000, 110_000, 140_000, 170_000, 200_000, 230_000]) costs.push(await poll(at));
  return { drained, costs, delivered: delivered.length };
}
