/**
 * Cloud Integration Hub runs on Tomcat, and a pod (or a proxy in front of it) may answer
 * `application/json; charset=ISO-8859-1`, or UTF-16: every accented letter of an event arrives intact,
 * as the charset the answer declares is what its body is read in.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { isResponseValidationError } from '../../../src/core/errors.js';
import type { InformaticaEventData } from '../../../src/providers/informatica/index.js';
import { createEmulator } from '../../../src/testing/index.js';
import { failure, inProcessClient } from './connect.js';

const clock = scaledClock(0.001);
const COMMENT = 'Opération réussie: 12 lignes écrites dans « Reçus »';
const APPLICATION = 'Comptabilité_Générale';

/** How each answer is written on the wire: its bytes and the charset its Content-Type then names. */
const ENCODINGS: ReadonlyArray<[string, (text: string) => Uint8Array]> = [
  ['ISO-8859-1', (text) => Buffer.from(text, 'latin1')],
  ['windows-1252', (text) => Buffer.from(text, 'latin1')],
  ['UTF-16LE', (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ['UTF-16BE', (text) => Buffer.from(text, 'utf16le').swap16()],
];

/** The emulator's answers, each JSON one written again in `charset`. */
function reencoding(fetch: typeof globalThis.fetch, charset: string, encode: (text: string) => Uint8Array): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!/^application\/json/i.test(response.headers.get('content-type') ?? '')) return response;
    const headers = new Headers(response.headers);
    headers.set('content-type', `application/json;charset=${charset}`);
    headers.delete('content-length');
    const body = new Uint8Array(encode(await response.text()));
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

const pod = (fetch: typeof globalThis.fetch) => inProcessClient(fetch, clock, { retry: { retries: 1, minDelay: 1, maxDelay: 1 } });

describe('informatica answers in a charset other than UTF-8', () => {
  it.each(ENCODINGS)('%s: the events arrive with every letter intact', async (charset, encode) => {
    const emulator = createEmulator('informatica', { seed: 7, events: 5, clock, rateLimit: false });
    const now = clock.now();
    const event = emulator.store.events.add({ createTime: now - 60_000, applicationName: APPLICATION, eventStatus: 'Processing' }, now);
    emulator.store.events.setStatus(event.eventId, 'Complete', now - 30_000, COMMENT);
    const events = await pod(reencoding(emulator.fetch, charset, encode)).events.list().toArray();
    expect(events).toHaveLength(emulator.store.events.all().length);
    const read = events.find((each) => each.id === String(event.eventId));
    expect(read?.message).toBe(COMMENT);
    expect((read?.data as InformaticaEventData).applicationName).toBe(APPLICATION);
    for (const each of events) expect(JSON.stringify(each)).not.toContain('\uFFFD');
  });

  it('a charset the SDK does not know: a ResponseValidationError naming it, not the events misread', async () => {
    const emulator = createEmulator('informatica', { seed: 7, events: 5, clock, rateLimit: false });
    const error = await failure(pod(reencoding(emulator.fetch, 'x-ebcdic-pod', (text) => Buffer.from(text, 'latin1'))).events.list().toArray());
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/its body's charset "x-ebcdic-pod" \(its Content-Type's\) is not one the SDK can decode/);
  });
});
