/**
 * Collects a Tines tenant's events and remembers where it stopped.
 *
 *   TRIBUTARY_TINES_BASE_URL=https://tenant-1234.tines.com TRIBUTARY_TINES_TOKEN=... npx tsx examples/tines.ts
 *
 * Optional: EXAMPLE_TINES_ACTION_ID (one action's events), EXAMPLE_TINES_CURSOR (resume from a cursor
 * this program printed before).
 */
import { tines } from 'tributary/tines';
import { runIfMain } from './run.js';

export async function main(env: Record<string, string | undefined>): Promise<string[]> {
  const baseUrl = env['TRIBUTARY_TINES_BASE_URL'];
  const token = env['TRIBUTARY_TINES_TOKEN'];
  if (!baseUrl || !token) return ['Set TRIBUTARY_TINES_BASE_URL and TRIBUTARY_TINES_TOKEN.'];
  const actionId = env['EXAMPLE_TINES_ACTION_ID'];
  const client = tines({ baseUrl, token, userAgent: 'tines-example/1.0' });
  const lines: string[] = [];
  const listing = client.events.list({ pageSize: 50, ...(actionId ? { actionId } : {}) });
  let cursor = env['EXAMPLE_TINES_CURSOR'];
  let count = 0;
  let firstId: string | undefined;
  for await (const page of listing.byPage(cursor ? { cursor } : {})) {
    for (const event of page.items) {
      count += 1;
      firstId ??= event.id;
      if (count <= 5) lines.push(`${event.time} ${event.id} ${event.source} ${event.subject ?? '-'}`);
    }
    // Store the cursor only once the page is handled: a crash then repeats a page instead of losing it.
    cursor = page.cursor;
  }
  lines.push(`${count} events; resume with EXAMPLE_TINES_CURSOR=${cursor ?? ''}`);
  if (firstId !== undefined) {
    const first = await client.events.get(firstId);
    lines.push(`event ${first.id} payload keys: ${Object.keys(first.data).join(', ') || '(none)'}`);
  }
  return lines;
}

runIfMain(import.meta, main);
