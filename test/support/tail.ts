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
