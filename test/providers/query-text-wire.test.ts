/**
 * Text filters with reserved and non-ASCII characters, through msw and the emulator's real server:
 * each is encoded once as the query string the vendors read (`application/x-www-form-urlencoded`: a
 * space `+`, a plus `%2B`), decoded so by the emulator, and matches exactly its own value: not a `+`
 * read as a space, not an `&` or `#` cutting the query, not `%20` decoded twice, and not the NFD form
 * of an NFC name (two texts the vendor stores apart).
 */
import { describe, expect, it } from 'vitest';
import { connect as socotraConnect } from './socotra/connect.js';
import { connect as illumioConnect } from './illumio/connect.js';
import { serve } from '../support/transport.js';
import { BASE, clock, createEmulator, TENANT, TOKEN } from './fujitsu/helpers.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';

const TEXTS = ['a+b', 'a b', 'A+B', 'a&b=c', '100%', 'a%20b', 'a%2Bb', '#frag', '?q', 'a/b', 'x🎉y', 'caf\u00e9', 'cafe\u0301', 'a\u2028b', 'a\u0000b'];

describe.each(['msw', 'server'] as const)('text filters with reserved and non-ASCII characters via %s', (transport) => {
  it('socotra type', async () => {
    const c = await socotraConnect(transport, { events: 0 });
    try {
      for (const type of TEXTS) c.emulator.store.addEvent({ type });
      const client = c.client({ rateLimit: false });
      for (const type of TEXTS) expect([type, (await client.events.list({ type }).toArray()).map((e) => e.type)]).toEqual([type, [type]]);
      // As the wire carried them: encoded once, a space as `+`.
      const sent = c.emulator.requests.map((request) => new URL(request.url).search.match(/[?&]type=([^&]*)/)?.[1]).filter(Boolean);
      expect(sent.slice(0, 8)).toEqual(['a%2Bb', 'a+b', 'A%2BB', 'a%26b%3Dc', '100%25', 'a%2520b', 'a%252Bb', '%23frag']);
      expect(sent).toContain('x%F0%9F%8E%89y');
    } finally {
      await c.close();
    }
  });

  it('illumio type and createdBy', async () => {
    const c = await illumioConnect(transport, { events: 0 });
    try {
      const now = Date.now();
      c.emulator.store.add(
        TEXTS.map((text, i) => ({
          href: `/orgs/1/events/${i}`,
          event_type: text,
          timestamp: new Date(now - i * 1000).toISOString(),
          created_by: { user: { href: `/users/${i}`, username: text } },
        })) as never,
      );
      const client = c.client({ rateLimit: false });
      for (const text of TEXTS) {
        expect([text, (await client.events.list({ type: text }).toArray()).map((e) => e.type)]).toEqual([text, [text]]);
        expect([text, (await client.events.list({ createdBy: text }).toArray()).map((e) => e.type)]).toEqual([text, [text]]);
      }
    } finally {
      await c.close();
    }
  });

  it('fujitsu sourceId', async () => {
    const emulator = createEmulator();
    const { baseUrl, close } = await serve(emulator, transport, BASE);
    try {
      const start = Date.now() - 60_000;
      TEXTS.forEach((text, i) => emulator.store.events.add(TENANT, { sourceIdentifier: text, at: start + i * 1000 }));
      const client = fujitsu({ baseUrl, tenantId: TENANT, token: TOKEN, clock, rateLimit: false });
      for (const sourceId of TEXTS) {
        const listed = await client.events.list({ since: new Date(start - 1000), sourceId }).toArray();
        expect([sourceId, listed.map((e) => (e.raw as { sourceIdentifier: string }).sourceIdentifier)]).toEqual([sourceId, [sourceId]]);
      }
    } finally {
      await close();
    }
  });
});
